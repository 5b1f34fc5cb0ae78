import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/support/temp-store';
import { EventBus } from '../event-bus';
import { HostRepository } from '../store/host-repository';
import { dockerConfigDir, readDockerContexts } from './docker-contexts';
import { HostRegistry } from './host-registry';

/** Writes a context the way the docker CLI does: meta.json under the sha256 of its name, TLS files beside. */
function writeContext(config: string, name: string, host: string, opts: { description?: string; tls?: string[]; skipTls?: boolean } = {}): void {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = join(config, 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: { Description: opts.description ?? '' },
      Endpoints: { docker: { Host: host, SkipTLSVerify: opts.skipTls ?? false } },
    }),
  );
  if (opts.tls) {
    const dir = join(config, 'contexts', 'tls', id, 'docker');
    mkdirSync(dir, { recursive: true });
    for (const f of opts.tls) writeFileSync(join(dir, f), `-----BEGIN ${f}-----\n`);
  }
}

describe('Docker CLI contexts', () => {
  let config: string;
  let store: TempStore;
  let registry: HostRegistry;

  beforeEach(() => {
    config = mkdtempSync(join(tmpdir(), 'berth-docker-config-'));
    store = tempStore();
    // A refresh that can never answer stands in for unreachable hosts: this file tests what is stored.
    registry = new HostRegistry(new HostRepository(store.db), new EventBus(), {
      env: { DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///var/run/docker.sock' },
      checkTimeoutMs: 200,
    });
  });
  afterEach(() => {
    registry.stop();
    store.dispose();
    rmSync(config, { recursive: true, force: true });
  });

  it('finds the config directory in DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/cfg' })).toBe('/cfg');
    expect(dockerConfigDir({ HOME: '/home/me' })).toBe('/home/me/.docker');
  });

  it('reads each context’s name, description, endpoint and TLS files, sorted by name, skipping broken ones', () => {
    writeContext(config, 'prod', 'tcp://prod.example:2376', { description: 'the prod box', tls: ['ca.pem', 'cert.pem', 'key.pem'] });
    writeContext(config, 'pi', 'ssh://pi@raspberry');
    writeContext(config, 'half', 'tcp://half:2376', { tls: ['ca.pem'] });
    mkdirSync(join(config, 'contexts', 'meta', 'garbage'), { recursive: true });
    writeFileSync(join(config, 'contexts', 'meta', 'garbage', 'meta.json'), '{not json');
    const contexts = readDockerContexts({ DOCKER_CONFIG: config });
    expect(contexts.map((c) => c.name)).toEqual(['half', 'pi', 'prod']);
    const tlsDir = join(config, 'contexts', 'tls', createHash('sha256').update('prod').digest('hex'), 'docker');
    expect(contexts[2]).toEqual({
      name: 'prod',
      description: 'the prod box',
      endpoint: 'tcp://prod.example:2376',
      tls: { ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem') },
      tlsIncomplete: false,
      skipTlsVerify: false,
    });
    expect(contexts[0]).toMatchObject({ tls: null, tlsIncomplete: true });
    expect(contexts[1]).toMatchObject({ endpoint: 'ssh://pi@raspberry', tls: null, tlsIncomplete: false });
  });

  it('lists nothing when there is no contexts directory', () => {
    expect(readDockerContexts({ DOCKER_CONFIG: join(config, 'none') })).toEqual([]);
    expect(registry.contexts()).toEqual([]);
  });

  it('imports socket, TCP with TLS and SSH contexts as hosts, each answered on its own, and marks them imported', async () => {
    writeContext(config, 'sock', 'unix:///run/other/docker.sock');
    writeContext(config, 'prod', 'tcp://127.0.0.1:1', { tls: ['ca.pem', 'cert.pem', 'key.pem'] });
    writeContext(config, 'pi', 'ssh://pi@127.0.0.1:1');
    writeContext(config, 'insecure', 'tcp://127.0.0.1:2', { skipTls: true });
    writeContext(config, 'local-too', 'unix:///var/run/docker.sock');

    expect(registry.contexts().map((c) => [c.name, c.tls, c.importedAs])).toEqual([
      ['insecure', false, null],
      // The local host already reaches this endpoint.
      ['local-too', false, 'local'],
      ['pi', false, null],
      ['prod', true, null],
      ['sock', false, null],
    ]);

    const results = await registry.import(['sock', 'prod', 'pi', 'insecure', 'nope', 'sock']);
    expect(results.map((r) => [r.name, r.host?.kind ?? null, r.host?.address ?? null, r.error])).toEqual([
      ['sock', 'socket', '/run/other/docker.sock', null],
      ['prod', 'tcp', 'tcp://127.0.0.1:1', null],
      ['pi', 'ssh', 'ssh://pi@127.0.0.1:1', null],
      ['insecure', null, null, "context 'insecure' skips TLS verification, which Berth does not do"],
      ['nope', null, null, "no Docker context named 'nope'"],
      ['sock', null, null, "a host named 'sock' already exists"],
    ]);
    const prod = new HostRepository(store.db).findByName('prod')!;
    expect(prod.tls?.ca).toMatch(/contexts\/tls\/[0-9a-f]{64}\/docker\/ca\.pem$/);
    expect(registry.get(prod.id).tls).toBe(true);
    // Unreachable, but added: down, with why.
    expect(results[1]!.host!.status.state).toBe('down');

    expect(registry.contexts().map((c) => [c.name, c.importedAs])).toEqual([
      ['insecure', null],
      ['local-too', 'local'],
      ['pi', 'pi'],
      ['prod', 'prod'],
      ['sock', 'sock'],
    ]);
  });
});
