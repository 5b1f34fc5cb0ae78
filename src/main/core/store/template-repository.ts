import type { TemplateFields } from '../../../shared/contract';
import { secretMask, type RunSpec, type Template } from '../../../shared/model';
import { emptyRunSpec } from '../../../shared/run-spec-defaults';
import type { Db } from './database';

/** A template as stored: everything but the schedule's next runs (computed on read by the caller). */
export type StoredTemplate = Omit<Template, 'nextRuns'> & { deletedAt: number | null };

/** A template's fields as written; `secretEnv` values equal to the mask keep the stored value. */
export type TemplateWrite = TemplateFields;

/** The run fields kept in the `spec` JSON column (the rest have columns of their own). */
type SpecColumn = Omit<RunSpec, 'image' | 'command' | 'env' | 'secretEnv'> & Pick<Template, 'retry' | 'schedule'>;

interface TemplateRow {
  id: number;
  name: string;
  image: string;
  command: string;
  env: string;
  spec: string;
  host_id: number | null;
  log_retention: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  secret_keys: string | null;
}

/** What an older row's spec lacks. */
function specDefaults(): SpecColumn {
  const { image: _image, command: _command, env: _env, secretEnv: _secretEnv, ...run } = emptyRunSpec();
  return { ...run, retry: null, schedule: null };
}

const toTemplate = (r: TemplateRow): StoredTemplate => {
  const spec = { ...specDefaults(), ...(JSON.parse(r.spec) as Partial<SpecColumn>) };
  const keys = r.secret_keys ? (JSON.parse(r.secret_keys) as (string | null)[]).filter((k): k is string => k !== null) : [];
  return {
    id: r.id,
    name: r.name,
    image: r.image,
    command: JSON.parse(r.command) as string[],
    env: JSON.parse(r.env) as Record<string, string>,
    secretEnv: Object.fromEntries(keys.sort().map((k) => [k, secretMask] as const)),
    ...spec,
    hostId: r.host_id,
    logRetention: JSON.parse(r.log_retention) as Template['logRetention'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
};

function specOf(t: TemplateWrite): SpecColumn {
  return {
    entrypoint: t.entrypoint,
    workingDir: t.workingDir,
    user: t.user,
    cpus: t.cpus,
    memoryBytes: t.memoryBytes,
    pidsLimit: t.pidsLimit,
    network: t.network,
    volumes: t.volumes,
    labels: t.labels,
    pullPolicy: t.pullPolicy,
    timeoutSeconds: t.timeoutSeconds,
    retry: t.retry as Template['retry'],
    schedule: t.schedule as Template['schedule'],
  };
}

/**
 * Templates and their secrets. Secret values are read by one method only, `secretValues`, which
 * the runner calls to start a container; every other read gives the keys with the mask.
 */
export class TemplateRepository {
  private readonly selectLive;
  private readonly selectOne;
  private readonly selectByName;
  private readonly insertOne;
  private readonly updateOne;
  private readonly deleteOne;
  private readonly secretRows;
  private readonly putSecret;
  private readonly dropSecrets;
  private readonly dropSecret;
  private readonly lastRun;
  private readonly setLastRunStmt;
  private readonly write;

  constructor(private readonly db: Db) {
    const select = `SELECT t.*, (SELECT json_group_array(s.key) FROM template_secrets s WHERE s.template_id = t.id) AS secret_keys FROM templates t`;
    this.selectLive = db.prepare<[], TemplateRow>(`${select} WHERE t.deleted_at IS NULL ORDER BY t.name COLLATE NOCASE, t.id`);
    this.selectOne = db.prepare<[number], TemplateRow>(`${select} WHERE t.id = ?`);
    this.selectByName = db.prepare<[string], TemplateRow>(`${select} WHERE t.name = ? AND t.deleted_at IS NULL`);
    this.insertOne = db.prepare(
      `INSERT INTO templates (name, image, command, env, spec, host_id, log_retention, created_at, updated_at)
       VALUES (@name, @image, @command, @env, @spec, @hostId, @logRetention, @now, @now)`,
    );
    this.updateOne = db.prepare(
      `UPDATE templates SET name = @name, image = @image, command = @command, env = @env, spec = @spec, host_id = @hostId,
         log_retention = @logRetention, updated_at = @now WHERE id = @id`,
    );
    this.deleteOne = db.prepare('UPDATE templates SET deleted_at = ? WHERE id = ?');
    this.secretRows = db.prepare<[number], { key: string; value: string }>('SELECT key, value FROM template_secrets WHERE template_id = ?');
    this.putSecret = db.prepare('INSERT OR REPLACE INTO template_secrets (template_id, key, value) VALUES (?, ?, ?)');
    this.dropSecrets = db.prepare('DELETE FROM template_secrets WHERE template_id = ?');
    this.dropSecret = db.prepare('DELETE FROM template_secrets WHERE template_id = ? AND key = ?');
    this.lastRun = db.prepare<[number], { last_run_at: number }>('SELECT last_run_at FROM schedule_state WHERE template_id = ?');
    this.setLastRunStmt = db.prepare('INSERT OR REPLACE INTO schedule_state (template_id, last_run_at) VALUES (?, ?)');
    this.write = db.transaction((id: number | null, t: TemplateWrite, now: number): number => {
      const row = {
        name: t.name,
        image: t.image,
        command: JSON.stringify(t.command),
        env: JSON.stringify(t.env),
        spec: JSON.stringify(specOf(t)),
        hostId: t.hostId,
        logRetention: JSON.stringify(t.logRetention),
        now,
      };
      const templateId = id === null ? Number(this.insertOne.run(row).lastInsertRowid) : (this.updateOne.run({ ...row, id }), id);
      // Keys left out are removed; a key sent with the mask keeps its value; any other value replaces it.
      const kept = new Set(Object.keys(t.secretEnv));
      for (const { key } of this.secretRows.all(templateId)) if (!kept.has(key)) this.dropSecret.run(templateId, key);
      for (const [key, value] of Object.entries(t.secretEnv)) {
        if (value !== secretMask) this.putSecret.run(templateId, key, value);
      }
      return templateId;
    });
  }

  /** Live templates, by name. */
  list(): StoredTemplate[] {
    return this.selectLive.all().map(toTemplate);
  }

  /** A template, deleted or not (a job's history still names it). */
  get(id: number): StoredTemplate | undefined {
    const row = this.selectOne.get(id);
    return row && toTemplate(row);
  }

  /** The live template with this name. */
  findByName(name: string): StoredTemplate | undefined {
    const row = this.selectByName.get(name);
    return row && toTemplate(row);
  }

  /** Secret keys sent with the mask must already exist: the caller checks with `get` first. */
  insert(t: TemplateWrite, now: number): StoredTemplate {
    return this.get(this.write(null, t, now))!;
  }

  update(id: number, t: TemplateWrite, now: number): StoredTemplate {
    this.write(id, t, now);
    return this.get(id)!;
  }

  /** Marks it deleted and forgets its secrets; the row stays for its jobs' history. */
  delete(id: number, now: number): void {
    this.db.transaction(() => {
      this.deleteOne.run(now, id);
      this.dropSecrets.run(id);
    })();
  }

  /** The secret values, for starting a container and nothing else. */
  secretValues(id: number): Record<string, string> {
    return Object.fromEntries(this.secretRows.all(id).map((r) => [r.key, r.value] as const));
  }

  /** When its schedule last fired (or was enabled), for catch-up after downtime. */
  scheduleLastRun(id: number): number | null {
    return this.lastRun.get(id)?.last_run_at ?? null;
  }

  setScheduleLastRun(id: number, at: number): void {
    this.setLastRunStmt.run(id, at);
  }
}
