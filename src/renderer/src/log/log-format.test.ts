import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/model';
import { cellWidth, entryToLine, formatLineTime, formatLogLine, sanitizeMessage, truncateCells } from './log-format';

describe('formatLogLine', () => {
  it('writes stdout as is, reset and CRLF-terminated', () => {
    expect(formatLogLine({ message: 'hello', source: 'container', isStdErr: false })).toBe('hello\x1b[0m\r\n');
  });

  it('colours stderr red', () => {
    expect(formatLogLine({ message: 'oops', source: 'container', isStdErr: true })).toBe('\x1b[31moops\x1b[0m\r\n');
  });

  it('dims system and manager lines', () => {
    for (const source of ['system', 'manager'] as const) {
      expect(formatLogLine({ message: 'started', source, isStdErr: false })).toBe('\x1b[2;3;36mstarted\x1b[0m\r\n');
    }
  });

  it('colours by level: error red, warn yellow, debug grey, info plain', () => {
    const base = { message: 'm', source: 'container', isStdErr: false } as const;
    expect(formatLogLine({ ...base, level: 'error' })).toBe('\x1b[31mm\x1b[0m\r\n');
    expect(formatLogLine({ ...base, level: 'warn' })).toBe('\x1b[33mm\x1b[0m\r\n');
    expect(formatLogLine({ ...base, level: 'debug' })).toBe('\x1b[90mm\x1b[0m\r\n');
    expect(formatLogLine({ ...base, level: 'info' })).toBe('m\x1b[0m\r\n');
  });

  it('prefixes the local time when timestamps are on', () => {
    const at = new Date(2026, 10, 23, 9, 4, 5, 7).getTime();
    expect(formatLineTime(at)).toBe('2026-11-23 09:04:05.007');
    const out = formatLogLine({ message: 'hi', source: 'container', isStdErr: false, timestamp: at }, { timestamps: true });
    expect(out).toBe('\x1b[90m2026-11-23 09:04:05.007\x1b[0m hi\x1b[0m\r\n');
  });

  it('cuts a line to the row when wrap is off, counting the prefix', () => {
    const out = formatLogLine({ message: 'abcdefghij', source: 'container', isStdErr: false }, { maxCells: 6 });
    expect(out).toBe('abcde\x1b[90m…\x1b[0m\x1b[0m\r\n');
    const labelled = formatLogLine(
      { message: 'abcdefghij', source: 'container', isStdErr: false },
      { maxCells: 8, label: { text: '\x1b[36mweb │\x1b[0m ', cells: 6 } },
    );
    expect(labelled).toBe('\x1b[36mweb │\x1b[0m a\x1b[90m…\x1b[0m\x1b[0m\r\n');
  });

  it('draws the highlighted line on a background that fills the row and survives resets inside', () => {
    const out = formatLogLine({ message: 'a\x1b[0mb', source: 'container', isStdErr: false }, { highlight: true });
    expect(out.startsWith('\x1b[48;2;58;51;18m\x1b[K')).toBe(true);
    expect(out).toContain('a\x1b[0m\x1b[48;2;58;51;18mb');
    expect(out.endsWith('\x1b[K\x1b[0m\r\n')).toBe(true);
  });

  it('keeps the message own colours', () => {
    expect(formatLogLine({ message: '\x1b[32mok\x1b[0m done', source: 'container', isStdErr: false })).toBe(
      '\x1b[32mok\x1b[0m done\x1b[0m\r\n',
    );
  });
});

describe('sanitizeMessage', () => {
  it('returns plain text untouched', () => {
    const text = 'tab\there, unicode ✓ «ok»';
    expect(sanitizeMessage(text)).toBe(text);
  });

  it('keeps SGR colours, including 24-bit ones', () => {
    const text = '\x1b[1;31mbold red\x1b[0m \x1b[38;2;10;20;30mrgb\x1b[m';
    expect(sanitizeMessage(text)).toBe(text);
  });

  it('drops cursor movement, screen clears, title changes and resets', () => {
    expect(sanitizeMessage('a\x1b[2Jb\x1b[Hc\x1b[10;5fd')).toBe('abcd');
    expect(sanitizeMessage('\x1b]0;evil title\x07text')).toBe('text');
    expect(sanitizeMessage('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(sanitizeMessage('x\x1bcy')).toBe('xy');
    expect(sanitizeMessage('bell\x07 del\x7f c1\x9b2J')).toBe('bell del c12J');
  });

  it('keeps every log line on one terminal line: the last part of a carriage-returned line, newlines as ↵', () => {
    expect(sanitizeMessage('10%\r50%\r100%')).toBe('100%');
    expect(sanitizeMessage('done\r')).toBe('done');
    expect(sanitizeMessage('one\ntwo')).toBe('one↵two');
  });

  it('drops an escape cut off at the end', () => {
    expect(sanitizeMessage('end\x1b[12')).toBe('end12');
    expect(sanitizeMessage('end\x1b')).toBe('end');
  });
});

describe('entryToLine', () => {
  it('keeps what the pane needs', () => {
    const entry: LogEntry = {
      id: 9,
      message: 'm',
      timestamp: 5,
      level: 'error',
      source: { type: 'manager', name: 'berth' },
      serviceId: 1,
      serviceName: 's',
      containerId: 'abc',
      jobId: 2,
      isStdErr: true,
      isSystem: true,
    };
    expect(entryToLine(entry)).toEqual({ id: 9, message: 'm', timestamp: 5, level: 'error', source: 'manager', isStdErr: true });
  });
});

describe('truncateCells', () => {
  it('leaves short text alone', () => {
    expect(truncateCells('short', 10)).toBe('short');
    expect(truncateCells('exact', 5)).toBe('exact');
  });

  it('does not count colour sequences', () => {
    expect(truncateCells('\x1b[32mgreen\x1b[0m', 5)).toBe('\x1b[32mgreen\x1b[0m');
    expect(truncateCells('\x1b[32mgreenery\x1b[0m', 5)).toBe('\x1b[32mgree\x1b[90m…\x1b[0m');
  });

  it('counts wide characters as two cells and combining marks as none', () => {
    expect(cellWidth('漢'.codePointAt(0)!)).toBe(2);
    expect(cellWidth('😀'.codePointAt(0)!)).toBe(2);
    expect(cellWidth(0x301)).toBe(0);
    expect(truncateCells('漢字漢字', 5)).toBe('漢字\x1b[90m…\x1b[0m');
    expect(truncateCells('e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301e\u0301');
  });

  it('expands tabs to the next multiple of 8', () => {
    expect(truncateCells('a\tb', 9)).toBe('a\tb');
    expect(truncateCells('a\tbc', 9)).toBe('a\t\x1b[90m…\x1b[0m');
  });
});
