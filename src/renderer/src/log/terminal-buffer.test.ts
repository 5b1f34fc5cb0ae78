import { describe, expect, it } from 'vitest';
import { readBufferLines, type ReadableBuffer } from './terminal-buffer';

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
