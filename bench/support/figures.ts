// Small helpers the store and retention benches share: percentiles and how figures are printed.

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** A whole number with thousands separators. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Milliseconds with a precision that suits their size. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US');
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** A goal checked: what to print after a figure, and whether it was met. */
export interface Goal {
  text: string;
  met: boolean;
}

export function atMost(value: number, limit: number, unit = 'ms'): Goal {
  return { text: `goal ≤ ${fmtLimit(limit)}${unit ? ` ${unit}` : ''}`, met: value <= limit };
}

export function atLeast(value: number, limit: number, unit = ''): Goal {
  return { text: `goal ≥ ${fmtLimit(limit)}${unit === '×' ? unit : unit ? ` ${unit}` : ''}`, met: value >= limit };
}

const fmtLimit = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : String(n));

/** Keeps the goals of a bench for the summary at its end. */
export class GoalBook {
  private readonly entries: { name: string; goal: Goal }[] = [];

  /** `(goal …)`, plus a mark when missed, to append to a printed figure. */
  note(name: string, goal: Goal): string {
    this.entries.push({ name, goal });
    return `(${goal.text}${goal.met ? '' : ' — MISSED'})`;
  }

  summary(): string {
    const missed = this.entries.filter((e) => !e.goal.met);
    const head = `goals met: ${this.entries.length - missed.length} of ${this.entries.length}`;
    return missed.length === 0 ? head : `${head}; missed: ${missed.map((e) => e.name).join('; ')}`;
  }
}
