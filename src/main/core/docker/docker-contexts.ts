/**
 * The Docker CLI's contexts (what `docker context ls` lists), read straight from its store so no
 * `docker` binary is needed:
 *
 *   $DOCKER_CONFIG (default ~/.docker)/contexts/
 *     meta/<sha256 of the name>/meta.json       {Name, Metadata.Description, Endpoints.docker.{Host, SkipTLSVerify}}
 *     tls/<sha256 of the name>/docker/{ca,cert,key}.pem
 *
 * A context that cannot be read is left out rather than failing the whole list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StoredDockerContext {
  name: string;
  description: string;
  /** DOCKER_HOST-style URL: unix://, tcp://, ssh://. */
  endpoint: string;
  /** The context's TLS files, when it has all three. */
  tls: { ca: string; cert: string; key: string } | null;
  /** Some TLS files but not all three (Berth needs a CA and a client certificate and key). */
  tlsIncomplete: boolean;
  skipTlsVerify: boolean;
}

interface MetaFile {
  Name?: unknown;
  Metadata?: { Description?: unknown } | null;
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } | null } | null;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG?.trim() || join(env.HOME?.trim() || homedir(), '.docker');
}

/** Every readable context with a Docker endpoint, by name. */
export function readDockerContexts(env: NodeJS.ProcessEnv = process.env): StoredDockerContext[] {
  const root = join(dockerConfigDir(env), 'contexts');
  const contexts: StoredDockerContext[] = [];
  for (const dir of listDir(join(root, 'meta'))) {
    let meta: MetaFile;
    try {
      meta = JSON.parse(readFileSync(join(root, 'meta', dir, 'meta.json'), 'utf8')) as MetaFile;
    } catch {
      continue;
    }
    const docker = meta.Endpoints?.docker;
    if (typeof meta.Name !== 'string' || !meta.Name || typeof docker?.Host !== 'string' || !docker.Host) continue;
    const tlsDir = join(root, 'tls', dir, 'docker');
    const files = { ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem') };
    const present = Object.values(files).filter((f) => existsSync(f)).length;
    const description = meta.Metadata?.Description;
    contexts.push({
      name: meta.Name,
      description: typeof description === 'string' ? description : '',
      endpoint: docker.Host,
      tls: present === 3 ? files : null,
      tlsIncomplete: present > 0 && present < 3,
      skipTlsVerify: docker.SkipTLSVerify === true,
    });
  }
  return contexts.sort((a, b) => a.name.localeCompare(b.name));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
