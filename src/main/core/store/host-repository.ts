import type { HostKind, HostStatus } from '../../../shared/model';
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
});

export class HostRepository {
  private readonly selectAll;
  private readonly selectOne;
  private readonly selectByName;
  private readonly insertOne;
  private readonly insertStatus;
  private readonly setAttachAllStmt;

  constructor(db: Db) {
    this.selectAll = db.prepare<[], HostRow>('SELECT * FROM hosts ORDER BY is_default DESC, id');
    this.selectOne = db.prepare<[number], HostRow>('SELECT * FROM hosts WHERE id = ?');
    this.selectByName = db.prepare<[string], HostRow>('SELECT * FROM hosts WHERE name = ?');
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

  insert(host: Omit<HostRecord, 'id' | 'isDefault' | 'enabled' | 'attachAll'>, createdAt: number): HostRecord {
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
