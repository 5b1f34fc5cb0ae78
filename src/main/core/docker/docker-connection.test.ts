import { describe, expect, it } from 'vitest';
import type { HostRecord } from '../store/host-repository';
import { dockerOptions, formatAddress, localAddress, parseAddress, platformSocket } from './docker-connection';
import { SshDockerAgent } from './ssh-transport';

const host = (kind: HostRecord['kind'], address = ''): HostRecord => ({
  id: 1,
  name: 'h',
  kind,
  address,
  tls: null,
  isDefault: kind === 'local',
  enabled: true,
  attachAll: false,
  concurrency: null,
});

describe('parseAddress / formatAddress', () => {
  it('reads socket paths with or without a scheme', () => {
    expect(parseAddress('socket', '/var/run/docker.sock')).toEqual({ kind: 'socket', socketPath: '/var/run/docker.sock' });
    expect(parseAddress('socket', ' unix:///run/user/1000/docker.sock ')).toEqual({
      kind: 'socket',
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(parseAddress('socket', 'npipe:////./pipe/docker_engine').socketPath).toBe('//./pipe/docker_engine');
    expect(formatAddress(parseAddress('socket', 'unix:///x.sock'))).toBe('/x.sock');
  });

  it('reads TCP addresses with the tcp, http or https scheme or none', () => {
    for (const a of ['127.0.0.1:2375', 'tcp://127.0.0.1:2375', 'http://127.0.0.1:2375/', 'HTTPS://127.0.0.1:2375']) {
      const p = parseAddress('tcp', a);
      expect(p, a).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
      expect(formatAddress(p), a).toBe('tcp://127.0.0.1:2375');
    }
    expect(formatAddress(parseAddress('tcp', 'docker.example:2376'))).toBe('tcp://docker.example:2376');
  });

  it('keeps IPv6 literals in brackets', () => {
    const p = parseAddress('tcp', 'tcp://[::1]:2375');
    expect(p).toMatchObject({ host: '::1', port: 2375 });
    expect(formatAddress(p)).toBe('tcp://[::1]:2375');
  });

  it('reads SSH addresses with an optional user and port 22 by default', () => {
    expect(parseAddress('ssh', 'pi@box')).toEqual({ kind: 'ssh', host: 'box', port: 22, username: 'pi' });
    expect(parseAddress('ssh', 'ssh://me@10.0.0.2:2222')).toEqual({ kind: 'ssh', host: '10.0.0.2', port: 2222, username: 'me' });
    expect(parseAddress('ssh', 'box').username).toBeUndefined();
    expect(formatAddress(parseAddress('ssh', 'pi@box'))).toBe('ssh://pi@box:22');
    expect(formatAddress(parseAddress('ssh', 'box:2200'))).toBe('ssh://box:2200');
  });

  it('round-trips every canonical form', () => {
    for (const [kind, a] of [
      ['tcp', 'tcp://h:1'],
      ['tcp', 'tcp://[fe80::1]:65535'],
      ['ssh', 'ssh://u@h:22'],
      ['socket', '/a/b.sock'],
    ] as const) {
      expect(formatAddress(parseAddress(kind, a))).toBe(a);
    }
  });

  it('rejects what it cannot use, saying why', () => {
    expect(() => parseAddress('socket', 'unix://')).toThrow(/needs a path/);
    expect(() => parseAddress('socket', '  ')).toThrow(/needs a path/);
    expect(() => parseAddress('tcp', '127.0.0.1')).toThrow(/needs a port/);
    expect(() => parseAddress('tcp', 'me@127.0.0.1:2375')).toThrow(/user name/);
    expect(() => parseAddress('tcp', 'ssh://127.0.0.1:22')).toThrow(/not a tcp address/);
    expect(() => parseAddress('ssh', 'tcp://box:22')).toThrow(/not a ssh address/);
    expect(() => parseAddress('tcp', 'h:0')).toThrow(/out of range/);
    expect(() => parseAddress('tcp', 'h:65536')).toThrow(/out of range/);
    expect(() => parseAddress('tcp', 'h:abc')).toThrow(/not a valid tcp address/);
    expect(() => parseAddress('tcp', ':2375')).toThrow(/not a valid tcp address/);
    expect(() => parseAddress('ssh', 'pi@')).toThrow(/not a valid ssh address/);
  });
});

describe('dockerOptions', () => {
  it('uses DOCKER_HOST for the local host: a unix socket', () => {
    expect(dockerOptions(host('local'), { DOCKER_HOST: 'unix:///tmp/d.sock' })).toEqual({ socketPath: '/tmp/d.sock' });
  });

  it('uses DOCKER_HOST for the local host: plain TCP', () => {
    expect(dockerOptions(host('local'), { DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toEqual({
      protocol: 'http',
      host: '127.0.0.1',
      port: 2375,
    });
  });

  it('falls back to the platform socket without DOCKER_HOST', () => {
    expect(localAddress({})).toBe(`unix://${platformSocket()}`);
    expect(localAddress({ DOCKER_HOST: '  ' })).toBe(`unix://${platformSocket()}`);
    expect(dockerOptions(host('local'), {})).toEqual({ socketPath: platformSocket() });
    expect(platformSocket('win32')).toBe('//./pipe/docker_engine');
    expect(platformSocket('linux')).toBe('/var/run/docker.sock');
  });

  it('builds options for explicit socket, TCP and SSH hosts from their stored address', () => {
    expect(dockerOptions(host('socket', '/x/docker.sock'), {})).toEqual({ socketPath: '/x/docker.sock' });
    expect(dockerOptions(host('tcp', 'tcp://10.1.2.3:2375'), {})).toEqual({ protocol: 'http', host: '10.1.2.3', port: 2375 });
    // SSH: plain HTTP through an agent whose connections are `docker system dial-stdio` channels.
    const ssh = dockerOptions(host('ssh', 'ssh://pi@box:22'), { SSH_AUTH_SOCK: '/agent' }) as { agent?: unknown };
    expect(ssh).toMatchObject({ protocol: 'http', host: 'box', port: 22 });
    expect(ssh.agent).toBeInstanceOf(SshDockerAgent);
    expect((ssh.agent as SshDockerAgent).config).toMatchObject({ host: 'box', port: 22, username: 'pi', agent: '/agent' });
    (ssh.agent as SshDockerAgent).destroy();
  });

  it('logs in to an SSH host as this user when its address names none, as ssh does', () => {
    const opts = dockerOptions(host('ssh', 'ssh://box:2200'), { USER: 'alice' }) as { agent: SshDockerAgent };
    expect(opts.agent.config).toMatchObject({ host: 'box', port: 2200, username: 'alice', agent: undefined });
    opts.agent.destroy();
  });

  it('ignores DOCKER_HOST for hosts that are not local', () => {
    expect(dockerOptions(host('tcp', 'tcp://10.1.2.3:2375'), { DOCKER_HOST: 'unix:///elsewhere.sock' })).toEqual({
      protocol: 'http',
      host: '10.1.2.3',
      port: 2375,
    });
  });
});
