import { describe, expect, it } from 'vitest';
import { batchMatches, parseSourceKey, sourceFilter, sourceKey } from './source-ref';

describe('source refs', () => {
  it('round-trip through their keys', () => {
    expect(parseSourceKey(sourceKey({ kind: 'job', id: 12 }))).toEqual({ kind: 'job', id: 12 });
    expect(parseSourceKey('container:ABCDEF012345')).toEqual({ kind: 'container', id: 'abcdef012345' });
  });

  it('refuse keys that name nothing', () => {
    for (const key of ['job:0', 'job:x', 'container:abc', 'container:xyz012345678', 'pod:1', '']) expect(parseSourceKey(key)).toBeNull();
  });

  it('select their lines in queries and live batches', () => {
    expect(sourceFilter({ kind: 'job', id: 3 })).toEqual({ jobId: 3 });
    expect(sourceFilter({ kind: 'container', id: 'abcdef012345' })).toEqual({ containerId: 'abcdef012345' });
    const container = { kind: 'container', id: 'abcdef012345' } as const;
    expect(batchMatches(container, { jobId: null, containerId: 'abcdef012345ffff' })).toBe(true);
    expect(batchMatches(container, { jobId: null, containerId: 'ffffff012345' })).toBe(false);
    expect(batchMatches({ kind: 'job', id: 3 }, { jobId: 3, containerId: 'abcdef012345' })).toBe(true);
    expect(batchMatches({ kind: 'job', id: 3 }, { jobId: 4, containerId: null })).toBe(false);
  });
});
