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
  /** Follow the logs of every container on this host, not only Berth's jobs and attached ones. */
  attachAll: z.boolean(),
  status: HostStatus,
});
export type Host = z.infer<typeof Host>;

/** A template's own log retention; a field left out follows the global setting. */
export const LogRetention = z.object({
  maxAgeDays: z.number().int().optional(),
  maxBytes: z.number().int().optional(),
});
export type LogRetention = z.infer<typeof LogRetention>;

export const Template = z.object({
  id: z.number().int(),
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  logRetention: LogRetention,
  createdAt: z.number(),
});
export type Template = z.infer<typeof Template>;

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export const LogLevel = z.enum(logLevels);
export type LogLevel = z.infer<typeof LogLevel>;

/** Stored lines per level. */
export const LevelCounts = z.object({ debug: z.number().int(), info: z.number().int(), warn: z.number().int(), error: z.number().int() });
export type LevelCounts = z.infer<typeof LevelCounts>;

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
  /** Stored log lines of the job (its output and Berth's lines about it), kept as counters at ingest. */
  logLines: z.number().int(),
  logLevels: LevelCounts,
});
export type Job = z.infer<typeof Job>;

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
 * Lines of one job or attached container just stored. `prevId` is the id of that source's line
 * stored before this batch (0 if none): a subscriber whose last seen id differs has missed a
 * batch and re-reads the gap.
 */
export const LogBatch = z.object({
  jobId: z.number().int().nullable(),
  containerId: z.string().nullable(),
  prevId: z.number().int(),
  lines: z.array(LogLine),
});
export type LogBatch = z.infer<typeof LogBatch>;

export const attachReasons = ['api', 'label', 'host'] as const;
export const attachmentStates = ['following', 'waiting', 'gone'] as const;

/** A container whose logs Berth follows although it is not one of Berth's jobs. */
export const Attachment = z.object({
  containerId: z.string(),
  containerName: z.string(),
  hostId: z.number().int(),
  serviceId: z.number().int().nullable(),
  /** The name given when attaching, else the container's name. */
  serviceName: z.string(),
  /** api: attached by a request; label: it carries `berth.attach=true`; host: its host attaches every container. */
  reason: z.enum(attachReasons),
  /** following: reading its output now; waiting: stopped or its host is down, followed again when it runs; gone: removed. */
  state: z.enum(attachmentStates),
  /** Why following failed last, if it did. */
  error: z.string().nullable(),
  attachedAt: z.number(),
  logLines: z.number().int(),
  lastLineAt: z.number().nullable(),
});
export type Attachment = z.infer<typeof Attachment>;

/** A container on a host, as the attach view lists them. */
export const ContainerSummary = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** Docker's state: created, running, paused, restarting, exited, dead. */
  state: z.string(),
  /** Docker's words for it, e.g. "Up 5 minutes". */
  status: z.string(),
  createdAt: z.number(),
  labels: z.record(z.string(), z.string()),
  /** Set when the container is one of Berth's jobs. */
  jobId: z.number().int().nullable(),
  /** Berth follows its logs as an attachment. */
  attached: z.boolean(),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const LogSettings = z.object({
  /** Lines older than this are deleted. */
  maxAgeDays: z.number().int(),
  /** The store (lines, their indexes and the search index) is kept under this size, oldest lines deleted first. */
  maxBytes: z.number().int(),
});
export const Settings = z.object({ logs: LogSettings });
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = { logs: { maxAgeDays: 30, maxBytes: 2 * 1024 ** 3 } };
