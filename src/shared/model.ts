/**
 * The entities that cross the boundary between main and renderer (and the REST API).
 * Times are milliseconds since the epoch, as in the reference log API.
 */
import { z } from 'zod';
import { finishedStatuses, jobStatuses, jobTriggers, pullPolicies, secretMask } from './job-status';

export const JobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatus>;
export { finishedStatuses, jobStatuses, jobTriggers, pullPolicies, secretMask };
export const JobTrigger = z.enum(jobTriggers);
export type JobTrigger = z.infer<typeof JobTrigger>;
export const PullPolicy = z.enum(pullPolicies);
export type PullPolicy = z.infer<typeof PullPolicy>;

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
  /** The engine's CPUs and memory (from /info), when up. */
  cpus: z.number().int().nullable(),
  memoryBytes: z.number().int().nullable(),
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
  /** A disabled host is not checked and gets no new jobs; its queued jobs wait. */
  enabled: z.boolean(),
  /** Most Berth jobs running at once, as set; null: the engine's CPU count. */
  concurrency: z.number().int().nullable(),
  /** The limit in force: `concurrency`, else the CPU count (1 while unknown). */
  slots: z.number().int(),
  /** Berth jobs running there now, and jobs waiting in its queue. */
  running: z.number().int(),
  queued: z.number().int(),
  status: HostStatus,
});
export type Host = z.infer<typeof Host>;

/** One change of a host's state, for its history. */
export const HostStatusChange = z.object({
  checkedAt: z.number(),
  state: z.enum(['unknown', 'up', 'down']),
  version: z.string().nullable(),
  error: z.string().nullable(),
  latencyMs: z.number().nullable(),
});
export type HostStatusChange = z.infer<typeof HostStatusChange>;

/** A Docker CLI context found on this machine (`docker context ls`), as hosts can be imported from. */
export const DockerContext = z.object({
  name: z.string(),
  description: z.string(),
  /** The engine endpoint, e.g. unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  endpoint: z.string(),
  tls: z.boolean(),
  /** Name of the Berth host already using this endpoint, if any. */
  importedAs: z.string().nullable(),
});
export type DockerContext = z.infer<typeof DockerContext>;

/** A template's own log retention; a field left out follows the global setting. */
export const LogRetention = z.object({
  maxAgeDays: z.number().int().optional(),
  maxBytes: z.number().int().optional(),
});
export type LogRetention = z.infer<typeof LogRetention>;

/** When a failed run gets another attempt (see core/jobs/retry/retry-policy.ts). */
export const RetryPolicy = z.object({
  /** Total attempts, the first included: 1 means no retry. */
  attempts: z.number().int(),
  /** 'failed' (any non-zero exit), 'timed_out', 'error' (Berth could not start it), or exit codes. */
  on: z.array(z.union([z.enum(['failed', 'timed_out', 'error']), z.number().int()])),
  backoffSeconds: z.number(),
  factor: z.number(),
  maxBackoffSeconds: z.number(),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const Schedule = z.object({
  /** 5 fields, or 6 with seconds first; or @hourly, @daily… */
  cron: z.string(),
  /** IANA time zone the expression is read in. */
  timezone: z.string(),
  enabled: z.boolean(),
  /** A run falls due while one still runs: skip it (forbid), run both (allow), or cancel the old one (replace). */
  concurrency: z.enum(['forbid', 'allow', 'replace']),
  /** Runs that fell due while Berth was down: none (skip), or one (run-once). */
  missed: z.enum(['skip', 'run-once']),
});
export type Schedule = z.infer<typeof Schedule>;

/**
 * What a container is started with: a template's run fields, and on a job the template resolved
 * with the run's overrides. Secret values never appear: `secretEnv` maps each key to the mask.
 */
export const RunSpec = z.object({
  image: z.string(),
  /** argv; [] means the image's CMD. */
  command: z.array(z.string()),
  /** null: the image's ENTRYPOINT. */
  entrypoint: z.array(z.string()).nullable(),
  workingDir: z.string().nullable(),
  user: z.string().nullable(),
  env: z.record(z.string(), z.string()),
  secretEnv: z.record(z.string(), z.literal(secretMask)),
  /** CPU cores, as `docker run --cpus`. */
  cpus: z.number().nullable(),
  memoryBytes: z.number().int().nullable(),
  pidsLimit: z.number().int().nullable(),
  /** A network name (bridge, host, none, or a user network); null: Docker's default. */
  network: z.string().nullable(),
  /** `name:/path[:ro]` (named volume) or `/host/path:/path[:ro]` (bind mount). */
  volumes: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  pullPolicy: PullPolicy,
  /** Stop the container (grace, then kill) and end the job `timed_out` after this long; null: no limit. */
  timeoutSeconds: z.number().int().nullable(),
});
export type RunSpec = z.infer<typeof RunSpec>;

export const Template = RunSpec.extend({
  id: z.number().int(),
  name: z.string(),
  /** Where its jobs run; null: the least busy host that is up. */
  hostId: z.number().int().nullable(),
  /** null: no retries. */
  retry: RetryPolicy.nullable(),
  schedule: Schedule.nullable(),
  /** The schedule's next due times (up to 5), empty when it has none or it is disabled. */
  nextRuns: z.array(z.number()),
  logRetention: LogRetention,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Template = z.infer<typeof Template>;

/** How a template's jobs went, as the templates page shows it. */
export const TemplateStats = z.object({
  templateId: z.number().int(),
  jobs: z.number().int(),
  completed: z.number().int(),
  /** Failed or timed out. */
  failed: z.number().int(),
  /** Completed of finished (cancelled ones left out), 0..1; null before any finished. */
  successRate: z.number().nullable(),
  lastRunAt: z.number().nullable(),
  /** Mean running time of its finished jobs. */
  meanRunMs: z.number().nullable(),
});
export type TemplateStats = z.infer<typeof TemplateStats>;

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
  /** Where it runs or ran; null while it waits for any host. */
  hostId: z.number().int().nullable(),
  status: JobStatus,
  trigger: JobTrigger,
  /** 1 for the first run; a retry is attempt n + 1 of the job it retries (`retryOf`). */
  attempt: z.number().int(),
  retryOf: z.number().int().nullable(),
  /** The retry of this job, once one was made. */
  retriedBy: z.number().int().nullable(),
  /** While pending: place in its host's queue (1 = next), counting jobs that may start now. */
  queuePosition: z.number().int().nullable(),
  /** A retry waits for its backoff until then. */
  notBefore: z.number().nullable(),
  /** Time spent waiting (until start, or until now while pending), and running (until the end, or now). */
  waitMs: z.number().nullable(),
  runMs: z.number().nullable(),
  /** What it runs with: its template and the run's overrides, secrets masked. */
  spec: RunSpec,
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
