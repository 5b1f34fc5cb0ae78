import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/model';
import { entryToLine, formatLogLine, sanitizeMessage } from './log-format';

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

  it('keeps carriage returns and turns stray newlines into CRLF', () => {
    expect(sanitizeMessage('10%\r50%\r100%')).toBe('10%\r50%\r100%');
    expect(sanitizeMessage('one\ntwo')).toBe('one\r\ntwo');
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
