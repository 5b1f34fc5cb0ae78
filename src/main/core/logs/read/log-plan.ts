/**
 * Planning a read: which index serves which candidates, over which id ranges.
 *
 * The store's counters say, before touching a line, how many lines of each kind and level every
 * source holds (log_counts), where its lines lie (log_sources.first_id..last_id) and, through its
 * blocks, which id ranges a time window covers. For each source (or for everything, without a
 * source filter) the plan picks the access path holding the fewest entries that still contain
 * every match: all of a source's lines (logs_by_source), Berth's lines about it
 * (logs_berth_by_source), its warnings or errors (logs_notable_by_source), every warning or
 * error (logs_notable), or the table itself in id order. Fewest entries means the densest path,
 * so the fewest rows are read per match; sources with no matching line are never read.
 */
import type { Db } from '../../store/database';
import type { Access, Filters } from './log-sql';
import type { StreamSpec } from './log-scan';
import { sourceStats, totalCounts, type SourceStats } from './log-sources';
import { clipRanges, globalTimeRanges, sourceTimeRanges, timeRangesBySource, unionRanges, type IdRange, type SourceWindow } from './time-ranges';

export interface PlanInput {
  filters: Filters;
  /** Ids lo..hi (after afterId / before beforeId). */
  lo: number;
  hi: number;
  /**
   * With a search, the plan also says where to search (`searchRanges`); its streams then say
   * which of the search's hits are candidates.
   */
  search: boolean;
  /**
   * A count of a time window (without a search) goes per source, so that sources and blocks
   * wholly inside the window are counted from their counters, not line by line.
   */
  purpose: 'rows' | 'count';
}

export interface Plan {
  /** Together they hold every candidate, each exactly once. */
  streams: StreamSpec[];
  /** With a search: where to look, in id order. */
  searchRanges: IdRange[];
}

const noPlan: Plan = { streams: [], searchRanges: [] };
const notable = [2, 3];
const berthKinds = [1, 2];
const allLevels = [0, 1, 2, 3];
const allKinds = [0, 1, 2];

const subsetOf = (values: readonly number[] | null, of: readonly number[]) => values !== null && values.every((v) => of.includes(v));
const sum = (lines: number[][], kinds: readonly number[], levels: readonly number[]) =>
  kinds.reduce((n, k) => n + levels.reduce((m, l) => m + (lines[k]?.[l] ?? 0), 0), 0);

export function planRead(db: Db, input: PlanInput): Plan {
  const { filters: f, lo, hi } = input;
  if (lo > hi || (f.sources !== null && f.sources.length === 0)) return noPlan;
  const levels = f.levels ?? allLevels;
  const kinds = f.kinds ?? allKinds;
  const plan =
    f.sources === null && !(input.purpose === 'count' && f.window && !input.search)
      ? planEverything(db, input, levels, kinds)
      : planPerSource(db, input, levels, kinds);
  if (!input.search) return plan;
  return { streams: plan.streams, searchRanges: unionRanges(plan.streams.flatMap((s) => s.ranges)) };
}

/** No source filter: the table, every warning or error, or Berth's lines per source. */
function planEverything(db: Db, input: PlanInput, levels: readonly number[], kinds: readonly number[]): Plan {
  const w = input.filters.window;
  const whole = (): IdRange[] => clipRanges(w ? globalTimeRanges(db, w) : [{ lo: input.lo, hi: input.hi, exact: true }], input.lo, input.hi);
  if (input.filters.levels === null && input.filters.kinds === null) {
    // Every line is a candidate: the table it is, no counters needed.
    const ranges = whole();
    if (ranges.length === 0) return noPlan;
    const span = ranges[ranges.length - 1]!.hi - ranges[0]!.lo + 1;
    return { streams: [{ access: { type: 'table' }, ranges, entries: span, span }], searchRanges: [] };
  }
  const totals = totalCounts(db);
  if (sum(totals, kinds, levels) === 0) return noPlan;
  const table = sum(totals, allKinds, allLevels);
  const byLevel = subsetOf(input.filters.levels, notable) ? sum(totals, allKinds, levels) : Infinity;
  const berth = subsetOf(input.filters.kinds, berthKinds) ? sum(totals, berthKinds, allLevels) : Infinity;
  if (berth < Math.min(table, byLevel)) return planPerSource(db, input, levels, kinds);
  const ranges = whole();
  if (ranges.length === 0) return noPlan;
  const span = ranges[ranges.length - 1]!.hi - ranges[0]!.lo + 1;
  if (byLevel <= table) {
    return {
      streams: levels
        .filter((level) => sum(totals, kinds, [level]) > 0)
        .map((level) => ({ access: { type: 'level', level }, ranges, entries: sum(totals, allKinds, [level]), span })),
      searchRanges: [],
    };
  }
  return { streams: [{ access: { type: 'table' }, ranges, entries: table, span }], searchRanges: [] };
}

/** Per source, each read through the path holding the fewest entries. */
function planPerSource(db: Db, input: PlanInput, levels: readonly number[], kinds: readonly number[]): Plan {
  const f = input.filters;
  const w = f.window;
  let stats: SourceStats[];
  let windowOf: (s: SourceStats) => SourceWindow;
  if (w && f.sources === null) {
    // Every source with a block in the window (and only those).
    const bySource = timeRangesBySource(db, w);
    stats = sourceStats(db, [...bySource.keys()]);
    windowOf = (s) => bySource.get(s.id) ?? { ranges: [], whole: false };
  } else {
    stats = sourceStats(db, f.sources);
    windowOf = w ? (s) => sourceTimeRanges(db, s.id, w) : (s) => ({ ranges: [{ lo: s.firstId, hi: s.lastId, exact: true }], whole: true });
  }
  const streams: StreamSpec[] = [];
  for (const s of stats) {
    if (sum(s.lines, kinds, levels) === 0) continue;
    const sw = windowOf(s);
    const r = clipRanges(sw.ranges, input.lo, input.hi);
    if (r.length === 0) continue;
    // A source wholly inside the window (and the bounds) is counted by its counters.
    const whole = sw.whole && input.lo <= s.firstId && input.hi >= s.lastId;
    const span = s.lastId - s.firstId + 1;
    const all = sum(s.lines, allKinds, allLevels);
    const berth = subsetOf(f.kinds, berthKinds) ? sum(s.lines, berthKinds, allLevels) : Infinity;
    const byLevel = subsetOf(f.levels, notable) ? sum(s.lines, allKinds, levels) : Infinity;
    const stream = (access: Access, entries: number, matching: number): StreamSpec => ({
      access,
      ranges: r,
      entries,
      span,
      ...(whole ? { matching } : {}),
    });
    if (byLevel <= Math.min(all, berth)) {
      for (const level of levels) {
        const matching = sum(s.lines, kinds, [level]);
        if (matching > 0) streams.push(stream({ type: 'source-level', source: s.id, level }, sum(s.lines, allKinds, [level]), matching));
      }
    } else if (berth < all) {
      streams.push(stream({ type: 'berth', source: s.id }, berth, sum(s.lines, kinds, levels)));
    } else {
      streams.push(stream({ type: 'source', source: s.id }, all, sum(s.lines, kinds, levels)));
    }
  }
  return { streams, searchRanges: [] };
}
