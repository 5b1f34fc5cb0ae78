import { describe, expect, it } from 'vitest';
import {
  countLines,
  lastLineRow,
  lineAtRow,
  readBufferLines,
  rowOfLine,
  type LocatableBuffer,
  type ReadableBuffer,
} from './terminal-buffer';

/** Rows of a fixed-width buffer: text padded to `cols`, `wrapped` marks continuation rows. */
function buffer(cols: number, rows: Array<[string, boolean?]>): ReadableBuffer {
  return {
    length: rows.length,
    getLine: (y) => {
      const row = rows[y];
      if (!row) return undefined;
      const [text, wrapped = false] = row;
      return { isWrapped: wrapped, translateToString: (trim) => (trim ? text.replace(/\s+$/, '') : text.padEnd(cols)) };
    },
  };
}

describe('readBufferLines', () => {
  it('returns one string per written line, without trailing empty rows', () => {
    expect(readBufferLines(buffer(10, [['first'], [''], ['third'], [''], ['']]))).toEqual(['first', '', 'third']);
  });

  it('joins wrapped rows, keeping spaces at the wrap point', () => {
    const lines = readBufferLines(buffer(5, [['abc d'], ['e f', true], ['next']]));
    expect(lines).toEqual(['abc de f', 'next']);
    const spaced = readBufferLines(buffer(5, [['abcd '], ['ef', true]]));
    expect(spaced).toEqual(['abcd ef']);
  });

  it('is empty for an empty terminal', () => {
    expect(readBufferLines(buffer(10, [[''], ['']]))).toEqual([]);
  });
});

/** A buffer after writing `rows` (true marks a wrapped continuation), cursor at column 0 below them. */
function written(rows: Array<[string, boolean?]>, viewportRows = 3): LocatableBuffer {
  const all: Array<[string, boolean?]> = [...rows, ['']];
  while (all.length < viewportRows) all.push(['']);
  const base = buffer(10, all);
  const cursorRow = rows.length;
  const baseY = Math.max(0, all.length - viewportRows);
  return { ...base, baseY, cursorY: cursorRow - baseY, cursorX: 0 };
}

describe('locating lines in the buffer', () => {
  const rows: Array<[string, boolean?]> = [['a'], ['b1'], ['b2', true], ['b3', true], ['c'], ['d1'], ['d2', true]];

  it('finds the last written row from the cursor', () => {
    expect(lastLineRow(written(rows))).toBe(6);
    expect(lastLineRow(written([]))).toBe(-1);
    expect(lastLineRow({ ...written([['x']]), cursorY: 0, cursorX: 3 })).toBe(0);
  });

  it('counts lines, not rows', () => {
    expect(countLines(written(rows))).toBe(4);
    expect(countLines(written([]))).toBe(0);
  });

  it('maps a row to its line and offset, and a line to its first row', () => {
    const b = written(rows);
    expect(lineAtRow(b, 0)).toEqual({ line: 0, offset: 0 });
    expect(lineAtRow(b, 3)).toEqual({ line: 1, offset: 2 });
    expect(lineAtRow(b, 4)).toEqual({ line: 2, offset: 0 });
    expect(lineAtRow(b, 6)).toEqual({ line: 3, offset: 1 });
    expect([0, 1, 2, 3].map((l) => rowOfLine(b, l))).toEqual([0, 1, 4, 5]);
    expect(rowOfLine(b, 4)).toBe(-1);
  });

  it('counts what is left of a line cut by the scrollback trim as a line', () => {
    const b = written([['b3', true], ['c'], ['d']]);
    expect(countLines(b)).toBe(3);
    expect(lineAtRow(b, 0)).toEqual({ line: 0, offset: 0 });
    expect(rowOfLine(b, 1)).toBe(1);
  });
});
