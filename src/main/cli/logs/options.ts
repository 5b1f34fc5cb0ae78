/** `berth logs`: its usage text and its arguments, parsed and checked (no I/O here). */
import type { LogLevel } from '../../../shared/model';
import { parseOptions, UsageError, valueOf, type OptionSpec, type ParsedArgs } from '../args';
import { connectionOptions, defaultPort } from '../endpoint';
import { parseTime } from '../time';
import { isPlainSearch, searchWords } from './search';

export const logsUsage = `Usage: berth logs [options] <jobId|container>

Print the log lines Berth keeps for a job or a container, like \`docker logs\`, through the
Berth running on this machine (\`berth serve\` or the desktop app).

  <jobId>       a job's number
  <container>   a container's id (in full or its first 12+ characters) or the name of a
                container whose logs Berth follows (see GET /api/v1/logs/attachments)

Each line is printed as the container wrote it: its stdout lines to stdout, its stderr lines to
stderr. Berth's own lines about a job (pulling the image, the exit code) go to stderr too,
marked "[berth] ".

Options:
  -f, --follow          Keep printing new lines as they arrive; for a job, exit once it has
                        finished; for a container, on Ctrl-C
  -n, --tail <n|all>    Print only the last n lines stored, then (with -f) the new ones (default: all)
      --since <time>    Only lines at or after a time: RFC 3339 (2026-11-23T10:00:00Z; without a
                        zone, local time: 2026-11-23T10:00, 2026-11-23), a Unix timestamp
                        (1763892000.5) or a duration back from now (10m, 2h, 1h30m)
      --until <time>    Only lines before a time, given the same ways; with -f, stop following then
  -t, --timestamps      Begin each line with its time, RFC 3339 in UTC: 2026-11-23T10:00:00.123000000Z
      --level <level>   Only lines of these levels: debug, info, warn, error; repeat it or give
                        several at once (--level warn,error)
      --grep <text>     Only lines with all these words, in any order, in any case (full-text
                        search). Without -f, search syntax works too: "a phrase", OR, NOT, prefix*
      --json            Print each line as one JSON LogEntry (NDJSON), all on stdout (its
                        "timestamp" is in milliseconds; -t adds nothing)
      --no-system       Leave out Berth's own lines about the job
      --port <n>        Berth's port on 127.0.0.1 (default: BERTH_PORT, else ${defaultPort})
      --data-dir <dir>  Berth's data directory, where its API token is (default: BERTH_DATA_DIR,
                        else the platform's app-data folder)
  -h, --help            Show this help

Exit status: 0 when done (with -f: once the job has finished, or at --until); 1 when Berth is not
running or refuses the request; 2 for a usage error; 130 after Ctrl-C.

Examples:
  berth logs 7                    everything job 7 printed
  berth logs -f --tail 20 7       its last 20 lines, then new ones until it finishes
  berth logs --since 1h --level warn,error web
  berth logs --json 7 | jq -r .message`;

export const logLevelNames = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];

export type LogsTarget = { kind: 'job'; jobId: number } | { kind: 'container'; ref: string };

export interface LogsOptions {
  target: LogsTarget;
  follow: boolean;
  /** The last this many lines; null: all of them. */
  tail: number | null;
  /** Milliseconds, inclusive. */
  since?: number;
  /** Milliseconds, exclusive. */
  until?: number;
  timestamps: boolean;
  levels?: LogLevel[];
  grep?: string;
  json: boolean;
  /** Print Berth's own lines about the job. */
  system: boolean;
  /** The parsed arguments, for the connection options. */
  args: ParsedArgs;
}

const specs: OptionSpec[] = [
  { name: 'follow', short: 'f' },
  { name: 'tail', short: 'n', takesValue: true },
  { name: 'since', takesValue: true },
  { name: 'until', takesValue: true },
  { name: 'timestamps', short: 't' },
  { name: 'level', takesValue: true, repeatable: true },
  { name: 'grep', takesValue: true },
  { name: 'json' },
  { name: 'no-system' },
  { name: 'help', short: 'h' },
  ...connectionOptions,
];

const usageError = (message: string) => new UsageError(message, logsUsage);

/** The options of `berth logs`, or 'help'. `now` anchors relative times. */
export function parseLogsArgs(argv: readonly string[], now: number): LogsOptions | 'help' {
  let args: ParsedArgs;
  try {
    args = parseOptions(argv, specs);
  } catch (err) {
    if (err instanceof UsageError) throw usageError(err.message);
    throw err;
  }
  if (args.flags.has('help')) return 'help';
  if (args.positionals.length === 0) throw usageError('name the job (its number) or the container whose logs to print');
  if (args.positionals.length > 1) throw usageError(`one job or container at a time, not ${args.positionals.map((p) => `'${p}'`).join(' and ')}`);

  const follow = args.flags.has('follow');
  const options: LogsOptions = {
    target: parseTarget(args.positionals[0]!),
    follow,
    tail: parseTail(valueOf(args, 'tail')),
    timestamps: args.flags.has('timestamps'),
    json: args.flags.has('json'),
    system: !args.flags.has('no-system'),
    args,
  };
  const since = valueOf(args, 'since');
  const until = valueOf(args, 'until');
  // Berth stores milliseconds: round so that a line in the same millisecond as a bound is kept.
  if (since !== undefined) options.since = Math.floor(time('--since', since, now));
  if (until !== undefined) options.until = Math.ceil(time('--until', until, now));
  if (options.since !== undefined && options.until !== undefined && options.until <= options.since) {
    throw usageError('--until must be later than --since');
  }
  const levels = args.values.get('level');
  if (levels) options.levels = parseLevels(levels);
  const grep = valueOf(args, 'grep');
  if (grep !== undefined) options.grep = parseGrep(grep, follow);
  return options;
}

function parseTarget(text: string): LogsTarget {
  const value = text.trim();
  if (/^\d+$/.test(value)) {
    const jobId = Number(value);
    if (jobId < 1 || !Number.isSafeInteger(jobId)) throw usageError(`'${text}' is not a job id (they start at 1)`);
    return { kind: 'job', jobId };
  }
  // A container name may begin with '/', as Docker shows it in places.
  const ref = value.replace(/^\//, '');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(ref)) {
    throw usageError(`'${text}' is neither a job id (a number) nor a container id or name`);
  }
  return { kind: 'container', ref };
}

function parseTail(text: string | undefined): number | null {
  if (text === undefined || text.trim().toLowerCase() === 'all') return null;
  if (!/^\d+$/.test(text.trim())) throw usageError(`--tail takes a number of lines or 'all', not '${text}'`);
  return Number(text.trim());
}

function time(flag: string, text: string, now: number): number {
  try {
    return parseTime(text, now);
  } catch (err) {
    throw usageError(`${flag}: ${(err as Error).message}`);
  }
}

function parseLevels(values: readonly string[]): LogLevel[] {
  const levels = new Set<LogLevel>();
  for (const value of values) {
    for (const part of value.split(',')) {
      const name = part.trim().toLowerCase();
      if (name === '') continue;
      if (!(logLevelNames as readonly string[]).includes(name)) {
        throw usageError(`--level: '${part.trim()}' is not a level; use ${logLevelNames.join(', ')}`);
      }
      levels.add(name as LogLevel);
    }
  }
  if (levels.size === 0) throw usageError(`--level needs a level: ${logLevelNames.join(', ')}`);
  return logLevelNames.filter((l) => levels.has(l));
}

function parseGrep(text: string, follow: boolean): string {
  const q = text.trim();
  if (q === '') throw usageError('--grep needs text to search for');
  if (q.length > 1000) throw usageError('--grep: at most 1000 characters');
  if (isPlainSearch(q) && searchWords(q).length === 0) {
    throw usageError(`--grep: '${q}' has no letters or digits to search for`);
  }
  if (follow && !isPlainSearch(q)) {
    throw usageError(
      '--grep with -f takes plain words (new lines are matched here as they arrive, before the server has indexed them); leave out quotes, parentheses, *, ^, AND, OR, NOT and NEAR',
    );
  }
  return q;
}
