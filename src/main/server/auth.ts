/**
 * Who may use the REST API: scripts send the API token as `Authorization: Bearer <token>`;
 * browsers get an HttpOnly session cookie from a one-time login link (or by pasting the token).
 *
 * The token is random and lives in `<data dir>/token` (mode 0600). The session cookie and the
 * login codes are HMACs keyed by the token, so they survive a restart of `berth serve` and all
 * die together when the token file is replaced.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const tokenFile = 'token';
export const sessionCookie = 'berth_session';
const loginCodeTtlMs = 15 * 60_000;

/** Reads the API token, creating it on first use; keeps the file private either way. */
export function readOrCreateToken(dataDir: string): string {
  const file = join(dataDir, tokenFile);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) {
      chmodSync(file, 0o600);
      return token;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Auth {
  /** Login codes already used, until they would have expired anyway. */
  private readonly usedCodes = new Map<string, number>();

  constructor(private readonly token: string) {}

  private sign(text: string): string {
    return createHmac('sha256', this.token).update(text).digest('base64url');
  }

  get sessionValue(): string {
    return this.sign('session:v1');
  }

  checkBearer(header: string | undefined): boolean {
    if (!header) return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m !== null && sameText(m[1]!, this.token);
  }

  checkToken(candidate: string): boolean {
    return sameText(candidate.trim(), this.token);
  }

  checkCookie(header: string | undefined): boolean {
    const value = readCookie(header, sessionCookie);
    return value !== undefined && sameText(value, this.sessionValue);
  }

  /** A code for a login link, good once and for 15 minutes. */
  createLoginCode(now = Date.now()): string {
    const body = `${now + loginCodeTtlMs}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${this.sign(`login:${body}`)}`;
  }

  /** True once per valid, unexpired code. */
  redeemLoginCode(code: string, now = Date.now()): boolean {
    const m = /^(\d{10,16})\.([\w-]{16})\.([\w-]{43})$/.exec(code);
    if (!m) return false;
    const expires = Number(m[1]);
    if (expires < now || !sameText(m[3]!, this.sign(`login:${m[1]}.${m[2]}`))) return false;
    for (const [used, until] of this.usedCodes) if (until < now) this.usedCodes.delete(used);
    if (this.usedCodes.has(code)) return false;
    this.usedCodes.set(code, expires);
    return true;
  }

  sessionCookieHeader(secure: boolean): string {
    return `${sessionCookie}=${this.sessionValue}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}${secure ? '; Secure' : ''}`;
  }
}

export const clearedSessionCookie = `${sessionCookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
