import { describe, expect, it } from 'vitest';
import { emptySearch, isFiltered, searchFilter, searchFromQuery, searchToQuery, type LogSearch } from './log-search';

const now = 1_800_000_000_000;

describe('search form in the URL', () => {
  it('leaves defaults out', () => {
    expect(searchToQuery(emptySearch)).toBe('');
    expect(searchFromQuery('')).toEqual(emptySearch);
    expect(isFiltered(emptySearch)).toBe(false);
  });

  it('round-trips every field', () => {
    const search: LogSearch = {
      text: 'needle "in hay"',
      regex: false,
      levels: ['warn', 'error'],
      services: ['web', 'db'],
      source: 'job:12',
      range: { preset: 'custom', from: '2h', to: 'now' },
    };
    const query = searchToQuery(search);
    expect(searchFromQuery(query)).toEqual(search);
    expect(isFiltered(search)).toBe(true);
  });

  it('ignores what it does not know', () => {
    expect(searchFromQuery('level=loud&range=forever&source=pod:1')).toEqual(emptySearch);
  });
});

describe('searchFilter', () => {
  it('builds the request filters', () => {
    const search: LogSearch = { ...emptySearch, text: ' needle ', levels: ['error'], services: ['web'], range: { preset: '1h', from: '', to: '' } };
    expect(searchFilter(search, now)).toEqual({
      filter: { q: 'needle', level: ['error'], serviceName: ['web'], since: now - 3_600_000 },
    });
  });

  it('leaves out a level filter that lets every level through', () => {
    expect(searchFilter({ ...emptySearch, levels: ['debug', 'info', 'warn', 'error'] }, now)).toEqual({ filter: {} });
  });

  it('narrows to one job or container', () => {
    expect(searchFilter({ ...emptySearch, source: 'job:3' }, now)).toEqual({ filter: { jobId: 3 } });
    expect(searchFilter({ ...emptySearch, source: 'container:abcdef012345' }, now)).toEqual({ filter: { containerId: 'abcdef012345' } });
  });

  it('sends a regex as such, but only with something that narrows it', () => {
    expect(searchFilter({ ...emptySearch, text: 'a.+b', regex: true }, now)).toEqual({ error: expect.stringContaining('pick a service') });
    expect(searchFilter({ ...emptySearch, text: 'a.+b', regex: true, source: 'job:1' }, now)).toEqual({ filter: { regex: 'a.+b', jobId: 1 } });
    expect(searchFilter({ ...emptySearch, text: '(?i)a(', regex: true, source: 'job:1' }, now)).toEqual({
      error: expect.stringContaining('Not a valid regular expression'),
    });
  });

  it('passes time range errors on', () => {
    expect(searchFilter({ ...emptySearch, range: { preset: 'custom', from: 'later', to: '' } }, now)).toEqual({
      error: expect.stringMatching(/^From: /),
    });
  });
});
