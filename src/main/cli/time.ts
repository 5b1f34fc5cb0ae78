/**
 * The times `--since` and `--until` take, as `docker logs` takes them:
 * - a duration back from now: `10m`, `2h`, `1h30m`, `1.5h`, `90s`, `500ms` (Go's units: ns, us,
 *   µs, ms, s, m, h); `-10m` is ten minutes from now;
 * - an RFC 3339 time or a shorter form of it: `2026-11-23T10:00:00Z`, `2026-11-23T10:00:00.5+01:00`,
 *   `2026-11-23T10:00`, `2026-11-23T10`, `2026-11-23`; without a zone it is local time;
 * - a Unix timestamp in seconds, with up to nine fraction digits: `1763892000`, `1763892000.123456789`.
 * The result is milliseconds since the epoch, possibly with a fraction (Berth stores milliseconds).
 */

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration (`1h30m`, `-10m`, `1.5s`) in milliseconds, or null if `text` is not one. */
export function parseDuration(text: string): number | null {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i === text.length) return null;
  let total = 0;
  while (i < text.length) {
    durationPart.lastIndex = i;
    const m = durationPart.exec(text);
    if (!m) return null;
    total += Number(m[1]) * unitMs[m[2]!]!;
    i = durationPart.lastIndex;
  }
  return sign * total;
}

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?([Zz]|[+-]\d{2}:\d{2})?$/;
const unixTime = /^(\d+)(?:\.(\d{1,9}))?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `2026-11-23T10:00:00.5Z` and its shorter forms, in milliseconds; null if it is not one; throws if it is one but impossible. */
function parseDateTime(text: string): number | null {
  const m = dateTime.exec(text);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    v === undefined ? undefined : Number(v),
  ) as [number, number, number, number?, number?, number?];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`'${text}' is not a valid date and time`);
  }
  const fractionMs = m[7] ? Number(m[7].padEnd(9, '0')) / 1e6 : 0;
  const zone = m[8];
  if (zone === undefined) {
    // Local time, as the Docker CLI reads a time without a zone.
    return new Date(year, month - 1, day, hour, minute, second).getTime() + fractionMs;
  }
  const offsetMin = /^[Zz]$/.test(zone) ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000 + fractionMs;
}

/** Milliseconds since the epoch for any form `docker logs --since` accepts; throws a RangeError that says what is accepted. */
export function parseTime(input: string, now: number): number {
  const text = input.trim();
  // "0" is the Unix epoch, not a zero duration (as in Docker).
  const duration = text === '0' ? null : parseDuration(text);
  if (duration !== null) return now - duration;
  const at = parseDateTime(text);
  if (at !== null) return at;
  const unix = unixTime.exec(text);
  if (unix) return Number(unix[1]) * 1000 + (unix[2] ? Number(unix[2].padEnd(9, '0')) / 1e6 : 0);
  throw new RangeError(
    `'${input}' is not a time: give an RFC 3339 time (2026-11-23T10:00:00Z, or 2026-11-23T10:00 in local time), a Unix timestamp (1763892000) or a duration back from now (10m, 2h, 1h30m)`,
  );
}

/** RFC 3339 in UTC with nine fraction digits, as `docker logs -t` prints it: 2026-11-23T10:00:00.123000000Z. */
export function dockerTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-23T10:00:00.123Z
  return `${iso.slice(0, 23)}000000Z`;
}
