import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { Job } from '../../../shared/model';
import { finishedStatuses } from '../../../shared/job-status';
import { useClient } from '../client/client-context';
import { ClientError } from '../client/client-error';
import { EmptyState } from '../components/empty-state';
import { CopyDockerRun } from '../components/jobs/copy-docker-run';
import { JobAttempts } from '../components/jobs/job-attempts';
import { CancelButton, RetryButton } from '../components/jobs/job-actions';
import { JobSpec } from '../components/jobs/job-spec';
import { StatusPill } from '../components/status-pill';
import { formatDuration, formatTimestamp, fullTimestamp, shortId } from '../lib/format';
import { runMs, totalMs, waitMs } from '../lib/job-times';
import { useNow } from '../lib/use-now';
import { useHosts } from '../state/hosts-store';
import { useJobs } from '../state/jobs-store';
import { reportError } from '../state/report-error';
import { useTemplates } from '../state/templates-store';

// xterm is the biggest dependency; load it only when a log is opened.
const LogPane = lazy(() => import('../components/log-pane').then((m) => ({ default: m.LogPane })));

export function JobView({ jobId, lineId }: { jobId: number; lineId?: number }) {
  const client = useClient();
  const job = useJobs((s) => s.jobs.find((j) => j.id === jobId));
  const [missing, setMissing] = useState(false);

  // The list holds only recent jobs; fetch this one directly, and again after a reconnect.
  useEffect(() => {
    let live = true;
    setMissing(false);
    const fetchJob = async () => {
      try {
        const fetched = await client.request('jobs.get', { id: jobId });
        if (live) useJobs.getState().upsert(fetched);
      } catch (err) {
        if (!live) return;
        if (err instanceof ClientError && err.code === 'not_found') setMissing(true);
        else reportError(err, `Loading job #${jobId} failed`);
      }
    };
    void fetchJob();
    const off = client.onConnection((state) => {
      if (state === 'open') void fetchJob();
    });
    return () => {
      live = false;
      off();
    };
  }, [client, jobId]);

  if (!job) {
    return (
      <div className="page" data-testid="job-view">
        <BackLink />
        {missing ? (
          <EmptyState title={`Job #${jobId} does not exist`} tone="error" testId="job-missing" />
        ) : (
          <EmptyState title={`Loading job #${jobId}…`} />
        )}
      </div>
    );
  }

  const finished = finishedStatuses.has(job.status);
  return (
    <div className="page page-job" data-testid="job-view" data-job-id={job.id}>
      <BackLink />
      <div className="page-head">
        <h1 className="page-title">
          <span className="muted">#{job.id}</span> {job.templateName}
        </h1>
        <StatusPill status={job.status} />
        <span className="badge badge-trigger" data-testid="job-trigger" title="What made this job">
          {job.trigger}
        </span>
        <AttemptLinks job={job} />
        <div className="page-head-actions">
          <CopyDockerRun spec={job.spec} />
          {finished ? <RetryButton jobId={job.id} /> : <CancelButton jobId={job.id} />}
        </div>
      </div>
      <JobDetails job={job} />
      <JobAttempts job={job} />
      <JobSpec spec={job.spec} />
      <Suspense fallback={<div className="log-pane-frame" data-testid="log-pane-loading" />}>
        <LogPane key={job.id} source={{ kind: 'job', id: job.id }} lineId={lineId} finished={finished} levelCounts={job.logLevels} />
      </Suspense>
    </div>
  );
}

function BackLink() {
  return (
    <a className="back-link" href="#/" data-testid="back-to-jobs">
      ← Jobs
    </a>
  );
}

/** "attempt 2/3 · retry of #41 · retried by #44", each job a link. */
function AttemptLinks({ job }: { job: Job }) {
  const maxAttempts = useTemplates((s) => s.templates.find((t) => t.id === job.templateId)?.retry?.attempts);
  return (
    <span className="attempt-links muted" data-testid="job-attempt">
      attempt {maxAttempts !== undefined && maxAttempts > 1 ? `${job.attempt}/${maxAttempts}` : job.attempt}
      {job.retryOf !== null && (
        <>
          {' · retry of '}
          <a href={`#/jobs/${job.retryOf}`} data-testid="job-retry-of">
            #{job.retryOf}
          </a>
        </>
      )}
      {job.retriedBy !== null && (
        <>
          {' · retried by '}
          <a href={`#/jobs/${job.retriedBy}`} data-testid="job-retried-by">
            #{job.retriedBy}
          </a>
        </>
      )}
    </span>
  );
}

function JobDetails({ job }: { job: Job }) {
  const finished = finishedStatuses.has(job.status);
  // Waiting and running times tick until the job ends.
  const now = useNow(!finished);
  const host = useHosts((s) => s.hosts.find((h) => h.id === job.hostId));
  const ran = runMs(job, now);
  const waitingUntil = job.notBefore !== null && job.notBefore > now ? job.notBefore : null;
  return (
    <div className="card details" data-testid="job-details">
      <dl className="details-grid">
        {job.status === 'pending' && (
          <Detail label="Queue position" testId="job-detail-queue" mono>
            {job.queuePosition ?? '—'}
          </Detail>
        )}
        {waitingUntil !== null && (
          <Detail label="Retry after" testId="job-detail-not-before" title={fullTimestamp(waitingUntil)}>
            {formatTimestamp(waitingUntil, now)}
          </Detail>
        )}
        <Detail label="Exit code" testId="job-detail-exit-code" mono>
          {job.exitCode ?? '—'}
        </Detail>
        <Detail label="Container" testId="job-detail-container" mono title={job.containerId ?? undefined}>
          {shortId(job.containerId)}
        </Detail>
        <Detail label="Host" testId="job-detail-host" title={host?.address}>
          {job.hostId === null ? <span className="muted">not chosen yet</span> : (host?.name ?? `#${job.hostId}`)}
        </Detail>
        <Detail label="Created" testId="job-detail-created" title={fullTimestamp(job.createdAt)}>
          {formatTimestamp(job.createdAt, now)}
        </Detail>
        <Detail label="Started" testId="job-detail-started" title={fullTimestamp(job.startedAt)}>
          {formatTimestamp(job.startedAt, now)}
        </Detail>
        <Detail label="Finished" testId="job-detail-finished" title={fullTimestamp(job.finishedAt)}>
          {formatTimestamp(job.finishedAt, now)}
        </Detail>
        <Detail label="Waiting" testId="job-detail-wait" mono>
          {formatDuration(waitMs(job, now), job.status !== 'pending')}
        </Detail>
        <Detail label="Running" testId="job-detail-duration" mono>
          {ran === null ? '—' : formatDuration(ran, finished)}
        </Detail>
        <Detail label="Total" testId="job-detail-total" mono>
          {formatDuration(totalMs(job, now), finished)}
        </Detail>
        <Detail label="Log" testId="job-detail-log" title={levelSummary(job)} wide>
          <LogSummary job={job} />
        </Detail>
      </dl>
      {job.error && (
        <p className="job-error" data-testid="job-detail-error" role="alert">
          {job.error}
        </p>
      )}
    </div>
  );
}

/** Stored lines and, when there are any, how many warnings and errors among them. */
function LogSummary({ job }: { job: Job }) {
  const { warn, error } = job.logLevels;
  return (
    <span className="log-summary">
      <span className="mono">{job.logLines.toLocaleString()}</span> {job.logLines === 1 ? 'line' : 'lines'}
      {error > 0 && (
        <span className="level-badge" data-level="error" data-testid="job-detail-errors">
          {error.toLocaleString()} err
        </span>
      )}
      {warn > 0 && (
        <span className="level-badge" data-level="warn" data-testid="job-detail-warnings">
          {warn.toLocaleString()} warn
        </span>
      )}
    </span>
  );
}

const levelSummary = (job: Job) =>
  `debug ${job.logLevels.debug}, info ${job.logLevels.info}, warn ${job.logLevels.warn}, error ${job.logLevels.error}`;

interface DetailProps {
  label: string;
  wide?: boolean;
  testId: string;
  mono?: boolean;
  title?: string;
  children: ReactNode;
}

function Detail({ label, testId, mono, title, wide, children }: DetailProps) {
  return (
    <div className={wide ? 'detail detail-wide' : 'detail'}>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId} title={title}>
        {children}
      </dd>
    </div>
  );
}
