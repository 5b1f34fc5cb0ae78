/**
 * A compact duration: "0.4s", "12s", "3m 05s", "2h 03m", "1d 4h". Tenths of a second only when
 * `precise`: a ticking (running) duration shows whole seconds, since it updates once a second.
 */
export function formatDuration(ms: number, precise = true): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 10_000 && precise) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m ${pad(totalSeconds % 60)}s`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return `${totalHours}h ${pad(totalMinutes % 60)}m`;
  return `${Math.floor(totalHours / 24)}d ${totalHours % 24}h`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Time of day for today, date and time otherwise. */
export function formatTimestamp(ms: number | null, now: number = Date.now()): string {
  if (ms == null) return '—';
  const date = new Date(ms);
  const today = new Date(now);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })} ${time}`;
}

export function fullTimestamp(ms: number | null): string | undefined {
  return ms == null ? undefined : new Date(ms).toISOString();
}

/** Docker's short container id. */
export function shortId(id: string | null): string {
  return id ? id.slice(0, 12) : '—';
}
