import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('doubles from the base', () => {
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(1, () => 1)).toBe(1000);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
  });

  it('is capped', () => {
    expect(reconnectDelay(5, () => 1)).toBe(10_000);
    expect(reconnectDelay(1000, () => 1)).toBe(10_000);
  });

  it('jitters between half and all of the step', () => {
    expect(reconnectDelay(2, () => 0)).toBe(1000);
    expect(reconnectDelay(2, () => 0.5)).toBe(1500);
    expect(reconnectDelay(20, () => 0)).toBe(5000);
  });
});
