import type { RunSpec } from '../../src/shared/model';

/** A run spec with nothing set but an image and a command, and `over` on top. */
export function runSpec(over: Partial<RunSpec> = {}): RunSpec {
  return {
    image: 'busybox',
    command: [],
    entrypoint: null,
    workingDir: null,
    user: null,
    env: {},
    secretEnv: {},
    cpus: null,
    memoryBytes: null,
    pidsLimit: null,
    network: null,
    volumes: [],
    labels: {},
    pullPolicy: 'if-missing',
    timeoutSeconds: null,
    ...over,
  };
}
