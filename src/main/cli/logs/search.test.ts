import { describe, expect, it } from 'vitest';
import { isPlainSearch, plainMatcher, searchWords } from './search';

describe('--grep on live lines', () => {
  it('tells plain words from search syntax', () => {
    expect(isPlainSearch('disk full')).toBe(true);
    expect(isPlainSearch('status=500 /api/v1/users 10:00')).toBe(true);
    expect(isPlainSearch('and or not')).toBe(true);
    for (const q of ['"disk full"', 'disk*', 'a OR b', 'NOT a', 'NEAR(a b)', '^start']) expect(isPlainSearch(q), q).toBe(false);
  });

  it('keeps the words that have something to search for', () => {
    expect(searchWords('  disk  -- full ')).toEqual(['disk', 'full']);
  });

  it('wants every word, in any order and any case', () => {
    const match = plainMatcher('Disk FULL');
    expect(match('the disk is full')).toBe(true);
    expect(match('FULL: disk /dev/sda1')).toBe(true);
    expect(match('the disk is fine')).toBe(false);
  });

  it('matches whole words, as the full-text index does', () => {
    expect(plainMatcher('disk')('diskette')).toBe(false);
    expect(plainMatcher('disk')('disk.')).toBe(true);
  });

  it('reads a word with punctuation as the phrase of its parts', () => {
    const match = plainMatcher('status=500');
    expect(match('GET /x status=500 in 3ms')).toBe(true);
    expect(match('status 500')).toBe(true);
    expect(match('500 status')).toBe(false);
    expect(match('status=200 code 500')).toBe(false);
  });

  it('ignores diacritics and colour escapes', () => {
    expect(plainMatcher('cafe')('Café ouvert')).toBe(true);
    expect(plainMatcher('crème')('creme brulee')).toBe(true);
    expect(plainMatcher('error')('\x1b[31mERROR\x1b[0m: boom')).toBe(true);
  });
});
