import { useState, type FormEvent } from 'react';
import { useClient } from '../../client/client-context';
import { useHosts } from '../../state/hosts-store';
import { useToasts } from '../../state/toasts-store';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormFooter } from '../form-footer';

type Kind = 'socket' | 'tcp' | 'ssh';

const placeholders: Record<Kind, string> = {
  socket: '/var/run/docker.sock',
  tcp: 'build-server:2376',
  ssh: 'deploy@build-server:22',
};

/** Adds a host reached over a socket, TCP (with TLS files on this machine) or SSH (keys from the ssh-agent). */
export function HostAddForm({ onDone }: { onDone(): void }) {
  const client = useClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('tcp');
  const [address, setAddress] = useState('');
  const [tls, setTls] = useState(false);
  const [files, setFiles] = useState({ ca: '', cert: '', key: '' });
  const { error, busy: saving, run } = useFormSubmit('Adding the host failed');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const host = await client.request('hosts.add', { name, kind, address, ...(kind === 'tcp' && tls && { tls: files }) });
      useHosts.getState().upsert(host);
      useToasts.getState().push(host.status.state === 'down' ? 'error' : 'info', `Host “${host.name}” added${host.status.state === 'down' ? `, but it is down: ${host.status.error ?? ''}` : ''}`);
      onDone();
    });
  };

  const file = (key: keyof typeof files, label: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input mono"
        value={files[key]}
        placeholder={`/path/to/${key}.pem`}
        spellCheck={false}
        data-testid={`host-tls-${key}`}
        onChange={(e) => setFiles((f) => ({ ...f, [key]: e.target.value }))}
      />
    </label>
  );

  return (
    <form className="card form" data-testid="host-add-form" onSubmit={submit} noValidate>
      <h2 className="card-title">Add a host</h2>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="build-server" data-testid="host-name" />
        </label>
        <label className="field">
          <span className="field-label">Connection</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="host-kind">
            <option value="socket">Unix socket</option>
            <option value="tcp">TCP</option>
            <option value="ssh">SSH</option>
          </select>
        </label>
        <label className="field field-wide">
          <span className="field-label">Address</span>
          <input
            className="input mono"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={placeholders[kind]}
            spellCheck={false}
            autoCapitalize="off"
            data-testid="host-address"
          />
          {kind === 'ssh' && <span className="field-help">Berth signs in with the keys of your ssh-agent (SSH_AUTH_SOCK).</span>}
        </label>
        {kind === 'tcp' && (
          <label className="check field-wide">
            <input type="checkbox" checked={tls} onChange={(e) => setTls(e.target.checked)} data-testid="host-tls" />
            TLS (verify the engine and present a client certificate)
          </label>
        )}
        {kind === 'tcp' && tls && (
          <>
            {file('ca', 'CA certificate')}
            {file('cert', 'Client certificate')}
            {file('key', 'Client key')}
          </>
        )}
      </div>
      <FormFooter error={error} errorTestId="host-add-error" onCancel={onDone} busy={saving} label="Add host" busyLabel="Connecting…" submitTestId="host-add-submit" />
    </form>
  );
}
