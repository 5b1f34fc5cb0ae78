/**
 * The one contract between the renderer and main, and the REST API.
 *
 * Every request (name → input, output; its REST route is in operations.ts) and every event and
 * stream is declared here once. The Electron IPC handlers and preload, the HTTP/WebSocket server and both renderer
 * clients are derived from these tables; nothing else names a channel or a route.
 */
import { z } from 'zod';
import { splitShellWords } from './shell-words';
import { Host, HostKind, Job, JobStatus, LogBatch, LogEntry, LogLevel, LogSource, Template } from './model';
import type { RequestName } from './operations';

export type { RequestName } from './operations';

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

const LogQueryInput = z.object({
  jobId: id().optional(),
  containerId: z.string().regex(/^[0-9a-f]{1,64}$/i, 'containerId must be hexadecimal').optional(),
  serviceId: id().optional(),
  serviceName: z.string().max(256).optional(),
  level: LogLevel.optional(),
  sourceType: LogSource.optional(),
  /** Milliseconds since the epoch, inclusive. */
  since: int().optional(),
  /** Milliseconds since the epoch, exclusive. */
  until: int().optional(),
  /** Only lines with an id above this, oldest first (paging forward). */
  afterId: int().pipe(z.number().nonnegative()).optional(),
  /** Only lines with an id below this (paging back). */
  beforeId: id().optional(),
  /** At most this many lines: the newest ones unless `afterId` is given. */
  limit: int().pipe(z.number().min(1).max(100_000)).default(1000),
});
export type LogQuery = z.output<typeof LogQueryInput>;

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
  'hosts.refresh': request({
    summary: 'Test the connection to a host now and return its status',
    input: z.object({ id: id() }).strict(),
    output: Host,
  }),
  'templates.list': request({
    summary: 'Job templates',
    input: empty,
    output: z.array(Template),
  }),
  'templates.create': request({
    summary: 'Create a job template',
    input: z
      .object({
        name: z.string().trim().min(1).max(100),
        image: z.string().trim().min(1).max(512).regex(/^\S+$/, 'image cannot contain spaces'),
        command: CommandInput.default([]),
        env: EnvInput.default({}),
      })
      .strict(),
    output: Template,
  }),
  'jobs.list': request({
    summary: 'Jobs, newest first',
    input: z
      .object({
        status: JobStatus.optional(),
        templateId: id().optional(),
        limit: int().pipe(z.number().min(1).max(1000)).default(200),
      })
      .strict(),
    output: z.object({ count: z.number().int(), jobs: z.array(Job) }),
  }),
  'jobs.get': request({
    summary: 'One job',
    input: z.object({ id: id() }).strict(),
    output: Job,
  }),
  'jobs.run': request({
    summary: 'Run a job from a template; answers at once with the pending job',
    input: z.object({ templateId: id(), hostId: id().optional() }).strict(),
    output: Job,
  }),
  'jobs.cancel': request({
    summary: 'Cancel a pending or running job: stop its container, killing it after the grace period',
    input: z.object({ id: id(), graceSeconds: int().pipe(z.number().min(0).max(3600)).optional() }).strict(),
    output: Job,
  }),
  'logs.query': request({
    summary: 'Stored log lines, oldest first, filtered',
    input: LogQueryInput.strict(),
    output: z.object({ count: z.number().int(), logs: z.array(LogEntry) }),
  }),
  'logs.count': request({
    summary: 'How many stored log lines match the filters',
    input: LogQueryInput.omit({ limit: true, afterId: true, beforeId: true }).strict(),
    output: z.object({ count: z.number().int() }),
  }),
} satisfies Record<RequestName, RequestSpec>;

export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>;
/** What a handler receives: the input after validation, defaults and transforms. */
export type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;

/** Pushed to every client. */
export const events = {
  'job.updated': Job,
  'host.updated': Host,
  'template.created': Template,
} satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Pushed only to clients that subscribed with matching params. */
export const streams = {
  logs: { params: z.object({ jobId: id() }).strict(), payload: LogBatch },
} satisfies Record<string, { params: z.ZodType; payload: z.ZodType }>;
export type StreamName = keyof typeof streams;
export type StreamParams<S extends StreamName> = z.output<(typeof streams)[S]['params']>;
export type StreamPayload<S extends StreamName> = z.output<(typeof streams)[S]['payload']>;


/** What the main side must implement: one async function per request. */
export type BerthHandlers = { [N in RequestName]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };

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
