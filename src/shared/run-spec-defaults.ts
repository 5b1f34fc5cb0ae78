import type { RunSpec } from './model';

/** A run spec with nothing set: the image's own command and entrypoint, no limits, no env. Fresh each call. */
export function emptyRunSpec(): RunSpec {
  return {
    image: '',
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
  };
}
