/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from `baseMs` up to `capMs`,
 * with jitter so many tabs do not hammer a restarted server in step.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 10_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
