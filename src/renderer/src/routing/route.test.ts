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

  it('reads the line to open a job or a container at', () => {
    expect(parseRoute('#/jobs/12?line=3456')).toEqual({ name: 'job', id: 12, line: 3456 });
    expect(parseRoute('#/jobs/12?line=abc')).toEqual({ name: 'job', id: 12 });
    expect(parseRoute('#/containers/ABCDEF0123456789?line=9')).toEqual({ name: 'container', id: 'abcdef0123456789', line: 9 });
  });

  it('reads the logs pages with their query', () => {
    expect(parseRoute('#/logs')).toEqual({ name: 'logs', query: '' });
    expect(parseRoute('#/logs?q=needle+hay&level=error')).toEqual({ name: 'logs', query: 'q=needle+hay&level=error' });
    expect(parseRoute('#/logs/live?source=job:1&source=container:abcdefabcdef')).toEqual({
      name: 'live',
      sources: ['job:1', 'container:abcdefabcdef'],
    });
    expect(parseRoute('#/containers')).toEqual({ name: 'containers' });
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' });
    expect(parseRoute('#/hosts')).toEqual({ name: 'hosts' });
  });

  it('rejects anything else', () => {
    expect(parseRoute('#/jobs/abc').name).toBe('not-found');
    expect(parseRoute('#/jobs/0').name).toBe('not-found');
    expect(parseRoute('#/containers/xyz').name).toBe('not-found');
    expect(parseRoute('#/elsewhere').name).toBe('not-found');
  });

  it('round-trips through routeHref', () => {
    for (const hash of [
      '#/',
      '#/templates',
      '#/jobs/7',
      '#/jobs/7?line=99',
      '#/logs',
      '#/logs?q=a&level=warn',
      '#/logs/live?source=job%3A1',
      '#/containers',
      '#/containers/abcdef012345?line=3',
      '#/settings',
      '#/hosts',
    ]) {
      expect(routeHref(parseRoute(hash))).toBe(hash);
    }
  });
});
