import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/model';
import { TailMerger } from './tail-merger';

const line = (id: number): LogLine => ({ id, message: `m${id}`, timestamp: id, level: 'info', source: 'container', isStdErr: false });

describe('TailMerger', () => {
  it('holds first reads until every source is loaded, then hands them on in id order', () => {
    const out: Array<[string, number]> = [];
    const merger = new TailMerger(['a', 'b'], (lines) => out.push(...lines.map((l) => [l.key, l.line.id] as [string, number])));
    merger.write('a', [line(1), line(4), line(6)]);
    merger.loaded('a');
    expect(out).toEqual([]);
    merger.write('b', [line(2), line(5)]);
    merger.loaded('b');
    expect(out).toEqual([
      ['a', 1],
      ['b', 2],
      ['a', 4],
      ['b', 5],
      ['a', 6],
    ]);
    expect(merger.merging).toBe(false);
  });

  it('passes live lines straight through once open', () => {
    const out: number[][] = [];
    const merger = new TailMerger(['a'], (lines) => out.push(lines.map((l) => l.line.id)));
    merger.loaded('a');
    merger.write('a', [line(9)]);
    merger.write('a', []);
    expect(out).toEqual([[9]]);
  });

  it('is open at once without sources, and ignores unknown or repeated loads', () => {
    const out: number[] = [];
    const merger = new TailMerger<string>([], (lines) => out.push(...lines.map((l) => l.line.id)));
    expect(merger.merging).toBe(false);
    const two = new TailMerger(['a', 'b'], (lines) => out.push(...lines.map((l) => l.line.id)));
    two.write('a', [line(3)]);
    two.loaded('a');
    two.loaded('a');
    two.loaded('zzz');
    expect(two.merging).toBe(true);
    two.loaded('b');
    expect(out).toEqual([3]);
  });
});
