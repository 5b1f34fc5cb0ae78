/**
 * The filtered jobs list as a file: CSV (RFC 4180: fields with a comma, a quote or a line break
 * quoted, quotes doubled, CRLF between records) or NDJSON (one Job per line). It walks the list
 * a page at a time with the list's own cursor and yields each page's text, so the consumer's
 * pace decides how fast it reads and 100,000 jobs take the memory of one page.
 */
import type { DownloadBody, JobFilter } from '../../../shared/contract';
import type { Job } from '../../../shared/model';
import type { JobRepository } from '../store/job-repository';
import { publicJob } from './job-actions';

export type JobExportFormat = 'csv' | 'ndjson';

export const csvHeader = [
  'id',
  'template',
  'status',
  'trigger',
  'attempt',
  'retryOf',
  'host',
  'exitCode',
  'error',
  'createdAt',
  'startedAt',
  'finishedAt',
  'waitMs',
  'runMs',
] as const;

const pageSize = 500;

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function csvRow(job: Job, hostName: (id: number) => string | null): string {
  const host = job.hostId === null ? null : (hostName(job.hostId) ?? String(job.hostId));
  return [
    job.id,
    job.templateName,
    job.status,
    job.trigger,
    job.attempt,
    job.retryOf,
    host,
    job.exitCode,
    job.error,
    iso(job.createdAt),
    iso(job.startedAt),
    iso(job.finishedAt),
    job.waitMs,
    job.runMs,
  ]
    .map(csvField)
    .join(',');
}

export function exportJobs(
  jobs: JobRepository,
  filter: JobFilter,
  format: JobExportFormat,
  hostName: (id: number) => string | null,
  now = new Date(),
): DownloadBody {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  async function* body(): AsyncGenerator<string> {
    if (format === 'csv') yield `${csvHeader.join(',')}\r\n`;
    let cursor: string | undefined;
    do {
      const page = jobs.list({ ...filter, cursor, limit: pageSize });
      cursor = page.nextCursor ?? undefined;
      if (page.jobs.length === 0) break;
      yield format === 'csv'
        ? page.jobs.map((j) => `${csvRow(j, hostName)}\r\n`).join('')
        : page.jobs.map((j) => `${JSON.stringify(publicJob(j))}\n`).join('');
    } while (cursor !== undefined);
  }
  return {
    filename: `berth-jobs-${stamp}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    encoding: 'utf8',
    body: body(),
  };
}
