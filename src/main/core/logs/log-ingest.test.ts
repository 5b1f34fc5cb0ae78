// The main thread's side of the writer, with the real worker on a real SQLite file: backpressure
// on a fast source, and lines stored once whatever the chunking.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertJobs, tempStore, type TempStore } from '../../../../test/support/temp-store';
import { JobRepository } from '../store/job-repository';
import { LogSourceRepository } from '../store/log-source-repository';
import { TemplateRepository } from '../store/template-repository';
import { LogIngest } from './log-ingest';

let store: TempStore;
let ingest: LogIngest;
let sourceId: number;
const errors: string[] = [];

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

beforeEach(() => {
  store = tempStore();
  const [jobId] = insertJobs(store.db, 1);
  sourceId = new LogSourceRepository(store.db).ofJob(jobId!)!.id;
  errors.length = 0;
  ingest = new LogIngest({ file: store.file, onLive: () => undefined, onError: (m) => errors.push(m), sourceHighWater: 64 * 1024, totalHighWater: 1024 * 1024 });
});

afterEach(async () => {
  await ingest.close();
  store.dispose();
});

describe('LogIngest', () => {
  it('asks a fast source to pause once its unstored bytes pass the high-water mark, and lets it go on once they are stored', async () => {
    await ingest.open(sourceId, 'attach');
    const line = `${'x'.repeat(99)}\n`;
    const chunk = () => frame(line.repeat(160)); // 16 kB
    // Written in one go, faster than any acknowledgement can come back.
    const answers = Array.from({ length: 8 }, () => ingest.write(sourceId, chunk()));
    expect(answers.slice(0, 3)).toEqual([true, true, true]);
    expect(answers.slice(4)).toEqual([false, false, false, false]);
    await new Promise<void>((resolve) => ingest.onDrain(sourceId, resolve));
    await ingest.end(sourceId);
    expect(store.db.prepare('SELECT lines FROM log_sources WHERE id = ?').pluck().get(sourceId)).toBe(8 * 160);
    expect(errors).toEqual([]);
  });

  it('stores every line once whether a socket chunk owns its buffer or is a slice of a bigger one', async () => {
    await ingest.open(sourceId, 'attach');
    const all = Buffer.concat(Array.from({ length: 100 }, (_, i) => frame(`line ${i}\n`)));
    // A slice sharing its buffer with the rest must be copied, not moved.
    ingest.write(sourceId, all.subarray(0, 500));
    ingest.write(sourceId, all.subarray(500));
    await ingest.end(sourceId);
    const messages = store.db.prepare('SELECT message FROM logs WHERE source_id = ? ORDER BY id').pluck().all(sourceId);
    expect(messages).toEqual(Array.from({ length: 100 }, (_, i) => `line ${i}`));
  });
});
