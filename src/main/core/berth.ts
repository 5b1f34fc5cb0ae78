/**
 * The composition root: the one place that builds the core's services and wires them together.
 * The Electron shell and the headless `berth serve` both start Berth through `createBerth`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ensureDataDir, lockDataDir } from './data-dir';
import { HostRegistry } from './docker/host-registry';
import { EventBus } from './event-bus';
import { healthReport, type HealthReport } from './health';
import { JobRunner } from './jobs/job-runner';
import { LiveHub } from './logs/live-hub';
import { LogIngest } from './logs/log-ingest';
import { BerthService } from './service';
import { openDatabase, type Db } from './store/database';
import { HostRepository } from './store/host-repository';
import { JobRepository } from './store/job-repository';
import { LogRepository } from './store/log-repository';
import { LogWriter } from './store/log-writer';
import { TemplateRepository } from './store/template-repository';
import { version } from './version';

export interface BerthOptions {
  dataDir: string;
  /** better_sqlite3.node built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /** Environment that decides what the local Docker host is (DOCKER_HOST…). */
  env?: NodeJS.ProcessEnv;
  hostRefreshMs?: number;
  /** How long a host check may take (default 5 s), and one Docker request of a job (default 60 s). */
  timeouts?: { hostCheckMs?: number; dockerRequestMs?: number };
  /** Where Berth reports its own trouble (not job output). */
  onError?: (message: string, err: unknown) => void;
}

export interface Berth {
  readonly service: BerthService;
  readonly dataDir: string;
  readonly instanceId: string;
  health(): HealthReport;
  close(): Promise<void>;
}

export const databaseFile = 'berth.db';

export function createBerth(options: BerthOptions): Berth {
  const { dataDir } = options;
  ensureDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  let db: Db;
  try {
    db = openDatabase({ file: join(dataDir, databaseFile), nativeBinding: options.nativeBinding });
  } catch (err) {
    unlock();
    throw err;
  }
  const onError = options.onError ?? ((message, err) => console.error(`berth: ${message}:`, err));

  const bus = new EventBus();
  const hub = new LiveHub();
  const hostRepo = new HostRepository(db);
  const templates = new TemplateRepository(db);
  const jobs = new JobRepository(db);
  const logs = new LogRepository(db);
  const ingest = new LogIngest(new LogWriter(db), (jobId) => logs.lastIdOf(jobId), hub, {
    onError: (err) => onError('storing log lines failed; retrying', err),
  });
  const hosts = new HostRegistry(hostRepo, bus, {
    env: options.env,
    refreshIntervalMs: options.hostRefreshMs,
    checkTimeoutMs: options.timeouts?.hostCheckMs,
  });
  const instanceId = instanceIdOf(db);
  const runner = new JobRunner({ jobs, templates, hosts, ingest, bus, instanceId }, { requestTimeoutMs: options.timeouts?.dockerRequestMs });
  const service = new BerthService({ hosts, templates, jobs, runner, logs, hub, bus });
  hosts.start();

  let closed: Promise<void> | null = null;
  return {
    service,
    dataDir,
    instanceId,
    health: () => healthReport(db, hosts, version),
    close: () =>
      (closed ??= (async () => {
        hosts.stop();
        await runner.close();
        ingest.close();
        db.close();
        unlock();
      })()),
  };
}

function instanceIdOf(db: Db): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('instance_id', ?)").run(id);
  return id;
}
