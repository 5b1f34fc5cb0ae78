import { describe, expect, it } from 'vitest';
import { toggleLevel } from './levels';

describe('toggleLevel', () => {
  it('turns a level off and on, keeping the usual order', () => {
    expect(toggleLevel(['debug', 'info', 'warn', 'error'], 'info', false)).toEqual(['debug', 'warn', 'error']);
    expect(toggleLevel(['error', 'debug'], 'info', false)).toEqual(['debug', 'info', 'error']);
  });

  it('shows every level again rather than none', () => {
    expect(toggleLevel(['warn'], 'warn', false)).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it('keeps only the clicked level on Alt+click', () => {
    expect(toggleLevel(['debug', 'info'], 'error', true)).toEqual(['error']);
  });
});
