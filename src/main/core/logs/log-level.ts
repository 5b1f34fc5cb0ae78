/**
 * The level of a container log line, worked out as the line is stored (100k+ lines a second in
 * the ingest worker). Most lines carry no marker at all, so the common path is a handful of
 * character comparisons and two native `indexOf` scans, with no regex and no allocation.
 *
 * Rules, tried in this order; the first level found wins, over the stream in either direction:
 * - Default: stdout is info, stderr is error.
 * - Only the first 16 KiB are looked at. ANSI escapes are stripped first, only if the line has ESC.
 * - JSON: a line whose first non-blank character is `{` is judged as JSON only (never by the rules
 *   below, which would read words inside its strings). Top-level `level`, `lvl`, `severity`,
 *   `log.level`, then nested `{"log":{"level":…}}`; a name from the table (any case) or a
 *   pino/bunyan number (10–29 debug, 30 info, 40 warn, 50+ error). Invalid JSON and lines over
 *   16 KiB are not parsed and keep the default.
 * - klog/glog: `E1122 10:00:00.123456 …`, letter I/W/E/F then 4 digits and a space (F is error).
 * - Prefix, as the first token or right after a leading timestamp (`2026-11-23T10:00:00Z`,
 *   `2026/11/23 10:00:00`, `10:00:00,123`, `[2026-11-23 10:00:00 +0000]`), which may be followed
 *   by pid, zone or thread tokens (`0`, `UTC`, `+0000`, `[1]`, `[main]`): `ERROR`, `WARN:`,
 *   `INFO[0000]` (upper case only: a capitalised word starting prose is not a level), `error:` /
 *   `Warning:` (any case when a colon follows), `[warn]`, `[ INFO ]`, `<error>`. Prose that merely
 *   contains "error" is not a prefix.
 * - logfmt: `level=`, `lvl=` or `severity=` as a whole key (line start or after a blank, so
 *   `loglevel=`, `log_level=` and `?level=` do not count), value bare or quoted, a name from
 *   the table. Numbers are not read here: `severity=3` is syslog "error", pino 3 means nothing.
 */
import type { LogLevel } from '../../../shared/model';
import { stripAnsi } from './ansi';

/**
 * Level names, matched case-insensitively. Beyond the usual ones: `log` (PostgreSQL `LOG:`),
 * `note` (MySQL/MariaDB `[Note]`), `fail`/`dbug`/`trce` (.NET console), `verbose`/`silly`
 * (winston), `dpanic` (zap).
 */
const levelNames: readonly (readonly [string, LogLevel])[] = [
  ['trace', 'debug'],
  ['trce', 'debug'],
  ['debug', 'debug'],
  ['dbug', 'debug'],
  ['verbose', 'debug'],
  ['silly', 'debug'],
  ['info', 'info'],
  ['information', 'info'],
  ['notice', 'info'],
  ['note', 'info'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['err', 'error'],
  ['fail', 'error'],
  ['fatal', 'error'],
  ['critical', 'error'],
  ['crit', 'error'],
  ['panic', 'error'],
  ['dpanic', 'error'],
  ['alert', 'error'],
  ['emerg', 'error'],
  ['emergency', 'error'],
];

/** A Map, not an object: `{"level":"constructor"}` must not find Object.prototype's. */
const names = new Map<string, LogLevel>(levelNames);
/** The same names by first letter, to match a word in place without slicing it out. */
const byFirstLetter: (readonly [string, LogLevel])[][] = Array.from({ length: 26 }, () => []);
let shortestName = Infinity;
let longestName = 0;
for (const entry of levelNames) {
  byFirstLetter[entry[0].charCodeAt(0) - 97]!.push(entry);
  shortestName = Math.min(shortestName, entry[0].length);
  longestName = Math.max(longestName, entry[0].length);
}

/** The level named by `t[start, end)`, in any case. */
function nameAt(t: string, start: number, end: number): LogLevel | undefined {
  const length = end - start;
  if (length < shortestName || length > longestName) return undefined;
  // `| 0x20` lower-cases A–Z and leaves every other code outside a–z.
  const first = (t.charCodeAt(start) | 0x20) - 97;
  if (first < 0 || first > 25) return undefined;
  candidates: for (const [name, level] of byFirstLetter[first]!) {
    if (name.length !== length) continue;
    for (let k = 1; k < length; k++) if ((t.charCodeAt(start + k) | 0x20) !== name.charCodeAt(k)) continue candidates;
    return level;
  }
  return undefined;
}

/** pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): LogLevel | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  return 'error';
}

function fromValue(v: unknown): LogLevel | undefined {
  if (typeof v === 'string') return names.get(v.toLowerCase());
  if (typeof v === 'number') return fromNumber(v);
  return undefined;
}

/** Beyond this size a line is not worth parsing just to find its level. */
const probeLimit = 16 * 1024;

/** Skips parsing JSON lines that cannot have a level key. */
const jsonLevelKey = /"(?:level|lvl|severity|log\.level)"|"log"\s*:\s*\{/;

function fromJson(t: string): LogLevel | undefined {
  if (!jsonLevelKey.test(t)) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(t) as Record<string, unknown>; // starts with `{`: an object or a throw
  } catch {
    return undefined;
  }
  const log = o.log;
  const nested = log && typeof log === 'object' ? (log as Record<string, unknown>).level : undefined;
  return fromValue(o.level) ?? fromValue(o.lvl) ?? fromValue(o.severity) ?? fromValue(o['log.level']) ?? fromValue(nested);
}

/** The code at `i`, or -1 past the end: a read out of range (NaN) would make V8 drop the optimised code. */
const at = (t: string, i: number) => (i < t.length ? t.charCodeAt(i) : -1);
const isBlank = (c: number) => c === 32 || c === 9;
const isDigit = (c: number) => c >= 48 && c <= 57;

function skipBlanks(t: string, i: number): number {
  while (isBlank(at(t, i))) i++;
  return i;
}

/** klog/glog header at `p`: `Lmmdd ` with L one of I, W, E, F. */
function fromKlog(t: string, p: number): LogLevel | undefined {
  if (at(t, p + 5) !== 32) return undefined;
  for (let i = p + 1; i < p + 5; i++) if (!isDigit(t.charCodeAt(i))) return undefined;
  switch (t.charCodeAt(p)) {
    case 73 /* I */:
      return 'info';
    case 87 /* W */:
      return 'warn';
    case 69 /* E */:
    case 70 /* F */:
      return 'error';
    default:
      return undefined;
  }
}

/** A level marker at `p`: `[name]`, `<name>`, an upper-case NAME as a word, or `name:` in any case. */
function markerAt(t: string, p: number): LogLevel | undefined {
  const c = at(t, p);
  if (c === 91 /* [ */ || c === 60 /* < */) {
    const start = skipBlanks(t, p + 1);
    let end = start;
    while (end - start <= longestName && isLetter(at(t, end))) end++;
    if (at(t, skipBlanks(t, end)) !== (c === 91 ? 93 /* ] */ : 62) /* > */) return undefined;
    return nameAt(t, start, end);
  }
  let end = p;
  let upper = true;
  for (let ch = c; isLetter(ch) && end - p <= longestName; ch = at(t, ++end)) if (ch > 90) upper = false;
  if (end === p) return undefined;
  const next = at(t, end);
  // `INFO[0000]` is logrus's coloured format; -1 is the end of the line.
  if (next === 58 /* : */ || (upper && (isBlank(next) || next === 91 || next === -1))) return nameAt(t, p, end);
  return undefined;
}

function isLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122;
}

/**
 * End of a date or time token at `p` (digits and `-:/.,TZ+`, `-:/` required if `needSeparator`),
 * or of such a token in brackets, where blanks may appear too; -1 if there is none.
 */
function timestampEnd(t: string, p: number, needSeparator: boolean): number {
  const bracketed = at(t, p) === 91;
  let i = bracketed ? p + 1 : p;
  if (!isDigit(at(t, i))) return -1;
  let separator = false;
  for (; ; i++) {
    const c = at(t, i);
    if (isDigit(c) || c === 46 /* . */ || c === 44 /* , */ || c === 84 /* T */ || c === 90 /* Z */ || c === 43 /* + */) continue;
    if (c === 45 /* - */ || c === 58 /* : */ || c === 47 /* / */) separator = true;
    else if (!(bracketed && c === 32)) break;
  }
  if (needSeparator && !separator) return -1;
  if (!bracketed) return i;
  return at(t, i) === 93 ? i + 1 : -1;
}

/** Thread names and the like in brackets are skipped only up to this length. */
const maxBracketToken = 64;

/** End of a token that may sit between a leading timestamp and the level: more of the time, a pid, a zone, `[thread]`. */
function extraTokenEnd(t: string, p: number): number {
  const c = at(t, p);
  if (isDigit(c)) return timestampEnd(t, p, false);
  if ((c === 43 /* + */ || c === 45) /* - */ && isDigit(at(t, p + 1))) return timestampEnd(t, p + 1, false);
  if (c === 91 /* [ */) {
    const last = Math.min(t.length, p + maxBracketToken);
    for (let i = p + 1; i < last; i++) if (t.charCodeAt(i) === 93) return i + 1;
    return -1;
  }
  if (t.startsWith('UTC', p) || t.startsWith('GMT', p)) return p + 3;
  return -1;
}

/** Tokens looked through before giving up on a prefix: a timestamp, then up to four more. */
const maxLeadingTokens = 5;

function fromPrefix(t: string, p: number): LogLevel | undefined {
  for (let k = 0; ; k++) {
    const level = markerAt(t, p);
    if (level) return level;
    if (k === maxLeadingTokens) return undefined;
    // Without a timestamp first, only the very first token counts.
    const end = k === 0 ? timestampEnd(t, p, true) : extraTokenEnd(t, p);
    if (end < 0) return undefined;
    const next = skipBlanks(t, end);
    if (next === end) return undefined; // a token ends at a blank
    p = next;
  }
}

/** The level named by the bare or quoted logfmt value at `start`. */
function logfmtValue(t: string, start: number): LogLevel | undefined {
  let end: number;
  if (at(t, start) === 34 /* " */) {
    end = t.indexOf('"', ++start);
    if (end === -1) return undefined;
  } else {
    // Only as far as the longest name: a longer value is no level.
    const last = Math.min(t.length, start + longestName + 1);
    for (end = start; end < last && !isBlank(t.charCodeAt(end)); ) end++;
  }
  return nameAt(t, start, end);
}

/** Whether the `=` at `eq` ends a whole `level`, `lvl` or `severity` key. */
function endsLevelKey(t: string, eq: number): boolean {
  if (eq === 0) return false;
  let start: number;
  const last = t.charCodeAt(eq - 1);
  if (last === 108 /* l */) {
    if (t.startsWith('level', eq - 5)) start = eq - 5;
    else if (t.startsWith('lvl', eq - 3)) start = eq - 3;
    else return false;
  } else if (last === 121 /* y */ && t.startsWith('severity', eq - 8)) start = eq - 8;
  else return false;
  return start === 0 || isBlank(t.charCodeAt(start - 1));
}

/** The first `level=`, `lvl=` or `severity=` logfmt key in the line with a level name. */
function fromLogfmt(t: string): LogLevel | undefined {
  for (let eq = t.indexOf('='); eq !== -1; eq = t.indexOf('=', eq + 1)) {
    if (endsLevelKey(t, eq)) {
      const level = logfmtValue(t, eq + 1);
      if (level) return level;
    }
    while (at(t, eq + 1) === 61) eq++; // the rest of a run like `=====` cannot end a key
  }
  return undefined;
}

/** The line's own level if it states one, else info for stdout and error for stderr. */
export function detectLevel(message: string, isStdErr: boolean): LogLevel {
  const fallback: LogLevel = isStdErr ? 'error' : 'info';
  let t = message.length > probeLimit ? message.slice(0, probeLimit) : message;
  if (t.indexOf('\x1b') !== -1) t = stripAnsi(t);
  const p = skipBlanks(t, 0);
  if (p === t.length) return fallback;
  if (t.charCodeAt(p) === 123 /* { */) return (message.length <= probeLimit && fromJson(t)) || fallback;
  return fromKlog(t, p) ?? fromPrefix(t, p) ?? fromLogfmt(t) ?? fallback;
}
