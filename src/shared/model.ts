/**
 * The entities that cross the boundary between main and renderer (and the REST API).
 * Times are milliseconds since the epoch, as in the reference log API.
 */
import { z } from 'zod';
import { finishedStatuses, jobStatuses } from './job-status';

export const JobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatus>;
export { finishedStatuses, jobStatuses };

export const hostKinds = ['local', 'socket', 'tcp', 'ssh'] as const;
export const HostKind = z.enum(hostKinds);
export type HostKind = z.infer<typeof HostKind>;

export const HostStatus = z.object({
  state: z.enum(['unknown', 'up', 'down']),
  /** Engine version from /version, when up. */
  version: z.string().nullable(),
  apiVersion: z.string().nullable(),
  os: z.string().nullable(),
  arch: z.string().nullable(),
  /** Why the last check failed, when down. */
  error: z.string().nullable(),
  checkedAt: z.number().nullable(),
  latencyMs: z.number().nullable(),
});
export type HostStatus = z.infer<typeof HostStatus>;

export const Host = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: HostKind,
  /** Socket path, host:port or user@host:port; for `local`, what DOCKER_HOST or the platform default resolves to. */
  address: z.string(),
  tls: z.boolean(),
  isDefault: z.boolean(),
  status: HostStatus,
});
export type Host = z.infer<typeof Host>;

export const Template = z.object({
  id: z.number().int(),
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  createdAt: z.number(),
});
export type Template = z.infer<typeof Template>;

export const Job = z.object({
  id: z.number().int(),
  templateId: z.number().int(),
  templateName: z.string(),
  hostId: z.number().int(),
  status: JobStatus,
  exitCode: z.number().int().nullable(),
  /** Why Berth could not run the job (pull, create, start failures), not the container's own failure. */
  error: z.string().nullable(),
  containerId: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type Job = z.infer<typeof Job>;

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = z.enum(logLevels);
export type LogLevel = z.infer<typeof LogLevel>;

export const logSources = ['container', 'system', 'manager'] as const;
export const LogSource = z.enum(logSources);
export type LogSource = z.infer<typeof LogSource>;

/** One stored line in the shape of the reference log API. */
export const LogEntry = z.object({
  id: z.number().int(),
  message: z.string(),
  timestamp: z.number(),
  level: LogLevel,
  source: z.object({ type: LogSource, name: z.string() }),
  serviceId: z.number().int().nullable(),
  serviceName: z.string().nullable(),
  containerId: z.string().nullable(),
  jobId: z.number().int().nullable(),
  isStdErr: z.boolean(),
  isSystem: z.boolean(),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** A line as the live stream carries it: only what a log pane needs, the job is on the batch. */
export const LogLine = z.object({
  id: z.number().int(),
  timestamp: z.number(),
  level: LogLevel,
  source: LogSource,
  isStdErr: z.boolean(),
  message: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

/**
 * Lines of one job just stored. `prevId` is the id of that job's line stored before this batch
 * (0 if none): a subscriber whose last seen id differs has missed a batch and re-reads the gap.
 */
export const LogBatch = z.object({
  jobId: z.number().int(),
  prevId: z.number().int(),
  lines: z.array(LogLine),
});
export type LogBatch = z.infer<typeof LogBatch>;
