import { describe, expect, it } from 'vitest';
import { clickRow, keepShown, noSelection, toggleAll } from './row-selection';

const order = [50, 40, 30, 20, 10];
const sorted = (s: { selected: ReadonlySet<number> }) => [...s.selected].sort((a, b) => b - a);

describe('row selection', () => {
  it('toggles one row per click', () => {
    let s = clickRow(noSelection, order, 40, false);
    s = clickRow(s, order, 20, false);
    expect(sorted(s)).toEqual([40, 20]);
    s = clickRow(s, order, 40, false);
    expect(sorted(s)).toEqual([20]);
  });

  it('selects the range from the anchor on shift-click, in either direction', () => {
    const down = clickRow(clickRow(noSelection, order, 40, false), order, 10, true);
    expect(sorted(down)).toEqual([40, 30, 20, 10]);
    const up = clickRow(clickRow(noSelection, order, 20, false), order, 50, true);
    expect(sorted(up)).toEqual([50, 40, 30, 20]);
  });

  it('treats a shift-click without an anchor as a plain click', () => {
    expect(sorted(clickRow(noSelection, order, 30, true))).toEqual([30]);
  });

  it('selects all loaded rows, and clears when all already are', () => {
    const all = toggleAll(clickRow(noSelection, order, 30, false), order);
    expect(sorted(all)).toEqual(order);
    expect(toggleAll(all, order).selected.size).toBe(0);
  });

  it('keeps only rows still shown', () => {
    const s = clickRow(clickRow(noSelection, order, 40, false), order, 20, false);
    const kept = keepShown(s, [50, 40, 30]);
    expect(sorted(kept)).toEqual([40]);
    expect(kept.anchor).toBeNull();
    expect(keepShown(kept, order)).toBe(kept);
  });
});
