/**
 * How exported lines are written: NDJSON (one LogEntry per line) or the text `docker logs
 * --timestamps` prints, and what the download is called.
 */
import type { LogExport } from '../../../../shared/contract';
import type { LogEntry } from '../../../../shared/model';

export type ExportFormat = LogExport['format'];

/** RFC 3339 in UTC with nine fraction digits, as Docker prints it; our times are milliseconds. */
export function dockerTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-23T10:00:00.123Z
  return `${iso.slice(0, -1)}000000Z`;
}

/** The entries as export text, each ending in a newline. */
export function formatEntries(entries: readonly LogEntry[], format: ExportFormat): string {
  let out = '';
  if (format === 'ndjson') {
    for (const e of entries) out += `${JSON.stringify(e)}\n`;
  } else {
    for (const e of entries) out += `${dockerTimestamp(e.timestamp)} ${e.message}\n`;
  }
  return out;
}

export function exportContentType(e: Pick<LogExport, 'format' | 'gzip'>): string {
  if (e.gzip) return 'application/gzip';
  return e.format === 'ndjson' ? 'application/x-ndjson; charset=utf-8' : 'text/plain; charset=utf-8';
}

/**
 * `berth-logs-<scope>-<YYYYMMDD-HHmmss>.<ndjson|log>[.gz]`, the time in UTC. The scope names
 * what was exported: `job-<id>` for one job, the container's 12-character id for one container,
 * the service's name for one service (`service-<id>` when only its id was given), else `all`.
 */
export function exportFilename(e: LogExport, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `berth-logs-${exportScope(e)}-${stamp}.${e.format === 'ndjson' ? 'ndjson' : 'log'}${e.gzip ? '.gz' : ''}`;
}

function exportScope(e: LogExport): string {
  const one = <T>(values: readonly T[] | undefined): T | undefined => (values?.length === 1 ? values[0] : undefined);
  const job = one(e.jobId);
  if (job !== undefined) return `job-${job}`;
  const container = one(e.containerId);
  if (container !== undefined) return container.toLowerCase().slice(0, 12);
  const serviceName = one(e.serviceName);
  if (serviceName !== undefined) return serviceName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'service';
  const serviceId = one(e.serviceId);
  if (serviceId !== undefined) return `service-${serviceId}`;
  return 'all';
}
