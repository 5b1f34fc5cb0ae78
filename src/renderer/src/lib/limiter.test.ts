import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createLimiter', () => {
  it('runs at most n tasks at once, in order', async () => {
    const run = createLimiter(2);
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        releases.push(() => resolve(n));
      });
    const results = [1, 2, 3, 4].map((n) => run(task(n)));
    await tick();
    expect(started).toEqual([1, 2]);
    releases[0]!();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    releases.slice(1).forEach((r) => r());
    await tick();
    releases.slice(3).forEach((r) => r());
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
  });

  it('skips tasks whose caller lost interest', async () => {
    const run = createLimiter(1);
    let ran = 0;
    const first = run(async () => ran++);
    const skipped = run(async () => ran++, () => true);
    expect(await first).toBe(0);
    expect(await skipped).toBeUndefined();
    expect(ran).toBe(1);
  });
});
