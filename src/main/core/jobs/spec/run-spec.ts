/**
 * From a template and a run's overrides to what a job runs with (its `spec`, stored on the job),
 * and from that spec to Docker's create request. Secret values join only at the last step.
 */
import type Docker from 'dockerode';
import { secretMask, type RunSpec } from '../../../../shared/model';
import type { StoredTemplate } from '../../store/template-repository';

export interface RunOverrides {
  /** Added to the template's env; a key also in secretEnv replaces the secret for this run. */
  env?: Record<string, string>;
  command?: string[];
  timeoutSeconds?: number;
}

export function resolveRunSpec(template: StoredTemplate, overrides: RunOverrides = {}): RunSpec {
  const env = { ...template.env, ...overrides.env };
  const secretEnv = Object.fromEntries(Object.keys(template.secretEnv).filter((k) => !(k in env)).map((k) => [k, secretMask] as const));
  return {
    image: template.image,
    command: overrides.command ?? template.command,
    entrypoint: template.entrypoint,
    workingDir: template.workingDir,
    user: template.user,
    env,
    secretEnv,
    cpus: template.cpus,
    memoryBytes: template.memoryBytes,
    pidsLimit: template.pidsLimit,
    network: template.network,
    volumes: template.volumes,
    labels: template.labels,
    pullPolicy: template.pullPolicy,
    timeoutSeconds: overrides.timeoutSeconds ?? template.timeoutSeconds,
  };
}

/** Docker's volume syntax: a bind when the source is a path, a named volume otherwise. */
function mounts(volumes: readonly string[]): Pick<Docker.HostConfig, 'Binds'> {
  return volumes.length > 0 ? { Binds: [...volumes] } : {};
}

/**
 * The create request for a job's container. `secrets` holds the values of `spec.secretEnv`'s
 * keys; a key without a value is an error the caller reports (the template lost it).
 */
export function containerCreateOptions(
  spec: RunSpec,
  secrets: Readonly<Record<string, string>>,
  extra: { name: string; labels: Record<string, string> },
): Docker.ContainerCreateOptions {
  const missing = Object.keys(spec.secretEnv).filter((k) => !(k in secrets));
  if (missing.length > 0) throw new Error(`secret ${missing.join(', ')} has no value any more: set it again on the template`);
  const env = { ...spec.env, ...Object.fromEntries(Object.keys(spec.secretEnv).map((k) => [k, secrets[k]!] as const)) };
  return {
    name: extra.name,
    Image: spec.image,
    Cmd: spec.command.length > 0 ? spec.command : undefined,
    Entrypoint: spec.entrypoint ?? undefined,
    WorkingDir: spec.workingDir ?? undefined,
    User: spec.user ?? undefined,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    // The template's labels first: Berth's own cannot be overridden.
    Labels: { ...spec.labels, ...extra.labels },
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      // The logs API (for resuming after a break) needs a driver it can read back; json-file
      // without rotation keeps every line until the container is removed.
      LogConfig: { Type: 'json-file', Config: {} },
      ...(spec.cpus !== null ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
      ...(spec.memoryBytes !== null ? { Memory: spec.memoryBytes } : {}),
      ...(spec.pidsLimit !== null ? { PidsLimit: spec.pidsLimit } : {}),
      ...(spec.network !== null ? { NetworkMode: spec.network } : {}),
      ...mounts(spec.volumes),
    },
  };
}
