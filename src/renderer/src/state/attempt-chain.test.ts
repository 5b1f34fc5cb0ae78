import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/model';
import { attemptChain } from './attempt-chain';

const job = (id: number, retryOf: number | null, retriedBy: number | null) => ({ id, retryOf, retriedBy }) as Job;
const byId = (...jobs: Job[]) => new Map(jobs.map((j) => [j.id, j]));

describe('attemptChain', () => {
  it('walks back and forward from any attempt', () => {
    const known = byId(job(41, null, 44), job(44, 41, 50), job(50, 44, null));
    for (const id of [41, 44, 50]) {
      const { chain, missing } = attemptChain(id, known);
      expect(chain.map((j) => j.id)).toEqual([41, 44, 50]);
      expect(missing).toEqual([]);
    }
  });

  it('names the attempts it has not seen yet, on both sides', () => {
    const { chain, missing } = attemptChain(44, byId(job(44, 41, 50)));
    expect(chain.map((j) => j.id)).toEqual([44]);
    expect(missing).toEqual([41, 50]);
    expect(attemptChain(7, byId())).toEqual({ chain: [], missing: [7] });
  });

  it('finds a retry that points back before the job names it', () => {
    const { chain } = attemptChain(41, byId(job(41, null, null), job(44, 41, null)));
    expect(chain.map((j) => j.id)).toEqual([41, 44]);
  });

  it('stops at a loop', () => {
    const { chain } = attemptChain(1, byId(job(1, 2, 2), job(2, 1, 1)));
    expect(chain.map((j) => j.id)).toEqual([2, 1]);
  });
});
