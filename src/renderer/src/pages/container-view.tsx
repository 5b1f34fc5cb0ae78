import { lazy, Suspense } from 'react';
import { EmptyState } from '../components/empty-state';
import { formatTimestamp, fullTimestamp, shortId } from '../lib/format';
import { findAttachment, useAttachments } from '../state/attachments-store';
import { useHosts } from '../state/hosts-store';

// xterm is the biggest dependency; load it only when a log is opened.
const LogPane = lazy(() => import('../components/log-pane').then((m) => ({ default: m.LogPane })));

/** An attached container's log (or any container's stored lines): its details and the log pane. */
export function ContainerView({ containerId, lineId }: { containerId: string; lineId?: number }) {
  const attachment = useAttachments((s) => findAttachment(s.attachments, containerId));
  const loaded = useAttachments((s) => s.loaded);
  const host = useHosts((s) => s.hosts.find((h) => h.id === attachment?.hostId));
  const fullId = attachment?.containerId ?? containerId;

  return (
    <div className="page page-job" data-testid="container-view" data-container-id={fullId}>
      <a className="back-link" href="#/containers" data-testid="back-to-containers">
        ← Attached containers
      </a>
      <div className="page-head">
        <h1 className="page-title">
          {attachment ? attachment.serviceName : <span className="mono">{shortId(containerId)}</span>}
        </h1>
        {attachment && (
          <span className="pill attach-pill" data-state={attachment.state} data-testid="container-state">
            <span className="pill-dot" aria-hidden="true" />
            {attachment.state}
          </span>
        )}
      </div>
      {attachment ? (
        <div className="card details" data-testid="container-details">
          <dl className="details-grid">
            <div className="detail">
              <dt>Container</dt>
              <dd title={attachment.containerId}>
                {attachment.containerName} <span className="muted mono">{shortId(attachment.containerId)}</span>
              </dd>
            </div>
            <div className="detail">
              <dt>Host</dt>
              <dd>{host?.name ?? `#${attachment.hostId}`}</dd>
            </div>
            <div className="detail">
              <dt>Attached</dt>
              <dd title={fullTimestamp(attachment.attachedAt)}>{formatTimestamp(attachment.attachedAt)}</dd>
            </div>
            <div className="detail">
              <dt>Stored lines</dt>
              <dd className="mono">{attachment.logLines.toLocaleString()}</dd>
            </div>
            <div className="detail">
              <dt>Last line</dt>
              <dd title={fullTimestamp(attachment.lastLineAt)}>{formatTimestamp(attachment.lastLineAt)}</dd>
            </div>
          </dl>
          {attachment.error && (
            <p className="job-error" role="alert">
              {attachment.error}
            </p>
          )}
        </div>
      ) : (
        loaded && (
          <EmptyState title="Berth does not follow this container now" testId="container-not-attached">
            <p>Its stored lines, if any, are shown below.</p>
          </EmptyState>
        )
      )}
      <Suspense fallback={<div className="log-pane-frame" data-testid="log-pane-loading" />}>
        <LogPane key={fullId} source={{ kind: 'container', id: fullId }} lineId={lineId} finished={attachment?.state === 'gone'} />
      </Suspense>
    </div>
  );
}
