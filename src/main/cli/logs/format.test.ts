import { describe, expect, it } from 'vitest';
import type { LogEntry, LogLine } from '../../../shared/model';
import { formatJson, formatText, fromLive, targetOf } from './format';

const at = Date.UTC(2026, 10, 23, 10, 0, 0, 123);

describe('berth logs output', () => {
  it('prints the message, with the time first for -t', () => {
    const line = { timestamp: at, message: 'hello world', isStdErr: false, isSystem: false };
    expect(formatText(line, false)).toBe('hello world\n');
    expect(formatText(line, true)).toBe('2026-11-23T10:00:00.123000000Z hello world\n');
  });

  it("sends stderr and Berth's own lines to stderr, marking Berth's", () => {
    expect(targetOf({ timestamp: at, message: '', isStdErr: false, isSystem: false })).toBe('stdout');
    expect(targetOf({ timestamp: at, message: '', isStdErr: true, isSystem: false })).toBe('stderr');
    const system = { timestamp: at, message: 'Container exited with code 0', isStdErr: false, isSystem: true };
    expect(targetOf(system)).toBe('stderr');
    expect(formatText(system, true)).toBe('2026-11-23T10:00:00.123000000Z [berth] Container exited with code 0\n');
  });

  it('keeps a message as it is, spaces and escapes included', () => {
    expect(formatText({ timestamp: at, message: '  \x1b[31mred\x1b[0m\t', isStdErr: false, isSystem: false }, false)).toBe('  \x1b[31mred\x1b[0m\t\n');
    expect(formatText({ timestamp: at, message: '', isStdErr: false, isSystem: false }, false)).toBe('\n');
  });

  it('reads live lines: anything not from the container is a system line', () => {
    const live: LogLine = { id: 1, timestamp: at, level: 'info', source: 'manager', isStdErr: false, message: 'Attached' };
    expect(fromLive(live)).toEqual({ timestamp: at, message: 'Attached', isStdErr: false, isSystem: true });
    expect(fromLive({ ...live, source: 'container' }).isSystem).toBe(false);
  });

  it('prints one JSON LogEntry per line', () => {
    const entry: LogEntry = {
      id: 3,
      message: 'a "quoted"\nthing',
      timestamp: at,
      level: 'warn',
      source: { type: 'container', name: 'job-7' },
      serviceId: 1,
      serviceName: 'hello',
      containerId: 'abc',
      jobId: 7,
      isStdErr: true,
      isSystem: false,
    };
    const text = formatJson(entry);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(entry);
  });
});
