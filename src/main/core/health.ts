/** The shape of /health, after the reference platform's: overall status plus one entry per check. */
import type { Db } from './store/database';
import type { HostRegistry } from './docker/host-registry';

export type CheckStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: CheckStatus;
  timestamp: string;
  version: string;
  checks: Record<string, { status: CheckStatus; message: string }>;
}

export function healthReport(db: Db, hosts: HostRegistry, version: string): HealthReport {
  const checks: HealthReport['checks'] = {};
  try {
    db.prepare('SELECT 1').get();
    checks.database = { status: 'healthy', message: 'OK' };
  } catch (err) {
    checks.database = { status: 'unhealthy', message: (err as Error).message };
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
  return { status, timestamp: new Date().toISOString(), version, checks };
}
