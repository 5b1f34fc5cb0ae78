import { describe, expect, it } from 'vitest';
import { formatArgv, formatMemory } from './spec-format';

describe('formatMemory', () => {
  it('uses the unit a person would set', () => {
    expect(formatMemory(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatMemory(1024 ** 3)).toBe('1 GiB');
    expect(formatMemory(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatMemory(1000 * 1024 * 1024)).toBe('1000 MiB');
    expect(formatMemory(6_291_457)).toBe('6,291,457 bytes');
  });
});

describe('formatArgv', () => {
  it('quotes words that need it', () => {
    expect(formatArgv(['sh', '-c', "echo 'hi' && exit 3"])).toBe(`sh -c 'echo '\\''hi'\\'' && exit 3'`);
  });
});
