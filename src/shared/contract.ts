/**
 * The one contract between the renderer and main, and the REST API.
 *
 * Every request (name → input, output; its REST route is in operations.ts) and every event and
 * stream is declared here once. The Electron IPC handlers and preload, the HTTP/WebSocket server and both renderer
 * clients are derived from these tables; nothing else names a channel or a route.
 */
import { z } from 'zod';
import { splitShellWords } from './shell-words';
import {
  Attachment,
  ContainerSummary,
  DockerContext,
  Host,
  HostKind,
  HostStatusChange,
  Job,
  JobStatus,
  JobTrigger,
  PullPolicy,
  LogBatch,
  LogEntry,
  LogLevel,
  LogSource,
  Settings,
  Template,
  TemplateStats,
} from './model';
import type { DownloadName, RequestName } from './operations';

export type { DownloadName, RequestName } from './operations';

/** Accepts a number or a string of digits (query strings and path params arrive as text). */
const int = () =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }),
  );
const id = () => int().pipe(z.number().positive({ error: 'expected an id (a positive whole number)' }));

const envName = z.string().min(1).max(256).refine((k) => !k.includes('=') && !k.includes('\0'), {
  message: "environment variable names cannot contain '=' or NUL",
});

/** `{KEY: value}` or Docker's `["KEY=value"]`. */
const EnvInput = z
  .union([
    z.record(envName, z.string().max(65536)),
    z.array(z.string().regex(/^[^=\0]+=/, "each entry must look like 'NAME=value'")),
  ])
  .transform((env) => {
    if (!Array.isArray(env)) return env;
    const out: Record<string, string> = {};
    for (const pair of env) {
      const eq = pair.indexOf('=');
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
  });

/** A command line split like a shell would, or the argv itself. Empty means the image's own CMD. */
const CommandInput = z.union([z.string().max(65536), z.array(z.string().max(65536)).max(4096)]).transform((cmd, ctx) => {
  if (Array.isArray(cmd)) return cmd;
  try {
    return splitShellWords(cmd);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** One value, or several (a repeated query parameter), meaning "any of these". */
const anyOf = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(100)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));

/** `1`, `true`, `0`, `false` as query strings send them, or a JSON boolean. */
const flag = () =>
  z.preprocess((v) => (v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : v), z.boolean({ error: 'expected true or false (1 or 0)' }));

/** Milliseconds since the epoch, or an ISO 8601 time such as 2026-11-23T10:00:00Z. */
const instant = () =>
  z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const text = v.trim();
      if (/^-?\d+$/.test(text)) return Number(text);
      const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
      return Number.isNaN(ms) ? v : ms;
    },
    z.number({ error: 'expected milliseconds since the epoch or an ISO 8601 time' }).int({ error: 'expected whole milliseconds' }),
  );

const containerRef = z.string().regex(/^[0-9a-f]{1,64}$/i, 'containerId must be hexadecimal');

/**
 * A JavaScript regular expression; a leading `(?i)` makes it case-insensitive, as in Go and Loki.
 * Returns the pattern and flags, so the reader compiles exactly what was checked here.
 */
export function parseLogRegex(source: string): { pattern: string; flags: string } {
  const insensitive = source.startsWith('(?i)');
  const pattern = insensitive ? source.slice(4) : source;
  return { pattern, flags: insensitive ? 'i' : '' };
}

const RegexInput = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((source, ctx) => {
    const { pattern, flags } = parseLogRegex(source);
    try {
      new RegExp(pattern, flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

/** The filters every log read shares: by where lines come from, what they are, when, and what they say. */
const logFilterFields = {
  jobId: anyOf(id()).optional(),
  /** A full container id or a prefix of 12 or more characters naming one container. */
  containerId: anyOf(containerRef).optional(),
  /** A template's id (a job's lines), or the serviceId given when attaching a container. */
  serviceId: anyOf(id()).optional(),
  serviceName: anyOf(z.string().min(1).max(256)).optional(),
  level: anyOf(LogLevel).optional(),
  sourceType: anyOf(LogSource).optional(),
  /** Inclusive. */
  since: instant().optional(),
  /** Exclusive. */
  until: instant().optional(),
  /** Full-text search: words must all appear (in any order); FTS5 syntax ("phrases", OR, NOT, NEAR, prefix*) for more. */
  q: z.string().trim().min(1).max(1000).optional(),
  /** A regular expression the message must match; needs a narrowing filter and is stopped if it takes too long. */
  regex: RegexInput.optional(),
};

type LogFilterShape = { [K in keyof typeof logFilterFields]?: unknown };

/** A regex runs over every candidate line, so it needs something that bounds the candidates. */
function requireNarrowingForRegex(filter: LogFilterShape, ctx: z.RefinementCtx): void {
  if (filter.regex === undefined) return;
  const narrowed = [filter.jobId, filter.containerId, filter.serviceId, filter.serviceName, filter.since].some((v) => v !== undefined);
  if (!narrowed) {
    ctx.addIssue({
      code: 'custom',
      path: ['regex'],
      message: 'a regex needs a narrowing filter: jobId, containerId, serviceId, serviceName or since',
    });
  }
}

const pagingFields = {
  /** Only lines with an id above this, oldest first (paging forward). */
  afterId: int().pipe(z.number().nonnegative()).optional(),
  /** Only lines with an id below this (paging back). */
  beforeId: id().optional(),
};

const LogFilterInput = z.object(logFilterFields).strict().superRefine(requireNarrowingForRegex);

const LogQueryInput = z
  .object({
    ...logFilterFields,
    ...pagingFields,
    /** At most this many lines: the newest ones unless `afterId` is given. */
    limit: int().pipe(z.number().min(1).max(100_000)).default(1000),
  })
  .strict()
  .superRefine(requireNarrowingForRegex);
export type LogQuery = z.output<typeof LogQueryInput>;
export type LogFilter = z.output<typeof LogFilterInput>;

export const exportFormats = ['ndjson', 'text'] as const;
const LogExportInput = z
  .object({
    ...logFilterFields,
    ...pagingFields,
    /** ndjson: one LogEntry per line; text: what `docker logs --timestamps` prints. */
    format: z.enum(exportFormats).default('ndjson'),
    gzip: flag().default(false),
    /** At most this many lines (the oldest matching ones); all of them when left out. */
    limit: int().pipe(z.number().min(1)).optional(),
  })
  .strict()
  .superRefine(requireNarrowingForRegex);
export type LogExport = z.output<typeof LogExportInput>;

const LogRetentionInput = z
  .object({
    maxAgeDays: int().pipe(z.number().min(1).max(36_500)).optional(),
    maxBytes: int().pipe(z.number().min(1024 * 1024, { error: 'maxBytes must be at least 1 MiB (1048576)' })).optional(),
  })
  .strict();

const label = z.string().min(1).max(256);

/** `name:/path`, `/host/path:/path`, either with `:ro` or `:rw`, as `docker run -v` takes them. */
const VolumeInput = z
  .string()
  .trim()
  .max(4096)
  .regex(/^[^:\0]+:\/[^:\0]*(:(ro|rw))?$/, "a volume is 'name:/path' or '/host/path:/path', optionally ending ':ro' or ':rw'");

const RetryInput = z
  .object({
    attempts: int().pipe(z.number().min(1).max(100)).optional(),
    on: z
      .array(z.union([z.enum(['failed', 'timed_out', 'error']), int().pipe(z.number().min(0).max(255))]))
      .max(256)
      .optional(),
    backoffSeconds: z.number().min(0).max(86_400).optional(),
    factor: z.number().min(1).max(100).optional(),
    maxBackoffSeconds: z.number().min(0).max(7 * 86_400).optional(),
  })
  .strict();

const ScheduleInput = z
  .object({
    cron: z.string().trim().min(1).max(256),
    timezone: z.string().trim().min(1).max(64).optional(),
    enabled: flag().optional(),
    concurrency: z.enum(['forbid', 'allow', 'replace']).optional(),
    missed: z.enum(['skip', 'run-once']).optional(),
  })
  .strict();

/** `{KEY: value}`; on update, a value equal to the mask keeps the stored secret. */
const SecretEnvInput = z.record(envName, z.string().max(65536));

const templateFields = {
  name: z.string().trim().min(1).max(100),
  image: z.string().trim().min(1).max(512).regex(/^\S+$/, 'image cannot contain spaces'),
  command: CommandInput.default([]),
  /** Replaces the image's ENTRYPOINT; null or left out keeps it. */
  entrypoint: CommandInput.nullable().default(null),
  workingDir: z.string().trim().max(4096).regex(/^\//, 'workingDir must be an absolute path').nullable().default(null),
  user: z.string().trim().min(1).max(256).nullable().default(null),
  env: EnvInput.default({}),
  /** Values go to the container only; every answer shows each key with the mask. */
  secretEnv: SecretEnvInput.default({}),
  cpus: z.number().positive().max(1024).nullable().default(null),
  memoryBytes: int().pipe(z.number().min(6 * 1024 * 1024, { error: 'memoryBytes must be at least 6 MiB (Docker’s minimum)' })).nullable().default(null),
  pidsLimit: int().pipe(z.number().min(1).max(4_194_304)).nullable().default(null),
  network: z.string().trim().min(1).max(256).nullable().default(null),
  volumes: z.array(VolumeInput).max(256).default([]),
  labels: z.record(label, z.string().max(4096)).default({}),
  pullPolicy: PullPolicy.default('if-missing'),
  /** Where its jobs run; null: the least busy host that is up. */
  hostId: id().nullable().default(null),
  timeoutSeconds: int().pipe(z.number().min(1).max(30 * 86_400)).nullable().default(null),
  /** Left out or null: no retries. Fields left out take Kubernetes' defaults (1 attempt, 10 s doubling to 6 min). */
  retry: RetryInput.nullable().default(null),
  schedule: ScheduleInput.nullable().default(null),
  /** This template's own log retention; a field left out follows the global setting. */
  logRetention: LogRetentionInput.default({}),
};
export type TemplateFields = z.output<z.ZodObject<typeof templateFields>>;

const jobSorts = ['created', 'started', 'duration'] as const;

/** The filters of the jobs list and its export. */
const jobFilterFields = {
  status: anyOf(JobStatus).optional(),
  templateId: anyOf(id()).optional(),
  hostId: anyOf(id()).optional(),
  trigger: anyOf(JobTrigger).optional(),
  /** Inclusive bounds on when jobs were created, and finished. */
  createdSince: instant().optional(),
  createdUntil: instant().optional(),
  finishedSince: instant().optional(),
  finishedUntil: instant().optional(),
  /** A job id, or part of a template name. */
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(jobSorts).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
};
export type JobFilter = z.output<z.ZodObject<typeof jobFilterFields>>;

export interface RequestSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}
const request = <I extends z.ZodType, O extends z.ZodType>(spec: RequestSpec<I, O>) => spec;
const empty = z.object({}).strict();

export const requests = {
  'hosts.list': request({
    summary: 'Docker hosts with their last known status',
    input: empty,
    output: z.array(Host),
  }),
  'hosts.add': request({
    summary: 'Add a Docker host reached over a socket, TCP (optionally TLS) or SSH',
    input: z
      .object({
        name: z.string().trim().min(1).max(100),
        kind: HostKind.exclude(['local']),
        address: z.string().trim().min(1).max(1024),
        /** Paths to PEM files on this machine, for TCP with TLS. */
        tls: z.object({ ca: z.string().min(1), cert: z.string().min(1), key: z.string().min(1) }).strict().optional(),
      })
      .strict(),
    output: Host,
  }),
  'hosts.update': request({
    summary: 'Change a host: its name, how many jobs it runs at once, whether it is enabled, whether Berth follows all its containers',
    input: z
      .object({
        id: id(),
        name: z.string().trim().min(1).max(100).optional(),
        /** null: the engine's CPU count. */
        concurrency: int().pipe(z.number().min(1).max(1000)).nullable().optional(),
        enabled: flag().optional(),
        attachAll: flag().optional(),
      })
      .strict(),
    output: Host,
  }),
  'hosts.remove': request({
    summary: 'Remove a host; its finished jobs keep their history. Refused while jobs run or wait there',
    input: z.object({ id: id() }).strict(),
    output: z.object({ message: z.string(), id: z.number().int() }),
  }),
  'hosts.test': request({
    summary: 'Test the connection to several hosts at once; each answered on its own',
    input: z.object({ ids: z.array(id()).min(1).max(100) }).strict(),
    output: z.object({
      results: z.array(z.object({ id: z.number().int(), host: Host.nullable(), error: z.string().nullable() })),
    }),
  }),
  'hosts.history': request({
    summary: "A host's state changes, newest first",
    input: z.object({ id: id(), limit: int().pipe(z.number().min(1).max(1000)).default(100) }).strict(),
    output: z.object({ count: z.number().int(), changes: z.array(HostStatusChange) }),
  }),
  'hosts.contexts': request({
    summary: "The Docker CLI contexts on this machine (what `docker context ls` lists), to import as hosts",
    input: empty,
    output: z.object({ contexts: z.array(DockerContext) }),
  }),
  'hosts.import': request({
    summary: 'Add hosts from Docker CLI contexts, by context name',
    input: z.object({ names: z.array(z.string().trim().min(1).max(256)).min(1).max(100) }).strict(),
    output: z.object({
      results: z.array(z.object({ name: z.string(), host: Host.nullable(), error: z.string().nullable() })),
    }),
  }),
  'hosts.refresh': request({
    summary: 'Test the connection to a host now and return its status',
    input: z.object({ id: id() }).strict(),
    output: Host,
  }),
  'hosts.containers': request({
    summary: "A host's containers (running ones unless `all`), with whether Berth follows their logs",
    input: z.object({ id: id(), all: flag().default(false) }).strict(),
    output: z.object({ count: z.number().int(), containers: z.array(ContainerSummary) }),
  }),
  'templates.list': request({
    summary: 'Job templates (deleted ones left out)',
    input: empty,
    output: z.array(Template),
  }),
  'templates.get': request({
    summary: 'One template',
    input: z.object({ id: id() }).strict(),
    output: Template,
  }),
  'templates.delete': request({
    summary: 'Delete a template; its jobs and their logs stay. Refused while its jobs run or wait',
    input: z.object({ id: id() }).strict(),
    output: z.object({ message: z.string(), id: z.number().int() }),
  }),
  'templates.stats': request({
    summary: 'Per template: jobs run, success rate, last run, mean running time',
    input: empty,
    output: z.array(TemplateStats),
  }),
  'templates.import': request({
    summary: 'Create or replace templates from YAML as the export writes it; secret values must be set again',
    input: z
      .object({
        yaml: z.string().min(1).max(4 * 1024 * 1024),
        /** Replace templates with the same name (default), or refuse them. */
        replace: flag().default(true),
      })
      .strict(),
    output: z.object({
      created: z.array(z.string()),
      updated: z.array(z.string()),
      errors: z.array(z.object({ name: z.string(), error: z.string() })),
    }),
  }),
  'templates.create': request({
    summary: 'Create a job template',
    input: z.object(templateFields).strict(),
    output: Template,
  }),
  'templates.update': request({
    summary: "Replace a template's fields (a secret sent as the mask keeps its value); jobs already made keep what they run with",
    input: z.object({ id: id(), ...templateFields }).strict(),
    output: Template,
  }),
  'jobs.list': request({
    summary: 'Jobs filtered and sorted, a page at a time: pass `nextCursor` back as `cursor`',
    input: z
      .object({
        ...jobFilterFields,
        cursor: z.string().max(200).optional(),
        limit: int().pipe(z.number().min(1).max(1000)).default(200),
      })
      .strict(),
    output: z.object({ count: z.number().int(), jobs: z.array(Job), nextCursor: z.string().nullable() }),
  }),
  'jobs.get': request({
    summary: 'One job',
    input: z.object({ id: id() }).strict(),
    output: Job,
  }),
  'jobs.run': request({
    summary: 'Queue a job from a template, with per-run overrides; answers at once with the pending job',
    input: z
      .object({
        templateId: id(),
        hostId: id().optional(),
        /** Added to (and overriding) the template's env. */
        env: EnvInput.optional(),
        command: CommandInput.optional(),
        timeoutSeconds: int().pipe(z.number().min(1).max(30 * 86_400)).optional(),
        /** Who asks: the UI and the CLI say `manual`; scripts leave it out. */
        trigger: z.enum(['manual', 'api']).default('api'),
      })
      .strict(),
    output: Job,
  }),
  'jobs.cancel': request({
    summary: 'Cancel a pending or running job (stop its container, killing it after the grace period) and the retries still due',
    input: z.object({ id: id(), graceSeconds: int().pipe(z.number().min(0).max(3600)).optional() }).strict(),
    output: Job,
  }),
  'jobs.retry': request({
    summary: 'Run a finished job again as a new job with the same spec (trigger manual, its own attempt count)',
    input: z.object({ id: id() }).strict(),
    output: Job,
  }),
  'jobs.delete': request({
    summary: 'Delete a finished job and its logs',
    input: z.object({ id: id() }).strict(),
    output: z.object({ message: z.string(), id: z.number().int() }),
  }),
  'jobs.bulk': request({
    summary: 'Cancel, retry or delete many jobs; each id answered on its own',
    input: z
      .object({
        action: z.enum(['cancel', 'retry', 'delete']),
        ids: z.array(id()).min(1).max(1000),
      })
      .strict(),
    output: z.object({
      results: z.array(z.object({ id: z.number().int(), ok: z.boolean(), error: z.string().nullable(), job: Job.nullable() })),
    }),
  }),
  'queue.get': request({
    summary: 'Jobs waiting, per host: depth, oldest wait, running and free slots',
    input: empty,
    output: z.object({
      hosts: z.array(
        z.object({
          hostId: z.number().int().nullable(),
          hostName: z.string(),
          depth: z.number().int(),
          /** How long the oldest pending job has waited, ms; null when none. */
          oldestWaitMs: z.number().nullable(),
          running: z.number().int(),
          slots: z.number().int(),
        }),
      ),
    }),
  }),
  'logs.query': request({
    summary: 'Stored log lines, oldest first, filtered',
    input: LogQueryInput,
    output: z.object({
      count: z.number().int(),
      logs: z.array(LogEntry),
      /** The page stopped short of `limit` at the size cap (16 MB of text): page on from its last id. */
      truncated: z.literal(true).optional(),
    }),
  }),
  'logs.count': request({
    summary: 'How many stored log lines match the filters',
    input: LogFilterInput,
    output: z.object({ count: z.number().int() }),
  }),
  'logs.attachments': request({
    summary: 'Containers whose logs Berth follows besides its jobs',
    input: z.object({ hostId: id().optional() }).strict(),
    output: z.object({ count: z.number().int(), attachments: z.array(Attachment) }),
  }),
  'logs.attach': request({
    summary: "Follow a container's logs (one Berth did not start), from its first line; survives restarts",
    input: z
      .object({
        /** The container's id, a unique prefix of it, or its name. */
        containerId: z.string().trim().min(1).max(256),
        /** The host it runs on; the default host when left out. */
        hostId: id().optional(),
        serviceId: id().optional(),
        /** The name its lines carry; the container's own name when left out. */
        serviceName: z.string().trim().min(1).max(256).optional(),
      })
      .strict(),
    output: z.object({ message: z.string(), containerId: z.string(), serviceName: z.string() }),
  }),
  'logs.detach': request({
    summary: "Stop following a container's logs; its stored lines stay",
    input: z.object({ containerId: z.string().trim().min(1).max(256), hostId: id().optional() }).strict(),
    output: z.object({ message: z.string(), containerId: z.string() }),
  }),
  'settings.get': request({
    summary: 'Settings: log retention',
    input: empty,
    output: Settings,
  }),
  'settings.update': request({
    summary: 'Change settings; fields left out keep their value',
    input: z
      .object({
        logs: z
          .object({
            maxAgeDays: int().pipe(z.number().min(1).max(36_500)).optional(),
            maxBytes: int().pipe(z.number().min(1024 * 1024, { error: 'maxBytes must be at least 1 MiB (1048576)' })).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    output: Settings,
  }),
} satisfies Record<RequestName, RequestSpec>;

/** A streamed answer: what the HTTP adapter sends as a file and the Electron shell saves to one. */
export interface DownloadBody {
  filename: string;
  contentType: string;
  /** How string chunks are written: 'utf8' text, or 'latin1' when each character is one byte of binary data. */
  encoding: 'utf8' | 'latin1';
  /** Chunks in order; the consumer pulls the next only when it has room (constant memory). */
  body: AsyncIterable<string | Uint8Array>;
}

export interface DownloadSpec<I extends z.ZodType = z.ZodType> {
  input: I;
  summary: string;
}

export const downloads = {
  'templates.export': {
    summary: 'Templates as YAML (secret values left out), all or by id',
    input: z.object({ id: anyOf(id()).optional() }).strict(),
  },
  'jobs.export': {
    summary: 'The filtered jobs list (every page) as CSV or NDJSON',
    input: z.object({ ...jobFilterFields, format: z.enum(['csv', 'ndjson']).default('csv') }).strict(),
  },
  'logs.export': {
    summary: 'Stored log lines matching the filters, oldest first, as NDJSON or as `docker logs --timestamps` text, optionally gzipped',
    input: LogExportInput,
  },
} satisfies Record<DownloadName, DownloadSpec>;

export type DownloadInput<N extends DownloadName> = z.input<(typeof downloads)[N]['input']>;
export type ParsedDownloadInput<N extends DownloadName> = z.output<(typeof downloads)[N]['input']>;

export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>;
/** What a handler receives: the input after validation, defaults and transforms. */
export type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;

/** Pushed to every client. */
export const events = {
  'job.updated': Job,
  'host.updated': Host,
  'template.created': Template,
  'template.updated': Template,
  'template.deleted': z.object({ id: z.number().int() }),
  'host.removed': z.object({ id: z.number().int() }),
  'job.deleted': z.object({ ids: z.array(z.number().int()) }),
  'attachment.updated': Attachment,
  'attachment.removed': z.object({ hostId: z.number().int(), containerId: z.string() }),
  'settings.updated': Settings,
} satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Pushed only to clients that subscribed with matching params. */
export const streams = {
  /** A job's lines, or an attached container's, as they are stored. */
  logs: {
    params: z
      .object({ jobId: id().optional(), containerId: containerRef.optional() })
      .strict()
      .refine((p) => (p.jobId === undefined) !== (p.containerId === undefined), { message: 'give either jobId or containerId' }),
    payload: LogBatch,
  },
} satisfies Record<string, { params: z.ZodType; payload: z.ZodType }>;
export type StreamName = keyof typeof streams;
export type StreamParams<S extends StreamName> = z.output<(typeof streams)[S]['params']>;
export type StreamPayload<S extends StreamName> = z.output<(typeof streams)[S]['payload']>;


/** What the main side must implement: one async function per request. */
export type BerthHandlers = { [N in RequestName]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };
/** And one per download. */
export type DownloadHandlers = { [N in DownloadName]: (input: ParsedDownloadInput<N>) => Promise<DownloadBody> };

/** Validation message a person can act on: "field: problem; other: problem". */
export function describeIssues(error: z.ZodError): string {
  return flattenIssues(error.issues, []).join('; ');
}

type Issue = z.core.$ZodIssue;

/**
 * zod reports a failed union (`env` as object or list, `command` as string or list) as one bare
 * "Invalid input" with each branch's issues nested inside, and a bad record key likewise; dig
 * into them so the message says what is wrong.
 */
function flattenIssues(issues: readonly Issue[], prefix: readonly PropertyKey[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A branch that got past its type check explains the problem; if none did, list the types.
      const isWrongType = (branch: readonly Issue[]) =>
        branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
      const deeper = issue.errors.filter((branch) => !isWrongType(branch));
      if (deeper.length === 1) return flattenIssues(deeper[0]!, path);
      if (deeper.length === 0) {
        const expected = issue.errors.map((branch) => (branch[0] as z.core.$ZodIssueInvalidType).expected);
        return [`${where(path)}: expected ${[...new Set(expected)].join(' or ')}`];
      }
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) return flattenIssues(issue.issues, path);
    return [`${where(path)}: ${issue.message}`];
  });
}

const where = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : 'input');
