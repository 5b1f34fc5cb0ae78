/**
 * Docker over SSH, as the docker CLI does it: each HTTP connection is a `docker system
 * dial-stdio` command on the far side, whose stdin/stdout are the engine's socket. All of a
 * host's connections are channels of one SSH connection, opened on first use and again after it
 * drops, and idle channels are kept for the next request, so a job's many requests cost one
 * handshake and a few remote commands rather than one of each per request.
 *
 * Why not dockerode's own `protocol: 'ssh'`: docker-modem 5 makes a new SSH connection for every
 * request, and concurrent requests carrying an abort signal (which Berth's checks and runs all
 * use) end in "socket hang up". Given as an http.Agent, ours sits below dockerode unchanged.
 *
 * Authentication is the SSH agent's (SSH_AUTH_SOCK) only, as for the docker CLI with no
 * passwords; host keys are checked by the caller's `hostVerifier` (see ssh-known-hosts.ts).
 */
import { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

type Callback = (err: Error | null, socket?: Duplex) => void;

export class SshDockerAgent extends Agent {
  private client: Promise<Client> | null = null;
  private closed = false;

  /** `verifyHostKey` answers why a host key must be refused, or null to accept it. */
  constructor(
    readonly config: ConnectConfig,
    private readonly verifyHostKey: (key: Buffer) => string | null = () => null,
  ) {
    // Each channel starts a docker CLI on the far side (a second or more on a busy machine), so
    // idle ones are kept for the next requests; one that closes (its SSH connection dropped, the
    // engine went away) leaves the pool by itself.
    super({ keepAlive: true, maxFreeSockets: 4 });
  }

  override createConnection(_options: unknown, callback: Callback): undefined {
    this.connection()
      .then((client) => this.dial(client))
      .then(
        (channel) => callback(null, channel),
        (err: Error) => callback(err),
      );
    return undefined;
  }

  /** Closes the SSH connection; requests after this fail. */
  override destroy(): void {
    this.closed = true;
    void this.client?.then((c) => c.end(), () => undefined);
    this.client = null;
    super.destroy();
  }

  private connection(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the SSH connection was closed'));
    if (this.client) return this.client;
    const pending = new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let refused: string | null = null;
      client.once('ready', () => resolve(client));
      // Before ready this fails the connection; after, it is followed by 'close'.
      client.on('error', (err) => {
        if (this.client === pending) this.client = null;
        // ssh2 only says "Host denied (verification failed)".
        reject(refused ? new Error(refused) : err);
      });
      client.once('close', () => {
        if (this.client === pending) this.client = null;
        reject(new Error('the SSH connection closed before it was ready'));
      });
      client.connect({
        ...this.config,
        hostVerifier: (key: Buffer) => {
          refused = this.verifyHostKey(key);
          return refused === null;
        },
      });
    });
    this.client = pending;
    return pending;
  }

  private dial(client: Client): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      client.exec('docker system dial-stdio', (err, channel) => {
        if (err) {
          reject(err);
          return;
        }
        resolve(asSocket(channel));
      });
    });
  }
}

/**
 * Node's HTTP client treats its connection as a net.Socket; a channel lacks a few of its knobs.
 * When the far side fails (no docker CLI, no engine), what it printed becomes the error.
 */
function asSocket(channel: ClientChannel): Duplex {
  const socket = channel as ClientChannel & Record<string, unknown>;
  for (const name of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
    if (typeof socket[name] !== 'function') socket[name] = () => socket;
  }
  let stderr = '';
  channel.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString('utf8');
  });
  channel.once('exit', (code: number | null) => {
    if (code !== 0 && code !== null) {
      const why = stderr.trim().split('\n').slice(-2).join(' ') || 'no output';
      channel.emit('error', new Error(`\`docker system dial-stdio\` failed on the SSH host (exit ${code}): ${why}`));
      channel.destroy();
    }
  });
  return channel;
}
