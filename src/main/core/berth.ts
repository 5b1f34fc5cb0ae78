/**
 * The composition root: the one place that builds the core's services and wires them together.
 * The Electron shell and the headless `berth serve` both start Berth through `createBerth`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Settings } from '../../shared/model';
import { ensureDataDir, lockDataDir } from './data-dir';
import { DockerEvents } from './docker/docker-events';
import { HostRegistry } from './docker/host-registry';
import { EventBus } from './event-bus';
import { hostHandlers } from './handlers/host-handlers';
import { jobDownloads, jobHandlers } from './handlers/job-handlers';
import { logDownloads, logHandlers, logJsonHandlers } from './handlers/log-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { templateDownloads, templateHandlers } from './handlers/template-handlers';
import { healthReport, type HealthReport } from './health';
import { JobActions } from './jobs/job-actions';
import { JobReconciler } from './jobs/job-reconciler';
import { JobRunner } from './jobs/job-runner';
import { JobSubmitter } from './jobs/job-submitter';
import { Scheduler } from './jobs/schedule/scheduler';
import { JobQueue } from './jobs/queue/job-queue';
import { RetryService } from './jobs/retry/retry-service';
import { TemplateService } from './templates/template-service';
import { TemplateStatsQuery } from './templates/template-stats';
import { queueHandlers } from './handlers/queue-handlers';
import { Attachments } from './logs/attachments';
import { LiveHub } from './logs/live-hub';
import { LogIngest } from './logs/log-ingest';
import { LogReader } from './logs/log-reader';
import type { RetentionRules } from './logs/write/writer-protocol';
import { BerthService } from './service';
import { SettingsService } from './settings/settings-service';
import { openDatabase, type Db } from './store/database';
import { HostRepository } from './store/host-repository';
import { JobRepository } from './store/job-repository';
import { LogSourceRepository } from './store/log-source-repository';
import { TemplateRepository } from './store/template-repository';
import { version } from './version';

export interface BerthOptions {
  dataDir: string;
  /** better_sqlite3.node built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /** Environment that decides what the local Docker host is (DOCKER_HOST…). */
  env?: NodeJS.ProcessEnv;
  hostRefreshMs?: number;
  /** How long a host check may take (default 5 s), one Docker request of a job (default 60 s), and a stopped job's grace before SIGKILL (default 10 s). */
  timeouts?: { hostCheckMs?: number; dockerRequestMs?: number; stopGraceSeconds?: number };
  /** Where Berth reports its own trouble (not job output). */
  onError?: (message: string, err: unknown) => void;
}

export interface Berth {
  readonly service: BerthService;
  readonly dataDir: string;
  readonly instanceId: string;
  /** Whether the store answers (for /ready). */
  ready(): { ok: true } | { ok: false; reason: string };
  health(): Promise<HealthReport>;
  close(): Promise<void>;
}

export const databaseFile = 'berth.db';

export function createBerth(options: BerthOptions): Berth {
  const { dataDir } = options;
  ensureDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  const file = join(dataDir, databaseFile);
  let db: Db;
  try {
    // The main connection migrates the store before any worker opens it.
    db = openDatabase({ file, nativeBinding: options.nativeBinding, autoCheckpoint: false });
  } catch (err) {
    unlock();
    throw err;
  }
  const onError = options.onError ?? ((message, err) => console.error(`berth: ${message}:`, err));

  const bus = new EventBus();
  const hostRepo = new HostRepository(db);
  const templates = new TemplateRepository(db);
  const jobs = new JobRepository(db);
  const sources = new LogSourceRepository(db);
  const settings = new SettingsService(db, bus);
  const hub: LiveHub = new LiveHub((sourceId, on) => ingest.follow(sourceId, on));
  const ingest: LogIngest = new LogIngest({
    file,
    nativeBinding: options.nativeBinding,
    onLive: (sourceId, prevId, lines) => hub.publish(sourceId, prevId, lines),
    onError: (message) => onError('log store', new Error(message)),
  });
  const reader = new LogReader({ file, nativeBinding: options.nativeBinding });
  const hosts = new HostRegistry(hostRepo, bus, {
    env: options.env,
    refreshIntervalMs: options.hostRefreshMs,
    checkTimeoutMs: options.timeouts?.hostCheckMs,
    jobs,
  });
  const instanceId = instanceIdOf(db);
  const runner = new JobRunner(
    { jobs, templates, sources, hosts, ingest, bus, instanceId },
    { requestTimeoutMs: options.timeouts?.dockerRequestMs, defaultGraceSeconds: options.timeouts?.stopGraceSeconds },
  );
  const queue = new JobQueue({ jobs, hosts, runner, bus });
  const submitter = new JobSubmitter({ templates, jobs, hosts, bus, ingest, sources, onQueued: () => queue.wake() });
  const scheduler = new Scheduler({ templates, jobs, submitter, cancel: (id) => runner.cancel(id), ingest, sources, bus, onError });
  const retries = new RetryService({ jobs, templates, sources, ingest, bus, submitter, onError });
  retries.start();
  const templateService = new TemplateService({ templates, sources, jobs, hosts, bus, onRetentionChange: () => applyRetention() });
  const actions = new JobActions({ jobs, runner, submitter, ingest, sources, bus });
  const hostName = (id: number): string | null => {
    try {
      return hosts.record(id).name;
    } catch {
      return null;
    }
  };
  const templateDeps = { templates: templateService, stats: new TemplateStatsQuery(db), hosts: () => hosts.list(), hostName };
  const reconciler = new JobReconciler({ jobs, sources, hosts, runner, ingest, bus, instanceId, onRequeued: () => queue.wake() });
  const attachments = new Attachments({ sources, hosts, ingest, bus, instanceId });
  const events = new DockerEvents(hosts, {
    onEvent: (e) => attachments.onContainerEvent(e),
    onConnect: (hostId) => void attachments.onHostConnected(hostId).catch((err: unknown) => onError('following attached containers', err)),
  });

  const applyRetention = (current: Settings = settings.get()) => ingest.setRetention(retentionRules(current, templates));
  settings.onChange(applyRetention);
  applyRetention();

  const service = new BerthService({
    handlers: {
      ...hostHandlers(hosts, attachments),
      ...templateHandlers(templateDeps),
      ...jobHandlers({ jobs, runner, submitter, actions }),
      ...queueHandlers({ jobs, hosts, runner }),
      ...logHandlers(reader, attachments),
      ...settingsHandlers(settings),
    },
    downloads: { ...logDownloads(reader), ...templateDownloads(templateDeps), ...jobDownloads(jobs, hostName) },
    json: { ...logJsonHandlers(reader) },
    sources,
    hub,
    bus,
  });

  hosts.start();
  reconciler
    .reconcile()
    .catch((err: unknown) => onError('settling jobs left from before the restart', err))
    .finally(() => {
      queue.wake();
      // After the reconciler, so runs left going count for the concurrency policy of a catch-up.
      scheduler.start();
    });
  attachments.start();
  for (const host of hosts.list()) events.watch(host.id);
  // Hosts added later are watched too.
  bus.on((name, payload) => {
    if (name === 'host.updated') events.watch((payload as { id: number }).id);
    else if (name === 'host.removed') events.unwatch((payload as { id: number }).id);
  });

  let closed: Promise<void> | null = null;
  return {
    service,
    dataDir,
    instanceId,
    ready: () => {
      try {
        db.prepare('SELECT 1').get();
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },
    health: async () => healthReport(db, hosts, version, await ingest.stats().catch(() => null)),
    close: () =>
      (closed ??= (async () => {
        events.close();
        scheduler.close();
        queue.close();
        retries.close();
        reconciler.close();
        hosts.stop();
        await attachments.close();
        await runner.close();
        await ingest.close().catch((err: unknown) => onError('closing the log writer', err));
        await reader.close();
        db.close();
        unlock();
      })()),
  };
}

/** The global retention settings with each template's own overrides. */
function retentionRules(settings: Settings, templates: TemplateRepository): RetentionRules {
  return {
    ...settings.logs,
    templates: templates
      .list()
      .filter((t) => t.logRetention.maxAgeDays !== undefined || t.logRetention.maxBytes !== undefined)
      .map((t) => ({ templateId: t.id, ...t.logRetention })),
  };
}

function instanceIdOf(db: Db): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('instance_id', ?)").run(id);
  return id;
}
