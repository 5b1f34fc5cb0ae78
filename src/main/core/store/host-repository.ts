import type { HostKind, HostStatus, HostStatusChange } from '../../../shared/model';
import type { Db } from './database';

/** A host as stored; TLS file paths stay in main and never reach the renderer or the API. */
export interface HostRecord {
  id: number;
  name: string;
  kind: HostKind;
  address: string;
  tls: { ca: string; cert: string; key: string } | null;
  isDefault: boolean;
  enabled: boolean;
  /** Follow the logs of every container on the host. */
  attachAll: boolean;
  /** Most jobs at once; null: the engine's CPU count. */
  concurrency: number | null;
}

interface HostRow {
  id: number;
  name: string;
  kind: HostKind;
  address: string;
  tls_ca: string | null;
  tls_cert: string | null;
  tls_key: string | null;
  is_default: number;
  enabled: number;
  attach_all: number;
  concurrency: number | null;
}

const toRecord = (r: HostRow): HostRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  address: r.address,
  tls: r.tls_ca && r.tls_cert && r.tls_key ? { ca: r.tls_ca, cert: r.tls_cert, key: r.tls_key } : null,
  isDefault: r.is_default === 1,
  enabled: r.enabled === 1,
  attachAll: r.attach_all === 1,
  concurrency: r.concurrency,
});

export class HostRepository {
  private readonly selectAll;
  private readonly selectOne;
  private readonly selectByName;
  private readonly insertOne;
  private readonly insertStatus;
  private readonly setAttachAllStmt;

  constructor(private readonly db: Db) {
    this.selectAll = db.prepare<[], HostRow>('SELECT * FROM hosts WHERE deleted_at IS NULL ORDER BY is_default DESC, id');
    this.selectOne = db.prepare<[number], HostRow>('SELECT * FROM hosts WHERE id = ? AND deleted_at IS NULL');
    this.selectByName = db.prepare<[string], HostRow>('SELECT * FROM hosts WHERE name = ? AND deleted_at IS NULL');
    this.insertOne = db.prepare(
      `INSERT INTO hosts (name, kind, address, tls_ca, tls_cert, tls_key, created_at)
       VALUES (@name, @kind, @address, @ca, @cert, @key, @createdAt)`,
    );
    this.setAttachAllStmt = db.prepare('UPDATE hosts SET attach_all = ? WHERE id = ?');
    this.insertStatus = db.prepare(
      `INSERT INTO host_status (host_id, checked_at, state, version, error, latency_ms)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
  }

  list(): HostRecord[] {
    return this.selectAll.all().map(toRecord);
  }

  /** A live host (removed ones are not found). */
  get(id: number): HostRecord | undefined {
    const row = this.selectOne.get(id);
    return row && toRecord(row);
  }

  findByName(name: string): HostRecord | undefined {
    const row = this.selectByName.get(name);
    return row && toRecord(row);
  }

  setAttachAll(id: number, on: boolean): void {
    this.setAttachAllStmt.run(on ? 1 : 0, id);
  }

  /** Changes the fields given. */
  patch(id: number, patch: { name?: string; concurrency?: number | null; enabled?: boolean }): void {
    if (patch.name !== undefined) this.db.prepare('UPDATE hosts SET name = ? WHERE id = ?').run(patch.name, id);
    if (patch.concurrency !== undefined) this.db.prepare('UPDATE hosts SET concurrency = ? WHERE id = ?').run(patch.concurrency, id);
    if (patch.enabled !== undefined) this.db.prepare('UPDATE hosts SET enabled = ? WHERE id = ?').run(patch.enabled ? 1 : 0, id);
  }

  /** Marks it removed; the row stays for the history of the jobs that ran there. */
  remove(id: number, now: number): void {
    this.db.prepare('UPDATE hosts SET deleted_at = ? WHERE id = ?').run(now, id);
  }

  /** State changes, newest first. */
  history(hostId: number, limit: number): HostStatusChange[] {
    return this.db
      .prepare<[number, number], { checked_at: number; state: HostStatusChange['state']; version: string | null; error: string | null; latency_ms: number | null }>(
        'SELECT checked_at, state, version, error, latency_ms FROM host_status WHERE host_id = ? ORDER BY checked_at DESC, rowid DESC LIMIT ?',
      )
      .all(hostId, limit)
      .map((r) => ({ checkedAt: r.checked_at, state: r.state, version: r.version, error: r.error, latencyMs: r.latency_ms }));
  }

  insert(host: Omit<HostRecord, 'id' | 'isDefault' | 'enabled' | 'attachAll' | 'concurrency'>, createdAt: number): HostRecord {
    const info = this.insertOne.run({
      name: host.name,
      kind: host.kind,
      address: host.address,
      ca: host.tls?.ca ?? null,
      cert: host.tls?.cert ?? null,
      key: host.tls?.key ?? null,
      createdAt,
    });
    return this.get(Number(info.lastInsertRowid))!;
  }

  recordStatus(hostId: number, s: HostStatus): void {
    this.insertStatus.run(hostId, s.checkedAt ?? Date.now(), s.state, s.version, s.error, s.latencyMs);
  }
}
