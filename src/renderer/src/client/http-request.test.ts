import { describe, expect, it } from 'vitest';
import { ClientError } from './client-error';
import { buildDownloadUrl, buildHttpRequest, toQueryString } from './http-request';

describe('buildHttpRequest', () => {
  it('puts GET input in the query string, skipping undefined', () => {
    const req = buildHttpRequest('logs.query', { jobId: 7, afterId: 120, limit: 10000, level: undefined });
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/api/v1/logs?jobId=7&afterId=120&limit=10000');
    expect(req.body).toBeUndefined();
    expect(req.headers['content-type']).toBeUndefined();
  });

  it('leaves no question mark when there is nothing to send', () => {
    expect(buildHttpRequest('hosts.list', {}).url).toBe('/api/v1/hosts');
  });

  it('fills path params and keeps them out of the query', () => {
    const req = buildHttpRequest('jobs.get', { id: 42 });
    expect(req).toMatchObject({ method: 'GET', url: '/api/v1/jobs/42' });
  });

  it('sends the rest of a POST as a JSON body', () => {
    const req = buildHttpRequest('jobs.cancel', { id: 3, graceSeconds: 5 });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/v1/jobs/3/cancel');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body!)).toEqual({ graceSeconds: 5 });
  });

  it('sends an empty object when a POST has only path params', () => {
    const req = buildHttpRequest('hosts.refresh', { id: 1 });
    expect(req.url).toBe('/api/v1/hosts/1/refresh');
    expect(req.body).toBe('{}');
  });

  it('keeps structured bodies intact', () => {
    const req = buildHttpRequest('templates.create', { name: 'n', image: 'alpine', command: "sh -c 'echo hi'", env: ['A=1', 'B=x=y'] });
    expect(req.url).toBe('/api/v1/templates');
    expect(JSON.parse(req.body!)).toEqual({ name: 'n', image: 'alpine', command: "sh -c 'echo hi'", env: ['A=1', 'B=x=y'] });
  });

  it('encodes path params', () => {
    // A string id is what a route param looks like once it came from a URL.
    expect(buildHttpRequest('jobs.get', { id: '1/2' as unknown as number }).url).toBe('/api/v1/jobs/1%2F2');
  });

  it('refuses a missing path param instead of requesting /undefined', () => {
    expect(() => buildHttpRequest('jobs.get', {} as { id: number })).toThrow(ClientError);
  });
});

describe('toQueryString', () => {
  it('encodes values and repeats array keys', () => {
    expect(toQueryString({ q: 'a b&c', tag: ['x', 'y'], none: undefined, nil: null, n: 0, f: false })).toBe(
      'q=a+b%26c&tag=x&tag=y&n=0&f=false',
    );
  });
});

describe('buildDownloadUrl', () => {
  it('puts the export filters in the query string, repeating arrays', () => {
    expect(buildDownloadUrl('logs.export', { jobId: 3, level: ['warn', 'error'], format: 'text', gzip: true })).toBe(
      '/api/v1/logs/export?jobId=3&level=warn&level=error&format=text&gzip=true',
    );
  });
});
