/** The shape of /health, after the reference platform's: overall status plus one entry per check. */
import type { Db } from './store/database';
import type { HostRegistry } from './docker/host-registry';
import type { WriterStats } from './logs/write/writer-protocol';

export type CheckStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: CheckStatus;
  timestamp: string;
  version: string;
  checks: Record<string, { status: CheckStatus; message: string }>;
  /** The log store's size against its budget; null if the writer did not answer. */
  logStore: (WriterStats & { usedShare: number }) | null;
}

/** Over its budget by more than this, the store is reported degraded (retention lags behind). */
const budgetSlack = 1.1;

export function healthReport(db: Db, hosts: HostRegistry, version: string, store: WriterStats | null): HealthReport {
  const checks: HealthReport['checks'] = {};
  try {
    db.prepare('SELECT 1').get();
    checks.database = { status: 'healthy', message: 'OK' };
  } catch (err) {
    checks.database = { status: 'unhealthy', message: (err as Error).message };
  }
  if (store) {
    const share = store.budgetBytes > 0 ? store.usedBytes / store.budgetBytes : 0;
    const lag = store.indexLag > 0 ? `; about ${store.indexLag.toLocaleString('en-US')} lines not searchable yet` : '';
    checks.logStore = {
      status: share > budgetSlack ? 'degraded' : 'healthy',
      message: `${mib(store.usedBytes)} of ${mib(store.budgetBytes)} (${Math.round(share * 100)}%)${lag}`,
    };
  } else {
    checks.logStore = { status: 'degraded', message: 'the log writer did not answer' };
  }
  for (const host of hosts.list()) {
    const s = host.status;
    checks[`docker:${host.name}`] =
      s.state === 'up'
        ? { status: 'healthy', message: `Docker ${s.version ?? ''}`.trim() }
        : { status: 'degraded', message: s.state === 'unknown' ? 'not checked yet' : (s.error ?? 'down') };
  }
  const all = Object.values(checks).map((c) => c.status);
  const status: CheckStatus = all.includes('unhealthy') ? 'unhealthy' : all.includes('degraded') ? 'degraded' : 'healthy';
  const logStore = store ? { ...store, usedShare: store.budgetBytes > 0 ? store.usedBytes / store.budgetBytes : 0 } : null;
  return { status, timestamp: new Date().toISOString(), version, checks, logStore };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
