/**
 * How to reach each kind of host with dockerode: the local engine (DOCKER_HOST, else the platform
 * socket), an explicit socket, TCP (with TLS files when given) or SSH (through the SSH agent).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type Docker from 'dockerode';
import type { HostRecord } from '../store/host-repository';
import { checkHostKey, knownHostsName, readKnownHosts } from './ssh-known-hosts';
import { SshDockerAgent } from './ssh-transport';

export const platformSocket = (platform: NodeJS.Platform = process.platform): string =>
  platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';

export interface ParsedAddress {
  kind: 'socket' | 'tcp' | 'ssh';
  socketPath?: string;
  host?: string;
  port?: number;
  username?: string;
}

/** Parses DOCKER_HOST-style URLs and the shorter forms users type ("host:2375", "pi@box"). */
export function parseAddress(kind: 'socket' | 'tcp' | 'ssh', address: string): ParsedAddress {
  const a = address.trim();
  if (kind === 'socket') {
    const path = a.replace(/^unix:\/\//, '').replace(/^npipe:\/\//, '');
    if (!path) throw new Error('a socket host needs a path, e.g. /var/run/docker.sock');
    return { kind, socketPath: path };
  }
  const scheme = kind === 'tcp' ? /^(tcp|https?):\/\//i : /^ssh:\/\//i;
  const rest = a.replace(scheme, '').replace(/\/+$/, '');
  if (/^[a-z]+:\/\//i.test(rest)) throw new Error(`'${address}' is not a ${kind} address`);
  let username: string | undefined;
  let hostPort = rest;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (kind === 'tcp') throw new Error('a TCP address cannot contain a user name');
    username = rest.slice(0, at);
    hostPort = rest.slice(at + 1);
  }
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!m || !m[1]) throw new Error(`'${address}' is not a valid ${kind} address: expected host${kind === 'ssh' ? ' or user@host' : ''}[:port]`);
  const port = m[2] ? Number(m[2]) : kind === 'ssh' ? 22 : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`port ${port} is out of range`);
  if (kind === 'tcp' && port === undefined) throw new Error(`'${address}' needs a port, e.g. ${hostPort}:2376`);
  return { kind, host: m[1].replace(/^\[|\]$/g, ''), port, username };
}

/** Canonical text for an address, as stored and shown. */
export function formatAddress(p: ParsedAddress): string {
  if (p.kind === 'socket') return p.socketPath!;
  const host = p.host!.includes(':') ? `[${p.host}]` : p.host!;
  return `${p.kind}://${p.username ? `${p.username}@` : ''}${host}:${p.port}`;
}

/** What "local" means right now: DOCKER_HOST if set, else the platform socket. */
export function localAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || `unix://${platformSocket()}`;
}

export function dockerOptions(host: HostRecord, env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  if (host.kind === 'local') return localOptions(env);
  const p = parseAddress(host.kind, host.address);
  if (p.kind === 'socket') return { socketPath: p.socketPath };
  if (p.kind === 'ssh') return sshOptions(p, env);
  if (host.tls) {
    return {
      protocol: 'https',
      host: p.host,
      port: p.port,
      ca: readFileSync(host.tls.ca),
      cert: readFileSync(host.tls.cert),
      key: readFileSync(host.tls.key),
    };
  }
  return { protocol: 'http', host: p.host, port: p.port };
}

/**
 * SSH: plain HTTP over `docker system dial-stdio` channels (ssh-transport.ts), keys from the
 * agent at SSH_AUTH_SOCK, the user name of this process when the address names none (as ssh
 * does), host keys checked against known_hosts (ssh-known-hosts.ts).
 */
function sshOptions(p: ParsedAddress, env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const host = p.host!;
  const port = p.port ?? 22;
  const agent = new SshDockerAgent(
    {
      host,
      port,
      username: p.username ?? (env.USER?.trim() || userInfo().username),
      agent: env.SSH_AUTH_SOCK || undefined,
      readyTimeout: 15_000,
      // A dead connection is noticed within a minute; the next request then reconnects.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
    },
    (key) => checkHostKey(readKnownHosts(env), knownHostsName(host, port), key),
  );
  // docker-modem takes an http.Agent; its type definitions do not say so.
  return { protocol: 'http', host, port, agent } as Docker.DockerOptions;
}

/** Lets go of a client's own connections (an SSH host's SSH connection). */
export function closeDocker(docker: Docker): void {
  (docker.modem as { agent?: { destroy(): void } }).agent?.destroy();
}

function localOptions(env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const url = localAddress(env);
  if (/^(unix|npipe):\/\//.test(url)) return { socketPath: url.replace(/^(unix|npipe):\/\//, '') };
  if (/^ssh:\/\//.test(url)) return sshOptions(parseAddress('ssh', url), env);
  const p = parseAddress('tcp', url);
  const certDir = env.DOCKER_CERT_PATH;
  if (env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0' && certDir) {
    return {
      protocol: 'https',
      host: p.host,
      port: p.port,
      ca: readFileSync(join(certDir, 'ca.pem')),
      cert: readFileSync(join(certDir, 'cert.pem')),
      key: readFileSync(join(certDir, 'key.pem')),
    };
  }
  return { protocol: 'http', host: p.host, port: p.port };
}
