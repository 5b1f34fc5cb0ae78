import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/model';
import { LogWindow, planWindow } from './log-window';

const line = (id: number): LogLine => ({ id, message: `line ${id}`, timestamp: id, level: 'info', source: 'container', isStdErr: false });
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));
const ids = (w: LogWindow) => w.lines.map((l) => l.id);

describe('LogWindow', () => {
  it('tracks what was handed to the terminal, what it parsed and what is held while paused', () => {
    const w = new LogWindow();
    w.reset(lines(1, 5), { hasOlder: false, detached: false });
    expect(w.takeUnqueued().map((l) => l.id)).toEqual([1, 2, 3, 4, 5]);
    w.setParsed(3);
    expect([w.queued, w.parsed]).toEqual([5, 3]);
    w.append(lines(6, 8));
    expect(w.held).toBe(3);
    w.setParsed(99);
    expect(w.parsed).toBe(5);
    expect(w.takeUnqueued().map((l) => l.id)).toEqual([6, 7, 8]);
    expect(w.held).toBe(0);
  });

  it('drops held lines when too many arrived while paused, and then no longer reaches the newest line', () => {
    const w = new LogWindow();
    w.reset(lines(1, 3), { hasOlder: false, detached: false });
    w.takeUnqueued();
    w.append(lines(4, 10));
    w.dropHeld();
    expect(ids(w)).toEqual([1, 2, 3]);
    expect(w.detached).toBe(true);
  });

  it('forgets the oldest parsed lines past what the terminal can hold, in steps', () => {
    const w = new LogWindow();
    w.reset(lines(1, 100), { hasOlder: false, detached: false });
    w.takeUnqueued();
    w.setParsed(100);
    expect(w.trimFront(60, 50)).toBe(0);
    expect(w.trimFront(60, 10)).toBe(40);
    expect(w.first?.id).toBe(41);
    expect([w.queued, w.parsed, w.hasOlder, w.trimmed]).toEqual([60, 60, true, 40]);
  });

  it('never forgets lines the terminal has not parsed yet', () => {
    const w = new LogWindow();
    w.reset(lines(1, 100), { hasOlder: false, detached: false });
    w.takeUnqueued();
    w.setParsed(20);
    expect(w.trimFront(5, 0)).toBe(15);
    expect(w.first?.id).toBe(16);
    expect(w.parsed).toBe(5);
  });

  it('finds lines by id, or where a missing id would be', () => {
    const w = new LogWindow();
    w.reset([line(2), line(5), line(9)], { hasOlder: false, detached: false });
    expect([w.indexOfId(2), w.indexOfId(9), w.indexOfId(4)]).toEqual([0, 2, -1]);
    expect([w.indexAtOrAfter(4), w.indexAtOrAfter(1), w.indexAtOrAfter(10)]).toEqual([1, 0, -1]);
  });

  it('prepends an older page without duplicates and shifts its counters', () => {
    const w = new LogWindow();
    w.reset(lines(10, 12), { hasOlder: true, detached: false });
    w.takeUnqueued();
    w.setParsed(3);
    expect(w.prepend(lines(7, 10), true)).toBe(3);
    expect(ids(w)).toEqual([7, 8, 9, 10, 11, 12]);
    expect([w.queued, w.parsed]).toEqual([6, 6]);
  });

  it('maps the terminal top to an index', () => {
    const w = new LogWindow();
    w.reset(lines(1, 10), { hasOlder: false, detached: false });
    w.takeUnqueued();
    w.setParsed(10);
    expect(w.topIndex(4)).toBe(6);
    expect(w.topIndex(40)).toBe(0);
  });

  it('slices for a rebuild, noting cut edges', () => {
    const w = new LogWindow();
    w.reset(lines(1, 10), { hasOlder: false, detached: false });
    w.slice(2, 8);
    expect(ids(w)).toEqual([3, 4, 5, 6, 7, 8]);
    expect([w.hasOlder, w.detached, w.queued]).toEqual([true, true, 0]);
  });
});

describe('planWindow', () => {
  it('keeps everything that fits', () => {
    expect(planWindow(50, 10, 100, 10)).toEqual({ start: 0, end: 50 });
  });

  it('keeps `below` lines under the anchor and fills the rest above', () => {
    expect(planWindow(1000, 500, 100, 20)).toEqual({ start: 421, end: 521 });
  });

  it('fills from below when the anchor is near the top', () => {
    expect(planWindow(1000, 5, 100, 20)).toEqual({ start: 0, end: 100 });
  });

  it('stops at the end', () => {
    expect(planWindow(1000, 995, 100, 20)).toEqual({ start: 900, end: 1000 });
  });
});
