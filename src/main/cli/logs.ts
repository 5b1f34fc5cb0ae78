/**
 * `berth logs <jobId|container>`: a job's or a container's stored lines, like `docker logs`,
 * through the running Berth's REST API; with -f, then the new ones from its WebSocket.
 *
 * Following, in this order, so that no line falls in between and none is printed twice:
 * 1. open the socket (from then on it carries every `job.updated` event) and subscribe to the
 *    source's lines, waiting until the server has the subscription in place;
 * 2. for a job, read its status: if it has finished, every line is stored already;
 * 3. note the id of the source's newest stored line and print the stored lines up to it;
 * 4. print the batches from there on (see LiveSequencer), reading any gap from the REST API;
 * 5. when the job has finished (or --until has passed), print what is left and exit.
 */
import { finishedStatuses } from '../../shared/job-status';
import type { Job, LogBatch, LogEntry, LogLine } from '../../shared/model';
import { ApiClient } from './api-client';
import { signalExitCode, writeOut, type CliIo, type Command, type InterruptSignal } from './command';
import { CliError, resolveEndpoint, type Endpoint } from './endpoint';
import { LinePrinter, fromLive } from './logs/format';
import { LiveSequencer } from './logs/live';
import { logsUsage, parseLogsArgs, type LogsOptions } from './logs/options';
import { defaultPageSize, LogPager, type LogScope, type ServerFilter } from './logs/pager';
import { plainMatcher } from './logs/search';
import { Output, OutputClosed } from './output';
import { BerthSocket } from './socket';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print a job's or a container's log lines, like `docker logs` (-f to follow)",
  async run(argv, io) {
    const options = parseLogsArgs(argv, io.now());
    if (options === 'help') {
      await writeOut(io.stdout, `${logsUsage}\n`);
      return 0;
    }
    return new LogsSession(options, resolveEndpoint(options.args, io.env), io).run();
  },
};

/** Tuning, for tests. */
export interface LogsTuning {
  pageSize: number;
  /** Above this many lines waiting to be printed, queued batches are dropped and read back from the store instead. */
  maxQueuedLines: number;
}

const defaultTuning: LogsTuning = { pageSize: defaultPageSize, maxQueuedLines: 50_000 };
/** How long after --until to wait for lines from before it that are still on their way. */
const untilGraceMs = 1000;

type Stop = { kind: 'interrupt'; signal: InterruptSignal } | { kind: 'output-closed' } | { kind: 'error'; error: Error };

type QueueItem = { kind: 'batch'; batch: LogBatch } | { kind: 'upTo'; id: number } | { kind: 'end' };

export class LogsSession {
  private readonly abort = new AbortController();
  private readonly api: ApiClient;
  private readonly out: Output;
  private readonly printer: LinePrinter;
  private readonly matches: ((message: string) => boolean) | null;
  private stopReason: Stop | null = null;
  private readonly stopped: Promise<never>;
  private rejectStopped!: (reason: Stop) => void;
  /** Settles on Ctrl-C or when the output is closed: nothing more to wait for then. */
  private readonly leaving: Promise<void>;
  private leave!: () => void;
  private socket: BerthSocket | null = null;
  private readonly queue = new Mailbox<QueueItem>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: LogsOptions,
    private readonly endpoint: Endpoint,
    private readonly io: CliIo,
    private readonly tuning: LogsTuning = defaultTuning,
  ) {
    this.api = new ApiClient(endpoint, this.abort.signal);
    this.out = new Output(io.stdout, io.stderr);
    this.printer = new LinePrinter(this.out, options);
    this.matches = options.grep !== undefined && options.follow ? plainMatcher(options.grep) : null;
    this.stopped = new Promise<never>((_, reject) => {
      this.rejectStopped = reject;
    });
    this.stopped.catch(() => undefined);
    this.leaving = new Promise<void>((resolve) => {
      this.leave = resolve;
    });
  }

  async run(): Promise<number> {
    const offInterrupt = this.io.onInterrupt((signal) => this.stop({ kind: 'interrupt', signal }));
    void this.out.closed.then(() => this.stop({ kind: 'output-closed' }));
    try {
      await this.guard(this.print());
      await this.guard(this.out.end());
      return 0;
    } catch (err) {
      const reason = this.stopReason;
      if (reason?.kind === 'interrupt') return signalExitCode[reason.signal];
      if (reason?.kind === 'output-closed' || err instanceof OutputClosed) return 0;
      // What was read before the failure is worth printing, before the message that says why it
      // stopped (unless Ctrl-C or the reader going away cuts that short too).
      if (!this.out.isClosed) await Promise.race([this.out.end(), this.leaving]).catch(() => undefined);
      throw reason?.kind === 'error' ? reason.error : err;
    } finally {
      offInterrupt();
      if (this.timer) clearTimeout(this.timer);
      this.socket?.close();
      this.api.close();
    }
  }

  private stop(reason: Stop): void {
    if (reason.kind !== 'error') this.leave();
    if (this.stopReason) return;
    this.stopReason = reason;
    this.abort.abort();
    this.rejectStopped(reason);
  }

  /** The promise, unless the session stops first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopped]);
  }

  private async print(): Promise<void> {
    const { options } = this;
    const scope = await this.resolveScope();
    const pager = new LogPager(this.api, scope.scope, this.tuning.pageSize);
    const filter = this.serverFilter(true);
    const follow = options.follow && !(options.until !== undefined && options.until <= this.io.now());

    if (!follow) {
      if (options.target.kind === 'job') await this.api.get('jobs.get', { id: options.target.jobId });
      const bound = await pager.newestId();
      // A job has a source from the start; a container id Berth never heard of has none.
      if (bound === 0 && !scope.known && 'containerId' in scope.scope) throw this.noLogsError(scope.scope.containerId);
      await this.printStored(pager, filter, bound);
      return;
    }

    // 1. Every event from here on, and this source's lines.
    let subscription = -1;
    this.socket = await BerthSocket.connect(this.endpoint, {
      event: (name, payload) => {
        const job = payload as Job;
        if (name === 'job.updated' && 'jobId' in scope.scope && job.id === scope.scope.jobId && finishedStatuses.has(job.status)) {
          this.queue.push({ kind: 'end' });
        }
      },
      stream: (subId, payload) => {
        if (subId === subscription) this.enqueue(payload as LogBatch);
      },
      closed: (error) => this.stop({ kind: 'error', error }),
    });
    const subscribed = this.socket.subscribe('logs', scope.scope);
    subscription = subscribed.subId;
    await subscribed.ready;
    // 2. A job that has finished has all its lines stored already.
    let finished = false;
    if ('jobId' in scope.scope) finished = finishedStatuses.has((await this.api.get('jobs.get', { id: scope.scope.jobId })).status);
    // 3. The stored lines, up to the newest one now.
    const bound = await pager.newestId();
    await this.printStored(pager, filter, bound);
    if (finished) return;

    // 4. New lines.
    const liveFilter = this.serverFilter(false);
    const sequencer = new LiveSequencer(
      bound,
      {
        range: (afterId, upTo) => pager.forward(liveFilter, afterId, upTo),
        entries: (entries) => this.printEntries(entries),
        lines: (lines) => this.printLines(lines),
      },
      options.json,
    );
    if (options.until !== undefined) this.endAt(options.until);
    for (;;) {
      const item = await this.guard(this.queue.take());
      if (item.kind === 'batch') {
        await sequencer.batch(item.batch);
      } else if (item.kind === 'upTo') {
        await sequencer.upTo(item.id);
      } else {
        // 5. Finished: everything is stored; print what is left.
        await sequencer.rest();
        return;
      }
    }
  }

  /**
   * Ends following after `until`: as soon as a line from then on arrives (every earlier one has
   * arrived by then), or `untilGraceMs` after it if none does, for lines from just before it
   * still on their way. (A timer fires at most about 24 days ahead, so it may take a few.)
   */
  private endAt(until: number): void {
    const wait = until + untilGraceMs - this.io.now();
    if (wait <= 0) return this.queue.push({ kind: 'end' });
    this.timer = setTimeout(() => this.endAt(until), Math.min(wait, 2 ** 31 - 1));
  }

  /** Queues a batch; when too much waits (we print slower than lines come), reads them back from the store later instead. */
  private enqueue(batch: LogBatch): void {
    if (batch.lines.length === 0) return;
    this.queue.push({ kind: 'batch', batch }, batch.lines.length);
    const { until } = this.options;
    if (until !== undefined && batch.lines[batch.lines.length - 1]!.timestamp >= until) this.queue.push({ kind: 'end' });
    if (this.queue.weight <= this.tuning.maxQueuedLines) return;
    let upTo = 0;
    const kept = this.queue.drain().filter((item) => {
      if (item.kind === 'batch') upTo = Math.max(upTo, item.batch.lines[item.batch.lines.length - 1]!.id);
      else if (item.kind === 'upTo') upTo = Math.max(upTo, item.id);
      else return true;
      return false;
    });
    // Only batches and ranges are ever queued before an 'end', so the range goes first.
    if (upTo > 0) this.queue.push({ kind: 'upTo', id: upTo });
    for (const item of kept) this.queue.push(item);
  }

  private async printStored(pager: LogPager, filter: ServerFilter, bound: number): Promise<void> {
    const { tail } = this.options;
    if (bound === 0 || tail === 0) return;
    const pages = tail === null ? pager.forward(filter, 0, bound) : pager.tail(filter, tail, bound);
    for await (const page of pages) {
      for (const entry of page) this.printer.entry(entry);
      await this.printer.flush();
    }
  }

  private async printEntries(entries: readonly LogEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.matches && !this.matches(entry.message)) continue;
      this.printer.entry(entry);
    }
    await this.printer.flush();
  }

  private async printLines(lines: readonly LogLine[]): Promise<void> {
    const { levels, since, until, system } = this.options;
    for (const line of lines) {
      if (levels && !levels.includes(line.level)) continue;
      if (since !== undefined && line.timestamp < since) continue;
      if (until !== undefined && line.timestamp >= until) continue;
      if (!system && line.source !== 'container') continue;
      if (this.matches && !this.matches(line.message)) continue;
      this.printer.text(fromLive(line));
    }
    await this.printer.flush();
  }

  /**
   * The filters the server applies. `search` false leaves `--grep` to us: for new lines, which
   * the server's full-text index may not have caught up with yet.
   */
  private serverFilter(search: boolean): ServerFilter {
    const { levels, since, until, grep, system } = this.options;
    const filter: ServerFilter = {};
    if (levels) filter.level = levels;
    if (since !== undefined) filter.since = since;
    if (until !== undefined) filter.until = until;
    if (!system) filter.sourceType = ['container'];
    if (search && grep !== undefined) filter.q = grep;
    return filter;
  }

  /** The job, or the container named by an id, an id's prefix or a name. `known`: Berth follows it (it may have no lines yet). */
  private async resolveScope(): Promise<{ scope: LogScope; known: boolean }> {
    const { target } = this.options;
    if (target.kind === 'job') return { scope: { jobId: target.jobId }, known: true };
    const { attachments } = await this.api.get('logs.attachments', {});
    const ref = target.ref;
    const unique = (ids: string[]) => [...new Set(ids)];
    const named = unique(attachments.filter((a) => a.containerName.replace(/^\//, '') === ref).map((a) => a.containerId));
    const byService = named.length > 0 ? [] : unique(attachments.filter((a) => a.serviceName === ref).map((a) => a.containerId));
    for (const ids of [named, byService]) {
      if (ids.length === 1) return { scope: { containerId: ids[0]! }, known: true };
      if (ids.length > 1) {
        throw new CliError(`'${ref}' names more than one container (${ids.map((id) => id.slice(0, 12)).join(', ')}); give the id of the one you mean`);
      }
    }
    if (!/^[0-9a-f]+$/i.test(ref)) {
      throw new CliError(`Berth follows no container named '${ref}' (GET /api/v1/logs/attachments lists those it does); give a job id or a container id`);
    }
    const id = ref.toLowerCase();
    const matching = unique(attachments.filter((a) => a.containerId.startsWith(id)).map((a) => a.containerId));
    if (id.length >= 12) return { scope: { containerId: id }, known: matching.length > 0 };
    // Docker takes any unique prefix; the API wants 12 characters, so a shorter one is completed from what Berth follows.
    if (matching.length === 1) return { scope: { containerId: matching[0]! }, known: true };
    if (matching.length > 1) throw new CliError(`'${ref}' is the beginning of more than one container's id; give more of it`);
    throw new CliError(`'${ref}' is too short to name a container Berth does not follow: give 12 or more characters of its id`);
  }

  private noLogsError(containerId: string): CliError {
    const id = containerId.slice(0, 12);
    return new CliError(`Berth keeps no logs for container ${id} (attach it first: POST /api/v1/logs/${id}/attach)`);
  }
}

/** A queue an async loop takes from, one item at a time; `weight` counts what waits in it. */
class Mailbox<T> {
  private items: { item: T; weight: number }[] = [];
  private waiting: ((item: T) => void) | null = null;
  /** The sum of the weights of the items waiting (not of one handed straight to the loop). */
  weight = 0;

  push(item: T, weight = 0): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting(item);
      return;
    }
    this.items.push({ item, weight });
    this.weight += weight;
  }

  take(): Promise<T> {
    const next = this.items.shift();
    if (next) {
      this.weight -= next.weight;
      return Promise.resolve(next.item);
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Removes and returns everything waiting. */
  drain(): T[] {
    const items = this.items.map((i) => i.item);
    this.items = [];
    this.weight = 0;
    return items;
  }
}
