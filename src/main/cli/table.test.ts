import { describe, expect, it } from 'vitest';
import { duration, shellLine, table } from './table';

describe('management output', () => {
  it('aligns columns to the widest cell', () => {
    expect(table(['ID', 'NAME', 'STATE'], [['1', 'local', 'up'], ['12', 'x', 'down']])).toBe('ID  NAME   STATE\n1   local  up\n12  x      down\n');
  });

  it('writes durations people read', () => {
    expect([null, 850, 4200, 184_000, 7_500_000].map(duration)).toEqual(['-', '850ms', '4.2s', '3m04s', '2h05m']);
  });

  it('quotes command words that need it', () => {
    expect(shellLine(['sh', '-c', "echo it's done"])).toBe(`sh -c 'echo it'\\''s done'`);
    expect(shellLine(['ls', ''])).toBe(`ls ''`);
  });
});
