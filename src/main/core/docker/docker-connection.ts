/**
 * How to reach each kind of host with dockerode: the local engine (DOCKER_HOST, else the platform
 * socket), an explicit socket, TCP (with TLS files when given) or SSH (through the SSH agent).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { HostRecord } from '../store/host-repository';

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
  if (p.kind === 'ssh') {
    return {
      protocol: 'ssh',
      host: p.host,
      port: p.port,
      username: p.username,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    } as Docker.DockerOptions;
  }
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

function localOptions(env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const url = localAddress(env);
  if (/^(unix|npipe):\/\//.test(url)) return { socketPath: url.replace(/^(unix|npipe):\/\//, '') };
  if (/^ssh:\/\//.test(url)) {
    const p = parseAddress('ssh', url);
    return { protocol: 'ssh', host: p.host, port: p.port, username: p.username, sshOptions: { agent: env.SSH_AUTH_SOCK } } as Docker.DockerOptions;
  }
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
