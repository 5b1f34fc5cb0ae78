/**
 * The waits a retry policy makes between attempts, as the editor previews them: the same
 * arithmetic as core/jobs/retry/retry-policy.ts backoffMs (initial × factor^(n-1), capped).
 */
export function retryDelaysSeconds(policy: { attempts: number; backoffSeconds: number; factor: number; maxBackoffSeconds: number }, shown = 5): number[] {
  const waits: number[] = [];
  for (let n = 1; n < policy.attempts && waits.length < shown; n++) {
    waits.push(policy.backoffSeconds === 0 ? 0 : Math.min(policy.backoffSeconds * policy.factor ** (n - 1), policy.maxBackoffSeconds));
  }
  return waits;
}

/** "10 s", "1 min 20 s", "2 h 5 min". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds * 10) / 10;
  if (s < 60) return `${s} s`;
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  if (h > 0) return min ? `${h} h ${min} min` : `${h} h`;
  return sec ? `${min} min ${sec} s` : `${min} min`;
}

/** "10 s, 20 s, 40 s…" for the retries the policy makes; "no retries" for one attempt. */
export function describeRetryDelays(policy: Parameters<typeof retryDelaysSeconds>[0]): string {
  const retries = policy.attempts - 1;
  if (!(retries > 0)) return 'no retries';
  const waits = retryDelaysSeconds(policy);
  return waits.map(formatSeconds).join(', ') + (retries > waits.length ? '…' : '');
}
