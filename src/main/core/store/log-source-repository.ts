/**
 * Rows of `log_sources` as the main thread sees them: who a source is (a job, an attached
 * container) and its attachment state. Counters and cursors belong to the writer worker, which
 * updates only those columns; this repository never writes them.
 */
import type { Attachment } from '../../../shared/model';
import type { Db } from './database';

export interface SourceIdentity {
  id: number;
  jobId: number | null;
  hostId: number | null;
  containerId: string | null;
  containerName: string | null;
  serviceId: number | null;
  serviceName: string | null;
}

export interface AttachmentRecord extends SourceIdentity {
  hostId: number;
  containerId: string;
  reason: Attachment['reason'];
  state: Attachment['state'];
  error: string | null;
  attachedAt: number;
  lines: number;
  lastTs: number | null;
}

interface SourceRow {
  id: number;
  job_id: number | null;
  host_id: number | null;
  container_id: string | null;
  container_name: string | null;
  service_id: number | null;
  service_name: string | null;
  attach_reason: Attachment['reason'] | null;
  attached_at: number | null;
  state: Attachment['state'] | null;
  error: string | null;
  lines: number;
  last_ts: number | null;
}

const toIdentity = (r: SourceRow): SourceIdentity => ({
  id: r.id,
  jobId: r.job_id,
  hostId: r.host_id,
  containerId: r.container_id,
  containerName: r.container_name,
  serviceId: r.service_id,
  serviceName: r.service_name,
});

const toAttachment = (r: SourceRow): AttachmentRecord => ({
  ...toIdentity(r),
  hostId: r.host_id ?? 0,
  containerId: r.container_id ?? '',
  reason: r.attach_reason ?? 'api',
  state: r.state ?? 'waiting',
  error: r.error,
  attachedAt: r.attached_at ?? 0,
  lines: r.lines,
  lastTs: r.last_ts,
});

export class LogSourceRepository {
  private readonly insertJob;
  private readonly byJob;
  private readonly byId;
  private readonly byContainer;
  private readonly byContainerPrefix;
  private readonly setContainerStmt;
  private readonly attachedStmt;
  private readonly attachedOnHost;
  private readonly insertContainer;
  private readonly attachStmt;
  private readonly detachStmt;
  private readonly stateStmt;
  private readonly renameService;

  constructor(db: Db) {
    const columns = `id, job_id, host_id, container_id, container_name, service_id, service_name, attach_reason,
      attached_at, state, error, lines, last_ts`;
    this.insertJob = db.prepare(
      'INSERT INTO log_sources (job_id, host_id, service_id, service_name, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byJob = db.prepare<[number], SourceRow>(`SELECT ${columns} FROM log_sources WHERE job_id = ?`);
    this.byId = db.prepare<[number], SourceRow>(`SELECT ${columns} FROM log_sources WHERE id = ?`);
    this.byContainer = db.prepare<[number, string], SourceRow>(
      `SELECT ${columns} FROM log_sources WHERE host_id = ? AND container_id = ? AND job_id IS NULL`,
    );
    // Ids are lowercase hex, so every id starting with `p` sorts in [p, p + 'g').
    this.byContainerPrefix = db.prepare<[string, string], SourceRow>(
      `SELECT ${columns} FROM log_sources WHERE container_id >= ? AND container_id < ? LIMIT 2`,
    );
    this.setContainerStmt = db.prepare('UPDATE log_sources SET container_id = ?, container_name = ? WHERE id = ?');
    this.attachedStmt = db.prepare<[], SourceRow>(`SELECT ${columns} FROM log_sources WHERE attach_reason IS NOT NULL ORDER BY id`);
    this.attachedOnHost = db.prepare<[number], SourceRow>(
      `SELECT ${columns} FROM log_sources WHERE attach_reason IS NOT NULL AND host_id = ? ORDER BY id`,
    );
    this.insertContainer = db.prepare(
      `INSERT INTO log_sources (host_id, container_id, container_name, service_id, service_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.attachStmt = db.prepare(
      `UPDATE log_sources SET attach_reason = ?, attached_at = ?, service_id = ?, service_name = ?, container_name = ?,
         state = 'waiting', error = NULL WHERE id = ?`,
    );
    this.detachStmt = db.prepare('UPDATE log_sources SET attach_reason = NULL, state = NULL, error = NULL WHERE id = ?');
    this.stateStmt = db.prepare('UPDATE log_sources SET state = ?, error = ? WHERE id = ?');
    this.renameService = db.prepare('UPDATE log_sources SET service_name = ? WHERE service_id = ? AND job_id IS NOT NULL');
  }

  /** The source of a new job, created with it. */
  createForJob(jobId: number, hostId: number, templateId: number, templateName: string, createdAt: number): number {
    return Number(this.insertJob.run(jobId, hostId, templateId, templateName, createdAt).lastInsertRowid);
  }

  ofJob(jobId: number): SourceIdentity | undefined {
    const row = this.byJob.get(jobId);
    return row && toIdentity(row);
  }

  get(id: number): SourceIdentity | undefined {
    const row = this.byId.get(id);
    return row && toIdentity(row);
  }

  setContainer(sourceId: number, containerId: string, containerName: string | null): void {
    this.setContainerStmt.run(containerId, containerName, sourceId);
  }

  /** A container's source (not a job's), attached or not. */
  ofContainer(hostId: number, containerId: string): AttachmentRecord | undefined {
    const row = this.byContainer.get(hostId, containerId);
    return row && toAttachment(row);
  }

  /**
   * The source whose container id is `ref` or starts with it (12+ characters), like the Docker
   * CLI; undefined if none, 'ambiguous' if several.
   */
  findByContainer(ref: string): SourceIdentity | 'ambiguous' | undefined {
    const id = ref.toLowerCase();
    const rows = id.length >= 12 ? this.byContainerPrefix.all(id, `${id}g`) : [];
    if (rows.length > 1) return 'ambiguous';
    return rows[0] && toIdentity(rows[0]);
  }

  attachments(hostId?: number): AttachmentRecord[] {
    return (hostId === undefined ? this.attachedStmt.all() : this.attachedOnHost.all(hostId)).map(toAttachment);
  }

  /** Marks a container as attached (creating its source the first time); returns its source id. */
  attach(
    hostId: number,
    containerId: string,
    containerName: string,
    reason: Attachment['reason'],
    service: { id: number | null; name: string },
    now: number,
  ): number {
    const existing = this.byContainer.get(hostId, containerId);
    const id = existing?.id ?? Number(this.insertContainer.run(hostId, containerId, containerName, service.id, service.name, now).lastInsertRowid);
    this.attachStmt.run(reason, now, service.id, service.name, containerName, id);
    return id;
  }

  detach(sourceId: number): void {
    this.detachStmt.run(sourceId);
  }

  setState(sourceId: number, state: Attachment['state'], error: string | null): void {
    this.stateStmt.run(state, error, sourceId);
  }

  attachment(sourceId: number): AttachmentRecord | undefined {
    const row = this.byId.get(sourceId);
    return row && row.attach_reason !== null ? toAttachment(row) : undefined;
  }

  /** A renamed template's jobs carry the new name as their service name. */
  renameTemplate(templateId: number, name: string): void {
    this.renameService.run(name, templateId);
  }
}
