import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route';

describe('parseRoute', () => {
  it('defaults to jobs', () => {
    expect(parseRoute('')).toEqual({ name: 'jobs' });
    expect(parseRoute('#/')).toEqual({ name: 'jobs' });
    expect(parseRoute('#/jobs')).toEqual({ name: 'jobs' });
  });

  it('reads templates and job ids', () => {
    expect(parseRoute('#/templates')).toEqual({ name: 'templates' });
    expect(parseRoute('#/templates/')).toEqual({ name: 'templates' });
    expect(parseRoute('#/jobs/42')).toEqual({ name: 'job', id: 42 });
  });

  it('rejects anything else', () => {
    expect(parseRoute('#/jobs/abc').name).toBe('not-found');
    expect(parseRoute('#/jobs/0').name).toBe('not-found');
    expect(parseRoute('#/elsewhere').name).toBe('not-found');
  });

  it('round-trips through routeHref', () => {
    for (const hash of ['#/', '#/templates', '#/jobs/7']) expect(routeHref(parseRoute(hash))).toBe(hash);
  });
});
