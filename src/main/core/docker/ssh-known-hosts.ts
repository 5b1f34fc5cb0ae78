/**
 * Host keys of SSH hosts, checked against OpenSSH's known_hosts files (~/.ssh/known_hosts, then
 * /etc/ssh/ssh_known_hosts), so a host the user has already trusted with `ssh` cannot be
 * impersonated. The policy is OpenSSH's `StrictHostKeyChecking=accept-new` without writing:
 *
 *   listed with a key of the offered type → that key must match (else refused: it changed);
 *   listed as @revoked with the offered key → refused;
 *   not listed (or only with other key types) → accepted.
 *
 * Understood: plain and hashed (`|1|salt|hmac`) host names, `[host]:port`, `*` and `?`
 * wildcards, `!` negations, comments. @cert-authority lines are skipped (no certificates).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

interface KnownKey {
  marker: 'revoked' | null;
  type: string;
  key: Buffer;
}

/** The name known_hosts files use for a host and port. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type inside an SSH public key blob (its first string), e.g. "ssh-ed25519". */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

function patternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function hostsFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (patternMatches(pattern.slice(1), name)) return false;
    } else if (patternMatches(pattern, name)) matched = true;
  }
  return matched;
}

/** The keys a known_hosts text lists for `name`. */
export function keysFor(text: string, name: string): KnownKey[] {
  const keys: KnownKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | null = null;
    if (fields[0]!.startsWith('@')) marker = fields.shift()!;
    if (marker === '@cert-authority' || fields.length < 3) continue;
    const [hosts, type, key] = fields as [string, string, string];
    if (!hostsFieldMatches(hosts, name)) continue;
    keys.push({ marker: marker === '@revoked' ? 'revoked' : null, type, key: Buffer.from(key, 'base64') });
  }
  return keys;
}

/** Why `offered` must be refused for `name` given these known_hosts texts; null to accept. */
export function checkHostKey(texts: string[], name: string, offered: Buffer): string | null {
  const type = keyType(offered);
  const known = texts.flatMap((t) => keysFor(t, name));
  if (known.some((k) => k.marker === 'revoked' && k.key.equals(offered))) return `the host key of ${name} is marked @revoked in known_hosts`;
  const sameType = known.filter((k) => k.marker === null && k.type === type);
  if (sameType.length === 0 || sameType.some((k) => k.key.equals(offered))) return null;
  return `the ${type} host key of ${name} does not match the one in known_hosts: it changed, or someone is in between (remove the old line with \`ssh-keygen -R '${name}'\` if the change is expected)`;
}

/** The known_hosts files of the user (HOME in `env`) and of the system, those that exist. */
export function readKnownHosts(env: NodeJS.ProcessEnv): string[] {
  const files = [join(env.HOME?.trim() || homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
  return files.flatMap((f) => {
    try {
      return [readFileSync(f, 'utf8')];
    } catch {
      return [];
    }
  });
}
