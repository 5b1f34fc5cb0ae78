import { logLevels, type LogLevel } from '../../../shared/model';
import { parseSourceKey, sourceFilter } from '../log/source-ref';
import { isTimePreset, resolveTimeRange, type TimeRange } from './time-range';

/** The Logs page's search form; it lives in the URL so a search can be linked and reloaded. */
export interface LogSearch {
  /** Words (full-text, FTS5 syntax) or, with `regex`, a regular expression. */
  text: string;
  regex: boolean;
  /** Empty: every level. */
  levels: LogLevel[];
  /** Service names (a template's name, or an attached container's): any of them; empty for all. */
  services: string[];
  /** One job or container (`job:12`, `container:…`), or all. */
  source: string | null;
  range: TimeRange;
}

export const emptySearch: LogSearch = {
  text: '',
  regex: false,
  levels: [],
  services: [],
  source: null,
  range: { preset: 'all', from: '', to: '' },
};

export function searchFromQuery(query: string): LogSearch {
  const params = new URLSearchParams(query);
  const preset = params.get('range') ?? 'all';
  const source = params.get('source');
  return {
    text: params.get('q') ?? '',
    regex: params.get('regex') === '1',
    levels: logLevels.filter((level) => params.getAll('level').includes(level)),
    services: [...new Set(params.getAll('service').filter(Boolean))],
    source: source && parseSourceKey(source) ? source : null,
    range: { preset: isTimePreset(preset) ? preset : 'all', from: params.get('from') ?? '', to: params.get('to') ?? '' },
  };
}

/** The form as a query string, leaving defaults out. */
export function searchToQuery(search: LogSearch): string {
  const params = new URLSearchParams();
  if (search.text.trim()) params.set('q', search.text.trim());
  if (search.regex) params.set('regex', '1');
  for (const level of search.levels) params.append('level', level);
  for (const service of search.services) params.append('service', service);
  if (search.source) params.set('source', search.source);
  if (search.range.preset !== 'all') params.set('range', search.range.preset);
  if (search.range.preset === 'custom') {
    if (search.range.from.trim()) params.set('from', search.range.from.trim());
    if (search.range.to.trim()) params.set('to', search.range.to.trim());
  }
  return params.toString();
}

/** The filters of a `logs.query`, `logs.count` or `logs.export` request. */
export interface LogFilterInput {
  q?: string;
  regex?: string;
  level?: LogLevel[];
  serviceName?: string[];
  jobId?: number;
  containerId?: string;
  since?: number;
  until?: number;
}

/** The request filters for a search at `now`, or what is wrong with the form. */
export function searchFilter(search: LogSearch, now: number): { filter: LogFilterInput } | { error: string } {
  const filter: LogFilterInput = {};
  const text = search.text.trim();
  if (text) {
    if (search.regex) filter.regex = text;
    else filter.q = text;
  }
  if (search.levels.length > 0 && search.levels.length < logLevels.length) filter.level = [...search.levels];
  if (search.services.length > 0) filter.serviceName = [...search.services];
  const source = search.source ? parseSourceKey(search.source) : null;
  if (source) Object.assign(filter, sourceFilter(source));
  const range = resolveTimeRange(search.range, now);
  if ('error' in range) return { error: range.error };
  Object.assign(filter, range);
  if (filter.regex) {
    try {
      const { pattern, flags } = regexParts(filter.regex);
      new RegExp(pattern, flags);
    } catch (err) {
      return { error: `Not a valid regular expression: ${(err as Error).message}` };
    }
    if (!filter.serviceName && !source && filter.since === undefined) {
      return { error: 'A regular expression runs over every line it may match: pick a service or a time range first.' };
    }
  }
  return { filter };
}

/** A leading `(?i)` makes a pattern case-insensitive, as the server reads it. */
export function regexParts(source: string): { pattern: string; flags: string } {
  return source.startsWith('(?i)') ? { pattern: source.slice(4), flags: 'i' } : { pattern: source, flags: '' };
}

/** True when the search narrows anything: otherwise it lists the newest lines of every source. */
export function isFiltered(search: LogSearch): boolean {
  return searchToQuery({ ...search, regex: false }) !== '';
}
