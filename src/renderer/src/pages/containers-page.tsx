import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Attachment, ContainerSummary, Host } from '../../../shared/model';
import { useClient } from '../client/client-context';
import { errorMessage } from '../client/client-error';
import { EmptyState } from '../components/empty-state';
import { formatTimestamp, fullTimestamp, shortId } from '../lib/format';
import { routeHref } from '../routing/route';
import { loadAttachments, useAttachments } from '../state/attachments-store';
import { selectDefaultHost, useHosts } from '../state/hosts-store';
import { reportError } from '../state/report-error';
import { useToasts } from '../state/toasts-store';
import { FormFooter } from '../components/form-footer';

/** How often the container list is read again while the page is open (Docker does not push it). */
const refreshMs = 5000;

/**
 * The host's containers with attach/detach, and every container Berth follows besides its jobs.
 * Attaching follows a container's output into the store from its first line, like a job's.
 */
export function ContainersPage() {
  const hosts = useHosts((s) => s.hosts);
  const defaultHost = useHosts(selectDefaultHost);
  const [hostId, setHostId] = useState<number | null>(null);
  const host = hosts.find((h) => h.id === hostId) ?? defaultHost;

  return (
    <div className="page" data-testid="containers-page">
      <div className="page-head">
        <h1 className="page-title">Attached containers</h1>
        {hosts.length > 1 && (
          <label className="field field-inline page-head-actions">
            <span className="field-label">Host</span>
            <select className="input" value={host?.id ?? ''} onChange={(e) => setHostId(Number(e.target.value))} data-testid="containers-host">
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="page-intro muted">
        Berth stores the output of containers it did not start once you attach them: from their first line, across restarts of the
        container and of Berth. Their lines are searchable on the <a href="#/logs">Logs</a> page like a job's.
      </p>
      <AttachmentsTable />
      {host ? <HostContainers host={host} /> : <EmptyState title="Loading hosts…" />}
    </div>
  );
}

function AttachmentsTable() {
  const client = useClient();
  const attachments = useAttachments((s) => s.attachments);
  const loaded = useAttachments((s) => s.loaded);
  const error = useAttachments((s) => s.error);
  const hosts = useHosts((s) => s.hosts);

  useEffect(() => {
    void loadAttachments(client);
  }, [client]);

  let body;
  if (attachments.length > 0) {
    body = (
      <div className="card table-card">
        <table className="table" data-testid="attachments-table">
          <thead>
            <tr>
              <th>Service</th>
              <th>Container</th>
              <th>State</th>
              {hosts.length > 1 && <th>Host</th>}
              <th className="col-num">Lines</th>
              <th>Last line</th>
              <th className="col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {attachments.map((a) => (
              <AttachmentRow key={`${a.hostId}:${a.containerId}`} attachment={a} hostName={hosts.length > 1 ? (hosts.find((h) => h.id === a.hostId)?.name ?? `#${a.hostId}`) : null} />
            ))}
          </tbody>
        </table>
      </div>
    );
  } else if (error) {
    body = (
      <EmptyState title="Could not load attached containers" tone="error" testId="attachments-error">
        <p>{error}</p>
        <button type="button" className="button" onClick={() => void loadAttachments(client)}>
          Retry
        </button>
      </EmptyState>
    );
  } else if (!loaded) body = <EmptyState title="Loading attached containers…" />;
  else
    body = (
      <EmptyState title="No attached containers" testId="attachments-empty">
        <p>Attach a running container below to store and search its output.</p>
      </EmptyState>
    );

  return (
    <section className="section">
      <h2 className="section-title">Followed by Berth</h2>
      {body}
    </section>
  );
}

const reasonText: Record<Attachment['reason'], string> = {
  api: 'attached here or through the API',
  label: 'has the label berth.attach=true',
  host: 'its host follows every container',
};

function AttachmentRow({ attachment: a, hostName }: { attachment: Attachment; hostName: string | null }) {
  const href = routeHref({ name: 'container', id: a.containerId });
  return (
    <tr data-testid="attachment-row" data-container-id={a.containerId}>
      <td className="cell-strong">
        <a href={href} data-testid="attachment-open">
          {a.serviceName}
        </a>
      </td>
      <td>
        {a.containerName} <span className="muted mono">{shortId(a.containerId)}</span>
      </td>
      <td>
        <span className="pill attach-pill" data-state={a.state} data-testid="attachment-state" title={a.error ?? reasonText[a.reason]}>
          <span className="pill-dot" aria-hidden="true" />
          {a.state}
        </span>
        {a.error && <div className="cell-error">{a.error}</div>}
      </td>
      {hostName !== null && <td>{hostName}</td>}
      <td className="col-num mono">{a.logLines.toLocaleString()}</td>
      <td title={fullTimestamp(a.lastLineAt)}>{formatTimestamp(a.lastLineAt)}</td>
      <td className="col-actions">
        <a className="button button-small" href={href}>
          View logs
        </a>{' '}
        <DetachButton hostId={a.hostId} containerId={a.containerId} name={a.serviceName} />
      </td>
    </tr>
  );
}

function DetachButton({ hostId, containerId, name }: { hostId: number; containerId: string; name: string }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const detach = async () => {
    setBusy(true);
    try {
      const { message } = await client.request('logs.detach', { containerId, hostId });
      useAttachments.getState().remove(hostId, containerId);
      useToasts.getState().push('info', message || `Detached ${name}; its stored lines stay`);
    } catch (err) {
      reportError(err, `Detaching ${name} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button button-small button-danger" data-testid="detach-button" disabled={busy} onClick={() => void detach()}>
      {busy ? 'Detaching…' : 'Detach'}
    </button>
  );
}

function HostContainers({ host }: { host: Host }) {
  const client = useClient();
  const [all, setAll] = useState(false);
  const [containers, setContainers] = useState<ContainerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const attachmentCount = useAttachments((s) => s.attachments.length);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const answer = await client.request('hosts.containers', { id: host.id, all });
      setContainers(answer.containers);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, [client, host.id, all]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [load, attachmentCount]);

  const attachable = containers?.filter((c) => c.jobId === null) ?? [];
  const jobs = containers?.filter((c) => c.jobId !== null) ?? [];

  let body;
  if (error && !containers) {
    body = (
      <EmptyState title={`Could not list the containers on ${host.name}`} tone="error" testId="containers-error">
        <p>{error}</p>
        <button type="button" className="button" disabled={loading} onClick={() => void load()}>
          {loading ? 'Retrying…' : 'Retry'}
        </button>
      </EmptyState>
    );
  } else if (!containers) body = <EmptyState title={`Listing the containers on ${host.name}…`} testId="containers-loading" />;
  else if (containers.length === 0)
    body = <EmptyState title={all ? 'No containers on this host' : 'No running containers on this host'} testId="containers-empty" />;
  else
    body = (
      <div className="card table-card">
        <table className="table" data-testid="containers-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Image</th>
              <th>State</th>
              <th>Berth</th>
              <th className="col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...attachable, ...jobs].map((c) => (
              <ContainerRow key={c.id} container={c} hostId={host.id} onChanged={() => void load()} />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section className="section">
      <div className="section-head">
        <h2 className="section-title">Containers on {host.name}</h2>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="containers-show-all" />
          Show stopped
        </label>
        <AttachAllToggle host={host} />
        <button type="button" className="button button-small button-ghost" onClick={() => void load()} disabled={loading} data-testid="containers-refresh">
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {error && containers && (
        <p className="form-error" role="alert">
          Refreshing failed: {error}
        </p>
      )}
      {body}
      <AttachByName hostId={host.id} onAttached={() => void load()} />
    </section>
  );
}

function AttachAllToggle({ host }: { host: Host }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const toggle = async (attachAll: boolean) => {
    setBusy(true);
    try {
      useHosts.getState().upsert(await client.request('hosts.update', { id: host.id, attachAll }));
    } catch (err) {
      reportError(err, 'Changing the host failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className="check" title="Store the output of every container on this host, including ones started later">
      <input type="checkbox" checked={host.attachAll} disabled={busy} onChange={(e) => void toggle(e.target.checked)} data-testid="host-attach-all" />
      Follow every container
    </label>
  );
}

function ContainerRow({ container: c, hostId, onChanged }: { container: ContainerSummary; hostId: number; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const attach = async () => {
    setBusy(true);
    try {
      const answer = await client.request('logs.attach', { containerId: c.id, hostId });
      // The attachment itself arrives as an event (a list read now could be older than it).
      useToasts.getState().push('info', answer.message || `Attached ${answer.serviceName}`);
      onChanged();
    } catch (err) {
      reportError(err, `Attaching ${c.name} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid="container-row" data-container-id={c.id} data-container-name={c.name}>
      <td className="cell-strong">
        {c.name} <span className="muted mono">{shortId(c.id)}</span>
      </td>
      <td className="mono cell-command" title={c.image}>
        {c.image}
      </td>
      <td>
        <span className="pill container-pill" data-state={c.state} title={c.status}>
          <span className="pill-dot" aria-hidden="true" />
          {c.status || c.state}
        </span>
      </td>
      <td>
        {c.jobId !== null ? (
          <a href={routeHref({ name: 'job', id: c.jobId })}>Job #{c.jobId}</a>
        ) : c.attached ? (
          <span className="badge" data-testid="container-attached">
            Attached
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="col-actions">
        {c.jobId !== null ? null : c.attached ? (
          <>
            <a className="button button-small" href={routeHref({ name: 'container', id: c.id })} data-testid="container-view-logs">
              View logs
            </a>{' '}
            <DetachButton hostId={hostId} containerId={c.id} name={c.name} />
          </>
        ) : (
          <button type="button" className="button button-small button-primary" data-testid="attach-button" disabled={busy} onClick={() => void attach()}>
            {busy ? 'Attaching…' : 'Attach'}
          </button>
        )}
      </td>
    </tr>
  );
}

/** For a container not in the list (stopped, on a filter), or to give its lines another service name. */
function AttachByName({ hostId, onAttached }: { hostId: number; onAttached: () => void }) {
  const client = useClient();
  const [container, setContainer] = useState('');
  const [service, setService] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await client.request('logs.attach', {
        containerId: container.trim(),
        hostId,
        ...(service.trim() ? { serviceName: service.trim() } : {}),
      });
      useToasts.getState().push('info', answer.message || `Attached ${answer.serviceName}`);
      setContainer('');
      setService('');
      onAttached();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form attach-form" onSubmit={(e) => void submit(e)} data-testid="attach-form">
      <h3 className="card-title">Attach by name or id</h3>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Container</span>
          <input className="input mono" value={container} required placeholder="web-1 or 3f2a9c…" onChange={(e) => setContainer(e.target.value)} data-testid="attach-container" />
        </label>
        <label className="field">
          <span className="field-label">Service name (optional)</span>
          <input className="input" value={service} placeholder="the container's name" onChange={(e) => setService(e.target.value)} data-testid="attach-service" />
        </label>
      </div>
      <FormFooter error={error} errorTestId="attach-error" busy={busy} disabled={!container.trim()} label="Attach" busyLabel="Attaching…" submitTestId="attach-submit" />
    </form>
  );
}
