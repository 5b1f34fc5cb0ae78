import { useEffect, useMemo, useRef } from 'react';
import type { Job } from '../../../../shared/model';
import { useClient } from '../../client/client-context';
import { formatDuration } from '../../lib/format';
import { runMs } from '../../lib/job-times';
import { attemptChain } from '../../state/attempt-chain';
import { useJobs } from '../../state/jobs-store';
import { StatusPill } from '../status-pill';

/** Most attempts fetched while walking one chain (the retry policy allows up to 100). */
const maxFetched = 120;

/** The attempts of this job, first to last, each with its status; shown when there is more than one. */
export function JobAttempts({ job }: { job: Job }) {
  const client = useClient();
  const jobs = useJobs((s) => s.jobs);
  const byId = useMemo(() => new Map(jobs.map((j) => [j.id, j])), [jobs]);
  const { chain, missing } = attemptChain(job.id, byId);
  const tried = useRef(new Set<number>());

  // Fetch the attempts not known yet; each answer extends the chain and may name the next one.
  const wanted = missing.filter((id) => !tried.current.has(id)).join(',');
  useEffect(() => {
    if (!wanted) return;
    for (const id of wanted.split(',').map(Number)) {
      if (tried.current.size >= maxFetched) return;
      tried.current.add(id);
      client.request('jobs.get', { id }).then(
        (fetched) => useJobs.getState().upsert(fetched),
        () => {}, // A deleted attempt just ends the chain there.
      );
    }
  }, [client, wanted]);

  if (chain.length < 2) return null;
  return (
    <div className="card job-attempts" data-testid="job-attempts">
      <h2 className="card-title">Attempts</h2>
      <ol className="attempt-list">
        {chain.map((attempt) => (
          <li key={attempt.id} className="attempt" aria-current={attempt.id === job.id ? 'true' : undefined} data-testid="job-attempt-item">
            <a href={`#/jobs/${attempt.id}`} className="mono">
              #{attempt.id}
            </a>
            <span className="muted">attempt {attempt.attempt}</span>
            <StatusPill status={attempt.status} />
            <span className="muted mono">{attempt.exitCode !== null ? `exit ${attempt.exitCode}` : ''}</span>
            <span className="muted mono">{attemptRun(attempt)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function attemptRun(job: Job): string {
  const ran = runMs(job, Date.now());
  return ran === null ? '' : formatDuration(ran, job.finishedAt !== null);
}
