// A real SQLite store in a fresh temporary directory, for tests of the store and the log
// pipeline: WAL, migrations and SQL behave exactly as in Berth, nothing is faked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainTemplate } from './template-fields';
import { resolveRunSpec } from '../../src/main/core/jobs/spec/run-spec';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { JobRepository } from '../../src/main/core/store/job-repository';
import { TemplateRepository } from '../../src/main/core/store/template-repository';

export interface TempStore {
  dir: string;
  file: string;
  db: Db;
  /** Closes the database (if open) and deletes the directory. */
  dispose(): void;
}

export function tempStore(prefix = 'berth-store-'): TempStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'berth.db');
  const db = openDatabase({ file });
  return {
    dir,
    file,
    db,
    dispose() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A template and `count` pending jobs of it on host 1 (the local one), straight into the store. */
export function insertJobs(db: Db, count: number): number[] {
  const template = new TemplateRepository(db).insert(plainTemplate('t', 'i'), 1);
  const jobs = new JobRepository(db);
  return Array.from({ length: count }, () =>
    jobs.insert({ templateId: template.id, templateName: template.name, wantHostId: 1, trigger: 'api', spec: resolveRunSpec(template), createdAt: 1 }).id,
  );
}
