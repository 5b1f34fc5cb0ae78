import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, keyType, knownHostsName } from './ssh-known-hosts';

/** An ed25519 public key as an SSH blob: string "ssh-ed25519", string key. */
function ed25519Blob(): Buffer {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}
const line = (hosts: string, blob: Buffer, marker = '') => `${marker ? `${marker} ` : ''}${hosts} ${keyType(blob)} ${blob.toString('base64')}`;
const hashed = (name: string) => {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('SSH host keys against known_hosts', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();

  it('names a host as known_hosts does: bare on port 22, [host]:port elsewhere', () => {
    expect(knownHostsName('box', 22)).toBe('box');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(keyType(key)).toBe('ssh-ed25519');
  });

  it('accepts the listed key, in plain, hashed, wildcard and list forms', () => {
    for (const hosts of ['box', 'other,box', hashed('box'), 'b?x', '*.lan,b*']) {
      expect(checkHostKey([line(hosts, key)], 'box', key), hosts).toBeNull();
    }
    expect(checkHostKey([line('[127.0.0.1]:2222', key)], '[127.0.0.1]:2222', key)).toBeNull();
  });

  it('refuses a key that differs from the listed one, and says how to fix it if the change is expected', () => {
    const why = checkHostKey([`# comment\n\n${line('box', other)}`], 'box', key);
    expect(why).toMatch(/ssh-ed25519 host key of box does not match the one in known_hosts/);
    expect(why).toContain("ssh-keygen -R 'box'");
    expect(checkHostKey([line(hashed('box'), other)], 'box', key)).not.toBeNull();
    // Listed in the system file, not the user's: still checked.
    expect(checkHostKey(['', line('box', other)], 'box', key)).not.toBeNull();
  });

  it('accepts a host that is not listed, or listed only with keys of another type', () => {
    expect(checkHostKey([], 'box', key)).toBeNull();
    expect(checkHostKey([line('elsewhere', other), line('!box,b*', other)], 'box', key)).toBeNull();
    expect(checkHostKey(['box ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'], 'box', key)).toBeNull();
    // A port makes another name.
    expect(checkHostKey([line('box', other)], '[box]:2222', key)).toBeNull();
  });

  it('refuses a revoked key and ignores certificate authorities', () => {
    expect(checkHostKey([line('*', key, '@revoked')], 'box', key)).toMatch(/@revoked/);
    expect(checkHostKey([line('box', other, '@cert-authority')], 'box', key)).toBeNull();
  });
});
