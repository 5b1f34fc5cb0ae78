import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogQuery } from '../../../shared/contract';
import { logLevels, logSources, type LogEntry } from '../../../shared/model';
import { seededPrng } from '../../../../test/support/prng';
import { tempStore, type TempStore } from '../../../../test/support/temp-store';
import { Stream, levelCode, sourceCode, type PendingLine, type StoredLine } from '../logs/log-codes';
import { JobRepository } from './job-repository';
import { LogRepository, type LogFilter } from './log-repository';
import { LogWriter } from './log-writer';
import { TemplateRepository } from './template-repository';

interface JobFixture {
  id: number;
  templateId: number;
  templateName: string;
  containerId: string;
}

let store: TempStore;
let repo: LogRepository;
/** Jobs with a container. */
let jobs: JobFixture[];
/** Those and one job that never got a container. */
let allJobs: (Omit<JobFixture, 'containerId'> & { containerId: string | null })[];
/** Every stored line, in id order: the reference the repository's answers are checked against. */
let stored: StoredLine[];

const hex64 = (seed: string) => seed.repeat(64).slice(0, 64);

beforeAll(() => {
  store = tempStore();
  const templates = new TemplateRepository(store.db);
  const jobRepo = new JobRepository(store.db);
  const alpha = templates.insert({ name: 'alpha', image: 'img', command: [], env: {}, createdAt: 1 });
  const beta = templates.insert({ name: 'beta', image: 'img', command: [], env: {}, createdAt: 1 });
  // Two containers share a 12-character prefix with nothing else; the third differs early.
  const specs = [
    { template: alpha, containerId: hex64('a1b2c3d4e5f6') },
    { template: alpha, containerId: hex64('0f9e8d7c6b5a') },
    { template: beta, containerId: hex64('a1b2c3d4e5f7') },
  ];
  jobs = specs.map(({ template, containerId }) => {
    const job = jobRepo.insert(template.id, 1, 1);
    jobRepo.update(job.id, { containerId });
    return { id: job.id, templateId: template.id, templateName: template.name, containerId };
  });
  const bare = jobRepo.insert(beta.id, 1, 1);
  allJobs = [...jobs, { id: bare.id, templateId: beta.id, templateName: beta.name, containerId: null }];

  const rng = seededPrng(7);
  const lines: PendingLine[] = [];
  for (let i = 0; i < 600; i++) {
    const jobId = rng.pick([...jobs.map((j) => j.id), bare.id, null]);
    const source = jobId === null ? 'system' : rng.pick(logSources);
    const stream = source === 'container' ? rng.pick([Stream.Stdout, Stream.Stderr]) : Stream.None;
    lines.push({
      // Timestamps mostly rise but not strictly with id, as lines of different jobs do.
      ts: 1_000_000 + i * 10 + rng.int(-30, 30),
      jobId,
      stream,
      level: levelCode(rng.pick(logLevels)),
      source: sourceCode(source),
      message: `line ${i} of ${jobId ?? 'berth'}`,
    });
  }
  const writer = new LogWriter(store.db);
  stored = [];
  // Several transactions, as ingest writes them.
  for (let off = 0; off < lines.length; off += 97) stored.push(...writer.write(lines.slice(off, off + 97)));
  repo = new LogRepository(store.db);
});

afterAll(() => store.dispose());

/** What a filter should select, computed the slow, obvious way. */
function reference(f: LogFilter): StoredLine[] {
  const byContainer = f.containerId === undefined ? undefined : jobs.find((j) => j.containerId.startsWith(f.containerId!.toLowerCase()));
  return stored.filter((l) => {
    const job = allJobs.find((j) => j.id === l.jobId);
    if (f.containerId !== undefined && (!byContainer || l.jobId !== byContainer.id)) return false;
    if (f.jobId !== undefined && l.jobId !== f.jobId) return false;
    if (f.serviceId !== undefined && job?.templateId !== f.serviceId) return false;
    if (f.serviceName !== undefined && job?.templateName !== f.serviceName) return false;
    if (f.level !== undefined && l.level !== levelCode(f.level)) return false;
    if (f.sourceType !== undefined && l.source !== sourceCode(f.sourceType)) return false;
    if (f.since !== undefined && l.ts < f.since) return false;
    if (f.until !== undefined && l.ts >= f.until) return false;
    return true;
  });
}

const ids = (lines: readonly { id: number }[]) => lines.map((l) => l.id);
const q = (query: Partial<LogQuery>): LogEntry[] => repo.query({ limit: 100_000, ...query });

describe('LogRepository.query paging', () => {
  it('answers the newest N lines, oldest first, by default', () => {
    const job = jobs[0]!.id;
    const all = ids(reference({ jobId: job }));
    expect(all.length).toBeGreaterThan(50);
    expect(ids(q({ jobId: job, limit: 10 }))).toEqual(all.slice(-10));
    expect(ids(q({ limit: 7 }))).toEqual(ids(stored).slice(-7));
    expect(ids(q({ jobId: job }))).toEqual(all);
  });

  it('pages forward from afterId, oldest first, and reaches the end exactly', () => {
    const job = jobs[1]!.id;
    const all = ids(reference({ jobId: job }));
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = ids(q({ jobId: job, afterId: after, limit: 13 }));
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(13);
      seen.push(...page);
      after = page[page.length - 1]!;
    }
    expect(seen).toEqual(all);
    // From the middle: the next ones after that id, not the newest ones.
    const mid = all[20]!;
    expect(ids(q({ jobId: job, afterId: mid, limit: 5 }))).toEqual(all.slice(21, 26));
  });

  it('pages back from beforeId, each page oldest first, and reaches the start exactly', () => {
    const job = jobs[2]!.id;
    const all = ids(reference({ jobId: job }));
    const pages: number[][] = [];
    let page = ids(q({ jobId: job, limit: 11 }));
    while (page.length > 0) {
      pages.unshift(page);
      expect(page).toEqual([...page].sort((a, b) => a - b));
      page = ids(q({ jobId: job, beforeId: page[0]!, limit: 11 }));
    }
    expect(pages.flat()).toEqual(all);
    const mid = all[30]!;
    expect(ids(q({ jobId: job, beforeId: mid, limit: 4 }))).toEqual(all.slice(26, 30));
  });

  it('combines afterId and beforeId into a window', () => {
    const all = ids(stored);
    expect(ids(q({ afterId: all[100]!, beforeId: all[110]!, limit: 100 }))).toEqual(all.slice(101, 110));
    expect(ids(q({ afterId: all[100]!, beforeId: all[110]!, limit: 3 }))).toEqual(all.slice(101, 104));
  });
});

describe('LogRepository filters', () => {
  // Functions: the fixture is built in beforeAll, after this table is declared.
  const j0 = () => jobs[0]!;
  const j1 = () => jobs[1]!;
  const j2 = () => jobs[2]!;

  const cases: [string, () => LogFilter][] = [
    ['jobId', () => ({ jobId: j1().id })],
    ['full containerId', () => ({ containerId: j0().containerId })],
    ['12-character containerId prefix', () => ({ containerId: j2().containerId.slice(0, 12) })],
    ['longer upper-case containerId prefix', () => ({ containerId: j1().containerId.slice(0, 20).toUpperCase() })],
    ['containerId with its own jobId', () => ({ containerId: j0().containerId, jobId: j0().id })],
    ['level', () => ({ level: 'warn' })],
    ['sourceType container', () => ({ sourceType: 'container' })],
    ['sourceType manager', () => ({ sourceType: 'manager' })],
    ['since', () => ({ since: stored[300]!.ts })],
    ['until', () => ({ until: stored[200]!.ts })],
    ['since and until', () => ({ since: stored[100]!.ts, until: stored[150]!.ts })],
    ['serviceId', () => ({ serviceId: j0().templateId })],
    ['serviceName', () => ({ serviceName: 'beta' })],
    ['several at once', () => ({ serviceName: 'alpha', level: 'error', sourceType: 'container', since: stored[50]!.ts })],
  ];

  for (const [name, filter] of cases) {
    it(`filters by ${name}`, () => {
      const f = filter();
      const expected = ids(reference(f));
      expect(expected.length, 'the fixture should give this filter something to find').toBeGreaterThan(0);
      expect(expected.length, 'the filter should leave something out').toBeLessThan(stored.length);
      expect(ids(q(f))).toEqual(expected);
      expect(repo.count(f)).toBe(expected.length);
    });
  }

  it('finds nothing for an unknown container, a container of another job, or an unknown service', () => {
    for (const f of [
      { containerId: 'ffffffffffff' },
      { containerId: j0().containerId, jobId: j1().id },
      // Shorter than the 12 characters the Docker CLI asks for: not taken as a prefix.
      { containerId: j1().containerId.slice(0, 11) },
      { serviceName: 'nobody' },
      { serviceId: 999 },
    ] satisfies LogFilter[]) {
      expect(q(f), JSON.stringify(f)).toEqual([]);
      expect(repo.count(f)).toBe(0);
    }
  });

  it('refuses a container prefix that names more than one container', () => {
    // j0 and j2 share 'a1b2c3d4e5f' and differ at the 12th character; both of them repeat it.
    expect(() => q({ containerId: 'a1b2c3d4e5f' })).not.toThrow();
    const jobRepo = new JobRepository(store.db);
    const twin = jobRepo.insert(jobs[0]!.templateId, 1, 1);
    jobRepo.update(twin.id, { containerId: `${j0().containerId.slice(0, 20)}${'0'.repeat(44)}` });
    try {
      expect(() => q({ containerId: j0().containerId.slice(0, 16) })).toThrow(/more than one container/);
      expect(q({ containerId: j0().containerId }).length).toBeGreaterThan(0);
    } finally {
      jobRepo.update(twin.id, { containerId: null });
    }
  });

  it('answers lines in the reference shape, with the job’s template as the service', () => {
    const job = j1();
    const entries = q({ jobId: job.id });
    const byId = new Map(stored.map((l) => [l.id, l]));
    for (const e of entries) {
      const line = byId.get(e.id)!;
      const isSystem = line.source !== sourceCode('container');
      expect(e).toEqual({
        id: line.id,
        message: line.message,
        timestamp: line.ts,
        level: logLevels[line.level],
        source: { type: logSources[line.source], name: isSystem ? 'berth' : job.templateName },
        serviceId: job.templateId,
        serviceName: job.templateName,
        containerId: job.containerId,
        jobId: job.id,
        isStdErr: line.stream === Stream.Stderr,
        isSystem,
      });
    }
    const own = q({ sourceType: 'system' }).filter((e) => e.jobId === null);
    expect(own.length).toBeGreaterThan(0);
    for (const e of own) expect(e).toMatchObject({ serviceId: null, serviceName: null, containerId: null, isSystem: true });
  });

  it('knows the last stored id of each job', () => {
    for (const job of jobs) expect(repo.lastIdOf(job.id)).toBe(ids(reference({ jobId: job.id })).at(-1));
    expect(repo.lastIdOf(12345)).toBe(0);
  });
});
