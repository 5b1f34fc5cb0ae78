import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertJobs, tempStore, type TempStore } from '../../../../test/support/temp-store';
import { JobRepository } from '../store/job-repository';
import { csvField, exportJobs } from './job-export';

let store: TempStore;
let jobs: JobRepository;

async function text(body: AsyncIterable<string | Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of body) out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return out;
}

const filter = { sort: 'created', order: 'desc' } as const;

beforeEach(() => {
  store = tempStore();
  jobs = new JobRepository(store.db);
});
afterEach(() => store.dispose());

describe('jobs export', () => {
  it('quotes CSV fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
  });

  it('writes every page of the filtered list, in list order, as CSV and as NDJSON', async () => {
    const ids = insertJobs(store.db, 1001);
    jobs.update(ids[5]!, { status: 'failed', error: 'pull failed: "busybox", no such image\nreally', hostId: 1, startedAt: 10, finishedAt: 20, exitCode: 3 });
    const csv = await text(exportJobs(jobs, filter, 'csv', () => 'local').body);
    const records = csv.split('\r\n');
    expect(records[0]).toBe('id,template,status,trigger,attempt,retryOf,host,exitCode,error,createdAt,startedAt,finishedAt,waitMs,runMs');
    expect(records.at(-1)).toBe('');
    // Newest first, no gaps or repeats across pages; the quoted error spans a line break inside its record.
    const body = csv.slice(csv.indexOf('\r\n') + 2);
    const rowIds = body.split('\r\n').filter(Boolean).map((r) => Number(r.split(',')[0]));
    expect(rowIds).toEqual([...ids].reverse());
    const failed = body.split('\r\n').find((r) => r.startsWith(`${ids[5]},`))!;
    expect(failed).toBe(
      `${ids[5]},t,failed,api,1,,local,3,"pull failed: ""busybox"", no such image\nreally",1970-01-01T00:00:00.001Z,1970-01-01T00:00:00.010Z,1970-01-01T00:00:00.020Z,9,10`,
    );

    const ndjson = await text(exportJobs(jobs, { ...filter, status: ['failed'] }, 'ndjson', () => 'local').body);
    const lines = ndjson.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((j) => j.id)).toEqual([ids[5]]);
    expect(lines[0]).not.toHaveProperty('wantHostId');
    expect(lines[0]).toMatchObject({ status: 'failed', exitCode: 3, templateName: 't' });
  });
});
