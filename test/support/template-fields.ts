import type { TemplateFields } from '../../src/shared/contract';

/** The fields of a template with nothing but a name and an image set, as the contract's defaults fill them. */
export function plainTemplate(name: string, image = 'busybox'): TemplateFields {
  return {
    name,
    image,
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
    pullPolicy: 'if-missing' as const,
    hostId: null,
    timeoutSeconds: null,
    retry: null,
    schedule: null,
    logRetention: {},
  };
}
