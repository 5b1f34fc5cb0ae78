/** The time range of a log search: a preset ("last hour") or two typed ends. */

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const timePresets = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * minute },
  { id: '1h', label: 'Last hour', ms: hour },
  { id: '6h', label: 'Last 6 hours', ms: 6 * hour },
  { id: '24h', label: 'Last 24 hours', ms: day },
  { id: '7d', label: 'Last 7 days', ms: 7 * day },
  { id: '30d', label: 'Last 30 days', ms: 30 * day },
  { id: 'all', label: 'All time', ms: null },
  { id: 'custom', label: 'Custom…', ms: null },
] as const;

export type TimePreset = (typeof timePresets)[number]['id'];

export const isTimePreset = (value: string): value is TimePreset => timePresets.some((p) => p.id === value);

const units: Record<string, number> = { s: 1000, m: minute, h: hour, d: day, w: 7 * day };

/**
 * One end of a custom range, as typed: empty (open), `now`, a duration back from now (`15m`,
 * `2h ago`, `-3d`), a local date or date and time (`2026-11-23`, `2026-11-23 10:30`,
 * `2026-11-23T10:30:15`), an ISO time with a zone (`…Z`, `…+02:00`) or milliseconds since the epoch.
 * Answers null for empty, and an error message for what it cannot read.
 */
export function parseTimeInput(text: string, now: number): number | null | { error: string } {
  const value = text.trim().toLowerCase();
  if (value === '') return null;
  if (value === 'now') return now;
  const relative = /^-?\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)(?:\s+ago)?$/.exec(value);
  if (relative) return Math.round(now - Number(relative[1]) * units[relative[2]!]!);
  if (/^\d{10,}$/.test(value)) return Number(value);
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(value);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = local;
    const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
    if (date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return { error: `no such date: ${text.trim()}` };
    return date.getTime();
  }
  if (/^\d{4}-\d{2}-\d{2}t.*(z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const ms = Date.parse(text.trim());
    if (!Number.isNaN(ms)) return ms;
  }
  return { error: `cannot read "${text.trim()}" as a time: try 15m, 2h ago, 2026-11-23 10:30 or now` };
}

export interface TimeRange {
  preset: TimePreset;
  /** The custom ends, as typed. */
  from: string;
  to: string;
}

/** `since` (inclusive) and `until` (exclusive) in ms for a range, or why it cannot be used. */
export function resolveTimeRange(range: TimeRange, now: number): { since?: number; until?: number } | { error: string } {
  if (range.preset !== 'custom') {
    const preset = timePresets.find((p) => p.id === range.preset);
    return preset?.ms ? { since: now - preset.ms } : {};
  }
  const since = parseTimeInput(range.from, now);
  if (since !== null && typeof since === 'object') return { error: `From: ${since.error}` };
  const until = parseTimeInput(range.to, now);
  if (until !== null && typeof until === 'object') return { error: `To: ${until.error}` };
  if (since !== null && until !== null && since >= until) return { error: 'From must be before To' };
  return { ...(since !== null ? { since } : {}), ...(until !== null ? { until } : {}) };
}
