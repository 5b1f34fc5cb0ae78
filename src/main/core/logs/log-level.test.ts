import { describe, expect, it } from 'vitest';
import { detectLevel } from './log-level';

describe('detectLevel', () => {
  it('defaults stdout to info and stderr to error', () => {
    expect(detectLevel('plain text', false)).toBe('info');
    expect(detectLevel('plain text', true)).toBe('error');
    expect(detectLevel('', false)).toBe('info');
    expect(detectLevel('', true)).toBe('error');
  });

  it("lets a JSON line's own level win over the stream", () => {
    expect(detectLevel('{"level":"warn","msg":"x"}', false)).toBe('warn');
    expect(detectLevel('{"level":"INFO","msg":"x"}', true)).toBe('info');
    expect(detectLevel('{"lvl":"debug"}', true)).toBe('debug');
    expect(detectLevel('{"severity":"ERROR"}', false)).toBe('error');
    expect(detectLevel('{"log.level":"warning"}', false)).toBe('warn');
    expect(detectLevel('{"log":{"level":"trace"}}', true)).toBe('debug');
    expect(detectLevel('{"level":"fatal"}', false)).toBe('error');
  });

  it('maps pino/bunyan numeric levels', () => {
    const cases: [number, string][] = [
      [10, 'debug'],
      [20, 'debug'],
      [30, 'info'],
      [40, 'warn'],
      [50, 'error'],
      [60, 'error'],
    ];
    for (const [n, level] of cases) {
      expect(detectLevel(`{"level":${n},"msg":"m"}`, n < 30), String(n)).toBe(level);
    }
  });

  it('falls back when the JSON carries no usable level', () => {
    expect(detectLevel('{"level":"loud"}', true)).toBe('error');
    expect(detectLevel('{"level":5}', false)).toBe('info');
    expect(detectLevel('{"level":null}', false)).toBe('info');
    expect(detectLevel('{"msg":"level"}', true)).toBe('error');
    expect(detectLevel('["level","warn"]', false)).toBe('info');
  });

  it('falls back for lines that only look like JSON', () => {
    expect(detectLevel('{"level":"warn"', false)).toBe('info');
    expect(detectLevel('{"level": "warn"} trailing', true)).toBe('error');
    expect(detectLevel('level=warn msg=x', false)).toBe('info');
    expect(detectLevel(' {"level":"warn"}', false)).toBe('info');
  });

  it('does not parse huge lines, even valid JSON with a level', () => {
    const huge = JSON.stringify({ level: 'warn', pad: 'x'.repeat(100_000) });
    expect(JSON.parse(huge).level).toBe('warn');
    expect(detectLevel(huge, false)).toBe('info');
    expect(detectLevel(huge, true)).toBe('error');
    // The same object, small, is recognised: the size is what made the difference.
    expect(detectLevel(JSON.stringify({ level: 'warn', pad: 'x' }), false)).toBe('warn');
  });
});
