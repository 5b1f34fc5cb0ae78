import { useState, type ReactNode } from 'react';
import { dockerRunCommand } from '../../../../shared/docker-run';
import { secretMask } from '../../../../shared/job-status';
import type { RunSpec } from '../../../../shared/model';
import { formatArgv, formatMemory } from '../../lib/spec-format';

const pullLabels = { always: 'Always', 'if-missing': 'If missing', never: 'Never' } as const;

/**
 * What the job runs with: its template resolved with the run's overrides, as the server stored
 * it. Secret values never reach the renderer; each secret key shows the mask. Folded to one line
 * (image and command) until opened, so the log keeps the room.
 */
export function JobSpec({ spec }: { spec: RunSpec }) {
  const [open, setOpen] = useState(false);
  const env = Object.entries(spec.env);
  const secrets = Object.keys(spec.secretEnv);
  const labels = Object.entries(spec.labels);
  return (
    <details className="card job-spec" data-testid="job-spec" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="job-spec-summary" data-testid="job-spec-toggle">
        <span className="job-spec-title">Run spec</span>
        <span className="mono job-spec-brief">
          {spec.image}
          {spec.command.length > 0 && ` ${formatArgv(spec.command)}`}
        </span>
      </summary>
      <dl className="spec-grid">
        <SpecRow label="Image" field="image" mono>
          {spec.image}
        </SpecRow>
        <SpecRow label="Command" field="command" mono>
          {spec.command.length > 0 ? formatArgv(spec.command) : <Default>the image’s CMD</Default>}
        </SpecRow>
        <SpecRow label="Entrypoint" field="entrypoint" mono>
          {spec.entrypoint !== null ? formatArgv(spec.entrypoint) : <Default>the image’s ENTRYPOINT</Default>}
        </SpecRow>
        <SpecRow label="Working dir" field="workingDir" mono>
          {spec.workingDir ?? <Default>the image’s</Default>}
        </SpecRow>
        <SpecRow label="User" field="user" mono>
          {spec.user ?? <Default>the image’s</Default>}
        </SpecRow>
        <SpecRow label="Environment" field="env" mono>
          {env.length + secrets.length === 0 ? (
            <Default>none</Default>
          ) : (
            <ul className="kv-list">
              {env.map(([key, value]) => (
                <li key={key}>
                  <span className="kv-key">{key}</span> = {value}
                </li>
              ))}
              {secrets.map((key) => (
                <li key={key} data-testid="job-spec-secret" data-key={key}>
                  <span className="kv-key">{key}</span> = <span className="secret-mask">{secretMask}</span>{' '}
                  <span className="badge badge-secret">secret</span>
                </li>
              ))}
            </ul>
          )}
        </SpecRow>
        <SpecRow label="Limits" field="limits">
          <span className="limits">
            <span>CPUs {spec.cpus ?? <Default>no limit</Default>}</span>
            <span>Memory {spec.memoryBytes !== null ? formatMemory(spec.memoryBytes) : <Default>no limit</Default>}</span>
            <span>PIDs {spec.pidsLimit ?? <Default>no limit</Default>}</span>
          </span>
        </SpecRow>
        <SpecRow label="Timeout" field="timeout">
          {spec.timeoutSeconds !== null ? `${spec.timeoutSeconds.toLocaleString()} s` : <Default>none</Default>}
        </SpecRow>
        <SpecRow label="Network" field="network" mono>
          {spec.network ?? <Default>Docker’s default</Default>}
        </SpecRow>
        <SpecRow label="Volumes" field="volumes" mono>
          {spec.volumes.length === 0 ? (
            <Default>none</Default>
          ) : (
            <ul className="kv-list">
              {spec.volumes.map((v) => (
                <li key={v}>{v}</li>
              ))}
            </ul>
          )}
        </SpecRow>
        <SpecRow label="Labels" field="labels" mono>
          {labels.length === 0 ? (
            <Default>none</Default>
          ) : (
            <ul className="kv-list">
              {labels.map(([key, value]) => (
                <li key={key}>
                  <span className="kv-key">{key}</span> = {value}
                </li>
              ))}
            </ul>
          )}
        </SpecRow>
        <SpecRow label="Pull" field="pullPolicy">
          {pullLabels[spec.pullPolicy]}
        </SpecRow>
        <SpecRow label="As docker run" field="docker-run" mono>
          <code className="docker-run-command">{open ? dockerRunCommand(spec) : ''}</code>
        </SpecRow>
      </dl>
    </details>
  );
}

function SpecRow({ label, field, mono, children }: { label: string; field: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className="spec-row">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={`job-spec-${field}`}>
        {children}
      </dd>
    </div>
  );
}

function Default({ children }: { children: ReactNode }) {
  return <span className="muted spec-default">{children}</span>;
}
