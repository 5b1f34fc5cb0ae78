// What scripts/test-env.sh found (Docker engine, test image, Chromium), and the helpers that
// turn a missing piece into a skip on a developer machine but a failure under CI.
import Docker from 'dockerode';
import type { Browser } from 'playwright-core';
import { describe, inject, it } from 'vitest';

export interface TestEnv {
  docker: {
    /** DOCKER_HOST-style URL of the engine that answered: unix:///path or tcp://host:port. */
    host: string;
    /** Plain-TCP endpoint of the same engine, when it listens on one. */
    tcp: string | null;
    image: string;
    serverVersion: string;
  } | null;
  dockerProblem: string | null;
  chromium: string | null;
  chromiumProblem: string | null;
  /** A second dockerd that only takes TLS clients with a certificate of its CA (--tlsverify). */
  tlsEngine: {
    /** tcp://127.0.0.1:2376 */
    host: string;
    /** ca.pem, cert.pem and key.pem of a client the engine accepts. */
    certDir: string;
    /** The CA's key, should a test need another certificate from the same CA. */
    caKey: string;
  } | null;
  tlsEngineProblem: string | null;
  /** An sshd on a loopback port; root may log in with `key`, and runs the docker CLI against the main engine. */
  sshHost: {
    /** ssh://root@127.0.0.1:2222 */
    address: string;
    /** Private key (no passphrase) that sshd accepts for root. */
    key: string;
    hostPublicKey: string;
    /** A known_hosts file listing the sshd's host key. */
    knownHosts: string;
  } | null;
  sshProblem: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testEnv: TestEnv;
  }
}

export function testEnv(): TestEnv {
  return inject('testEnv');
}

/** True on CI, where a missing environment must fail tests instead of skipping them. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

const announced = new Set<string>();

function describeUnavailable(name: string, reason: string): void {
  if (isCi()) {
    describe(name, () => {
      it('has the test environment it needs', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  if (!announced.has(reason)) {
    announced.add(reason);
    console.warn(`[berth tests] skipping: ${reason}`);
  }
  // The suite body is not run: it may touch the missing environment while collecting.
  describe.skip(name, () => {
    it(reason, () => {});
  });
}

function dockerReason(env: TestEnv): string {
  return `Docker is not available: ${env.dockerProblem ?? 'no reason recorded'}`;
}

/** A suite that needs the Docker engine and the test image. */
export function describeWithDocker(name: string, fn: () => void): void {
  const env = testEnv();
  if (env.docker) describe(name, fn);
  else describeUnavailable(name, dockerReason(env));
}

/** A suite that drives the UI in Chromium; it also needs Docker, since the UI runs jobs. */
export function describeWithBrowser(name: string, fn: () => void): void {
  const env = testEnv();
  if (!env.docker) describeUnavailable(name, dockerReason(env));
  else if (!env.chromium) {
    describeUnavailable(name, `Chromium is not available: ${env.chromiumProblem ?? 'no reason recorded'}`);
  } else describe(name, fn);
}

/** A suite that needs the TLS engine (and the main engine, for the test image and cleanup). */
export function describeWithTlsEngine(name: string, fn: () => void): void {
  const env = testEnv();
  if (!env.docker) describeUnavailable(name, dockerReason(env));
  else if (!env.tlsEngine) describeUnavailable(name, `the TLS test engine is not available: ${env.tlsEngineProblem ?? 'no reason recorded'}`);
  else describe(name, fn);
}

/** A suite that needs the test sshd in front of the main engine. */
export function describeWithSshHost(name: string, fn: () => void): void {
  const env = testEnv();
  if (!env.docker) describeUnavailable(name, dockerReason(env));
  else if (!env.sshHost) describeUnavailable(name, `the SSH test host is not available: ${env.sshProblem ?? 'no reason recorded'}`);
  else describe(name, fn);
}

/** The engine's plain-TCP URL; null (the caller skips) unless under CI, where it throws. */
export function dockerTcpOrFail(): string | null {
  const env = testEnv();
  if (env.docker?.tcp) return env.docker.tcp;
  if (isCi()) {
    const why = env.docker
      ? `the engine at ${env.docker.host} does not listen on tcp://127.0.0.1:2375`
      : dockerReason(env);
    throw new Error(`Docker TCP endpoint not available: ${why}`);
  }
  return null;
}

/** dockerode options for a DOCKER_HOST-style URL (unix:// and plain tcp:// only). */
export function dockerOptions(url: string): Docker.DockerOptions {
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath) throw new Error(`no socket path in Docker URL ${url}`);
    return { socketPath };
  }
  if (url.startsWith('tcp://')) {
    const { hostname, port } = new URL(url);
    // The WHATWG parser keeps the brackets of an IPv6 literal; http.request wants them off.
    return { protocol: 'http', host: hostname.replace(/^\[(.*)\]$/, '$1'), port: port ? Number(port) : 2375 };
  }
  throw new Error(`unsupported Docker URL ${url} (expected unix:// or tcp://)`);
}

/** A dockerode client for the test engine; throws when there is none. */
export function testDocker(): Docker {
  const env = testEnv();
  if (!env.docker) throw new Error(dockerReason(env));
  return new Docker(dockerOptions(env.docker.host));
}

/** The test image's name, e.g. for createContainer({ Image }). */
export function testImage(): string {
  const env = testEnv();
  if (!env.docker) throw new Error(dockerReason(env));
  return env.docker.image;
}

export async function launchChromium(): Promise<Browser> {
  const env = testEnv();
  if (!env.chromium) {
    throw new Error(`Chromium is not available: ${env.chromiumProblem ?? 'no reason recorded'}`);
  }
  // Loaded lazily: only the e2e tests pay for importing playwright.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: env.chromium,
    headless: true,
    // No sandbox because tests run as root in CI; the rest keeps Chromium off the network
    // and quiet, so runs are offline-safe and deterministic.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
