// Benchmarks need what the integration tests need: scripts/test-env.sh provides the engine and
// the test image (installing and starting them on a fresh Debian machine).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';

export interface BenchEnv {
  docker: Docker;
  dockerHost: string;
  image: string;
}

export function benchEnv(): BenchEnv {
  const root = resolve(__dirname, '..');
  execFileSync('bash', [join(root, 'scripts/test-env.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const env = JSON.parse(readFileSync(join(root, '.test-env/env.json'), 'utf8')) as {
    docker: { host: string; image: string } | null;
    dockerProblem: string | null;
  };
  if (!env.docker) throw new Error(`benchmarks need a Docker engine: ${env.dockerProblem}`);
  const host = env.docker.host;
  const docker = new Docker(host.startsWith('unix://') ? { socketPath: host.slice('unix://'.length) } : { host: new URL(host).hostname, port: Number(new URL(host).port) });
  return { docker, dockerHost: host, image: env.docker.image };
}
