/**
 * `berth jobs list|show|run|cancel`: jobs through the running Berth's REST API. Human tables by
 * default, `--json` for scripts. Secret values never reach the CLI: the API gives their keys
 * with the mask, and that is what is printed.
 *
 * `run --wait` follows the job's output live with the `berth logs -f` session (stored lines,
 * then the live stream, no line lost or doubled) and exits with the job's exit code.
 */
import type { RequestInput } from '../../shared/contract';
import { jobStatuses, type Job, type JobStatus } from '../../shared/model';
import { UsageError, valueOf, type ParsedArgs } from './args';
import { signalExitCode, writeOut, type CliIo } from './command';
import { findHost, findTemplate, jobIds, printJson, withClient } from './client-session';
import { LogsSession } from './logs';
import { groupCommand, jsonHelp, type Subcommand } from './subcommands';
import { duration, localTime, shellLine, table } from './table';


function statuses(args: ParsedArgs): JobStatus[] | undefined {
  const given = args.values.get('status')?.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (!given?.length) return undefined;
  for (const s of given) {
    if (!(jobStatuses as readonly string[]).includes(s)) throw new UsageError(`--status: '${s}' is not one of ${jobStatuses.join(', ')}`);
  }
  return given as JobStatus[];
}

function hostColumn(job: Job, hostNames: Map<number, string>): string {
  return job.hostId === null ? '-' : (hostNames.get(job.hostId) ?? String(job.hostId));
}

const list: Subcommand = {
  name: 'list',
  synopsis: '[--status S]… [--template NAME] [--limit N] [--json]',
  summary: 'List jobs, newest first',
  options: [
    { name: 'status', takesValue: true, repeatable: true },
    { name: 'template', takesValue: true },
    { name: 'limit', takesValue: true },
    { name: 'json' },
  ],
  optionsHelp: `  --status <status>   Only jobs in this status (${jobStatuses.join(', ')}); repeat it or give several (failed,timed_out)
  --template <name>   Only jobs of this template (its name or id)
  --limit <n>         At most this many jobs (default 50, at most 1000)
${jsonHelp}`,
  maxPositionals: 0,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const limitText = valueOf(args, 'limit') ?? '50';
      const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
      if (!(limit >= 1 && limit <= 1000)) throw new UsageError(`--limit must be a number from 1 to 1000, not '${limitText}'`);
      const input: RequestInput<'jobs.list'> = { limit, status: statuses(args) };
      const template = valueOf(args, 'template');
      if (template !== undefined) input.templateId = (await findTemplate(api, template)).id;
      const { jobs, count } = await api.get('jobs.list', input);
      if (args.flags.has('json')) {
        await printJson(io, jobs);
        return 0;
      }
      const hostNames = new Map((await api.get('hosts.list', {})).map((h) => [h.id, h.name] as const));
      const rows = jobs.map((j) => [
        String(j.id),
        j.status,
        j.templateName,
        j.trigger,
        hostColumn(j, hostNames),
        localTime(j.createdAt),
        duration(j.runMs),
        j.exitCode === null ? '-' : String(j.exitCode),
      ]);
      await writeOut(io.stdout, table(['ID', 'STATUS', 'TEMPLATE', 'TRIGGER', 'HOST', 'CREATED', 'RAN', 'EXIT'], rows));
      if (count > jobs.length) await writeOut(io.stderr, `(${jobs.length} of ${count} jobs; --limit shows more)\n`);
      return 0;
    }),
};

const show: Subcommand = {
  name: 'show',
  synopsis: '<id> [--json]',
  summary: 'Show one job: status, times, what it runs with (secrets masked)',
  options: [{ name: 'json' }],
  optionsHelp: jsonHelp,
  maxPositionals: 1,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const [id] = jobIds(args.positionals);
      const job = await api.get('jobs.get', { id: id! });
      if (args.flags.has('json')) {
        await printJson(io, job);
        return 0;
      }
      const hosts = await api.get('hosts.list', {});
      const hostNames = new Map(hosts.map((h) => [h.id, h.name] as const));
      const { spec } = job;
      const fields: [string, string][] = [
        ['Job', String(job.id)],
        ['Template', `${job.templateName} (${job.templateId})`],
        ['Status', job.status + (job.queuePosition !== null ? ` (#${job.queuePosition} in the queue)` : '')],
        ['Trigger', job.trigger],
        ['Attempt', `${job.attempt}${job.retryOf !== null ? ` (retry of job ${job.retryOf})` : ''}${job.retriedBy !== null ? `, retried by job ${job.retriedBy}` : ''}`],
        ['Host', hostColumn(job, hostNames)],
        ['Exit code', job.exitCode === null ? '-' : String(job.exitCode)],
        ['Error', job.error ?? '-'],
        ['Created', localTime(job.createdAt)],
        ['Started', localTime(job.startedAt)],
        ['Finished', localTime(job.finishedAt)],
        ['Waited', duration(job.waitMs)],
        ['Ran', duration(job.runMs)],
        ['Image', spec.image],
        ['Command', spec.command.length ? shellLine(spec.command) : '(the image’s)'],
      ];
      if (spec.entrypoint) fields.push(['Entrypoint', shellLine(spec.entrypoint)]);
      if (spec.workingDir) fields.push(['Working dir', spec.workingDir]);
      if (spec.user) fields.push(['User', spec.user]);
      const env = [...Object.entries(spec.env), ...Object.entries(spec.secretEnv)].map(([k, v]) => `${k}=${v}`);
      if (env.length) fields.push(['Env', env.join('\n')]);
      const limits = [
        spec.cpus !== null ? `cpus ${spec.cpus}` : null,
        spec.memoryBytes !== null ? `memory ${spec.memoryBytes} bytes` : null,
        spec.pidsLimit !== null ? `pids ${spec.pidsLimit}` : null,
        spec.timeoutSeconds !== null ? `timeout ${spec.timeoutSeconds}s` : null,
      ].filter((x): x is string => x !== null);
      if (limits.length) fields.push(['Limits', limits.join(', ')]);
      if (spec.network) fields.push(['Network', spec.network]);
      if (spec.volumes.length) fields.push(['Volumes', spec.volumes.join('\n')]);
      fields.push(['Log lines', String(job.logLines)]);
      const width = Math.max(...fields.map(([k]) => k.length)) + 2;
      const text = fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v.split('\n').join(`\n${' '.repeat(width)}`)}`).join('\n');
      await writeOut(io.stdout, `${text}\n`);
      return 0;
    }),
};

const run: Subcommand = {
  name: 'run',
  synopsis: '<template> [--env K=V]… [--host NAME] [--wait] [--json]',
  summary: 'Queue a job from a template (its name or id); with --wait, print its output and exit with its exit code',
  options: [
    { name: 'env', short: 'e', takesValue: true, repeatable: true },
    { name: 'host', takesValue: true },
    { name: 'wait', short: 'w' },
    { name: 'json' },
  ],
  optionsHelp: `  -e, --env <K=V>     Set an environment variable for this run (over the template's); repeat it
  --host <name>       Run on this host (its name or id) instead of the template's
  -w, --wait          Follow the job's output until it ends and exit with its exit code:
                      0 completed, the container's code when it failed, 1 when Berth could not
                      start it (the reason on stderr), 124 when it timed out, 1 when cancelled
${jsonHelp} (the queued job; with --wait, output is printed as it comes)`,
  maxPositionals: 1,
  run: (args, io) =>
    withClient(args, io, async ({ api, endpoint }) => {
      const ref = args.positionals[0];
      if (ref === undefined) throw new UsageError('name the template to run');
      const env: Record<string, string> = {};
      for (const pair of args.values.get('env') ?? []) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new UsageError(`--env takes NAME=value, not '${pair}'`);
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const template = await findTemplate(api, ref);
      const hostRef = valueOf(args, 'host');
      const hostId = hostRef === undefined ? undefined : findHost(await api.get('hosts.list', {}), hostRef).id;
      const job = await api.call('jobs.run', { templateId: template.id, hostId, env: Object.keys(env).length ? env : undefined, trigger: 'manual' });
      if (!args.flags.has('wait')) {
        if (args.flags.has('json')) await printJson(io, job);
        else await writeOut(io.stdout, `${job.id}\n`);
        return 0;
      }
      await writeOut(io.stderr, `berth: job ${job.id} queued (template '${template.name}'); following its output\n`);
      const session = new LogsSession(
        { target: { kind: 'job', jobId: job.id }, follow: true, tail: null, timestamps: false, json: false, system: true, args },
        endpoint,
        io,
      );
      const code = await session.run();
      if (code === signalExitCode.SIGINT || code === signalExitCode.SIGTERM) {
        await writeOut(io.stderr, `berth: stopped following; job ${job.id} goes on (berth jobs cancel ${job.id} stops it)\n`);
        return code;
      }
      const done = await api.get('jobs.get', { id: job.id });
      return outcome(done, io);
    }),
};

/** The exit code `run --wait` ends with, saying why on stderr when the job did not complete. */
async function outcome(job: Job, io: CliIo): Promise<number> {
  switch (job.status) {
    case 'completed':
      return 0;
    case 'failed':
      if (job.exitCode !== null && job.error === null) return job.exitCode === 0 ? 1 : job.exitCode;
      await writeOut(io.stderr, `berth: job ${job.id} failed${job.error ? `: ${job.error}` : ''}\n`);
      return job.exitCode !== null && job.exitCode !== 0 ? job.exitCode : 1;
    case 'timed_out':
      await writeOut(io.stderr, `berth: job ${job.id} timed out after ${job.spec.timeoutSeconds ?? '?'}s\n`);
      return 124;
    case 'cancelled':
      await writeOut(io.stderr, `berth: job ${job.id} was cancelled\n`);
      return 1;
    default:
      await writeOut(io.stderr, `berth: job ${job.id} is still ${job.status}\n`);
      return 1;
  }
}

const cancel: Subcommand = {
  name: 'cancel',
  synopsis: '<id>… [--json]',
  summary: 'Cancel pending or running jobs (and the retries still due)',
  options: [{ name: 'json' }],
  optionsHelp: jsonHelp,
  maxPositionals: Infinity,
  run: (args, io) =>
    withClient(args, io, async ({ api }) => {
      const { results } = await api.call('jobs.bulk', { action: 'cancel', ids: jobIds(args.positionals) });
      if (args.flags.has('json')) await printJson(io, results);
      else {
        for (const r of results) {
          if (r.ok) await writeOut(io.stdout, `${r.id} ${r.job?.status ?? 'cancelled'}\n`);
          else await writeOut(io.stderr, `berth: job ${r.id}: ${r.error}\n`);
        }
      }
      return results.every((r) => r.ok) ? 0 : 1;
    }),
};

export const jobsCommand = groupCommand('jobs', 'List, show, run and cancel jobs', [list, show, run, cancel]);
