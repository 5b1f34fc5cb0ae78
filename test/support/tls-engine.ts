// The TLS test engine (scripts/test-env.sh starts it): a dockerode client for it, and client
// certificates it must refuse, made with openssl like the good ones.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { testEnv } from './test-env';

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export function tlsEngine(): { host: string; address: string; files: TlsFiles } {
  const engine = testEnv().tlsEngine;
  if (!engine) throw new Error(`the TLS test engine is not available: ${testEnv().tlsEngineProblem ?? 'no reason recorded'}`);
  return {
    host: engine.host,
    address: engine.host.replace(/^tcp:\/\//, ''),
    files: { ca: join(engine.certDir, 'ca.pem'), cert: join(engine.certDir, 'cert.pem'), key: join(engine.certDir, 'key.pem') },
  };
}

/** A client of the TLS engine with the good certificate, for checks and cleanup. */
export function tlsEngineDocker(): Docker {
  const { host, files } = tlsEngine();
  const { hostname, port } = new URL(host);
  return new Docker({
    protocol: 'https',
    host: hostname,
    port: Number(port),
    ca: readFileSync(files.ca),
    cert: readFileSync(files.cert),
    key: readFileSync(files.key),
  });
}

/**
 * A client certificate from a CA of its own (which the engine does not trust), with the engine's
 * real CA to check the server: the engine, not Berth, refuses this client.
 */
export function foreignClientCert(): { files: TlsFiles; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-foreign-ca-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Not the Berth test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=stranger');
  openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-out', 'cert.pem');
  return {
    files: { ca: tlsEngine().files.ca, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
