import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi';

describe('stripAnsi', () => {
  it('returns a line without escapes unchanged (the same string)', () => {
    const line = 'plain [ERROR] line with 100% text';
    expect(stripAnsi(line)).toBe(line);
  });

  it('removes colour codes, keeping the words they wrapped', () => {
    expect(stripAnsi('\x1b[1;31mERROR\x1b[0m disk full')).toBe('ERROR disk full');
    expect(stripAnsi('\x1b[38;5;208mwarn\x1b[39m')).toBe('warn');
  });

  it('removes cursor moves, titles and hyperlinks', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress 50%')).toBe('progress 50%');
    expect(stripAnsi('\x1b]0;my title\x07after')).toBe('after');
    expect(stripAnsi('\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
  });

  it('drops a lone ESC at the end of a line and the 8-bit CSI form', () => {
    expect(stripAnsi('cut off\x1b')).toBe('cut off');
    expect(stripAnsi('\x9b31mred')).toBe('red');
  });
});
