import { describe, expect, it } from 'vitest';
import { envLines } from './env-lines';

describe('envLines', () => {
  it('keeps KEY=value lines as typed and drops blanks and comments', () => {
    expect(envLines('A=1\r\n\n  # note\nB=x=y\n   \nC= spaced ')).toEqual(['A=1', 'B=x=y', 'C= spaced ']);
  });

  it('passes malformed lines through for the server to reject', () => {
    expect(envLines('NOEQUALS')).toEqual(['NOEQUALS']);
  });

  it('is empty for an empty textarea', () => {
    expect(envLines('')).toEqual([]);
  });
});
