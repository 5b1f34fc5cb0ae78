import type { Template } from '../../../shared/model';
import type { Db } from './database';

interface TemplateRow {
  id: number;
  name: string;
  image: string;
  command: string;
  env: string;
  log_retention: string;
  created_at: number;
}

const toTemplate = (r: TemplateRow): Template => ({
  id: r.id,
  name: r.name,
  image: r.image,
  command: JSON.parse(r.command) as string[],
  env: JSON.parse(r.env) as Record<string, string>,
  logRetention: JSON.parse(r.log_retention) as Template['logRetention'],
  createdAt: r.created_at,
});

export class TemplateRepository {
  private readonly selectAll;
  private readonly selectOne;
  private readonly selectByName;
  private readonly insertOne;
  private readonly updateOne;

  constructor(db: Db) {
    this.selectAll = db.prepare<[], TemplateRow>('SELECT * FROM templates ORDER BY name COLLATE NOCASE, id');
    this.selectOne = db.prepare<[number], TemplateRow>('SELECT * FROM templates WHERE id = ?');
    this.selectByName = db.prepare<[string], TemplateRow>('SELECT * FROM templates WHERE name = ?');
    this.insertOne = db.prepare(
      'INSERT INTO templates (name, image, command, env, log_retention, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateOne = db.prepare('UPDATE templates SET name = ?, image = ?, command = ?, env = ?, log_retention = ? WHERE id = ?');
  }

  list(): Template[] {
    return this.selectAll.all().map(toTemplate);
  }

  get(id: number): Template | undefined {
    const row = this.selectOne.get(id);
    return row && toTemplate(row);
  }

  findByName(name: string): Template | undefined {
    const row = this.selectByName.get(name);
    return row && toTemplate(row);
  }

  insert(t: Omit<Template, 'id'>): Template {
    const info = this.insertOne.run(t.name, t.image, JSON.stringify(t.command), JSON.stringify(t.env), JSON.stringify(t.logRetention), t.createdAt);
    return this.get(Number(info.lastInsertRowid))!;
  }

  update(id: number, t: Omit<Template, 'id' | 'createdAt'>): Template {
    this.updateOne.run(t.name, t.image, JSON.stringify(t.command), JSON.stringify(t.env), JSON.stringify(t.logRetention), id);
    return this.get(id)!;
  }
}
