import type { LogBatch } from '../../../shared/model';

/** Where lines come from: one of Berth's jobs, or a container Berth follows (an attachment). */
export type SourceRef = { kind: 'job'; id: number } | { kind: 'container'; id: string };

/** The `logs.query` / `logs` stream filter that selects a source's lines. */
export function sourceFilter(source: SourceRef): { jobId: number } | { containerId: string } {
  return source.kind === 'job' ? { jobId: source.id } : { containerId: source.id };
}

/** True when a live batch belongs to the source (a container may be named by a prefix of its id). */
export function batchMatches(source: SourceRef, batch: Pick<LogBatch, 'jobId' | 'containerId'>): boolean {
  if (source.kind === 'job') return batch.jobId === source.id;
  return batch.containerId !== null && batch.containerId.startsWith(source.id);
}

/** `job:12`, `container:3f2a…`: a stable key for maps, React keys and URLs. */
export function sourceKey(source: SourceRef): string {
  return `${source.kind}:${source.id}`;
}

export function parseSourceKey(key: string): SourceRef | null {
  const job = /^job:(\d+)$/.exec(key);
  if (job && Number(job[1]) > 0) return { kind: 'job', id: Number(job[1]) };
  const container = /^container:([0-9a-f]{12,64})$/i.exec(key);
  if (container) return { kind: 'container', id: container[1]!.toLowerCase() };
  return null;
}

export function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.kind === b.kind && a.id === b.id;
}
