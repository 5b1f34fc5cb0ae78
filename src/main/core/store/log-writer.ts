import type { PendingLine, StoredLine } from '../logs/log-codes';
import type { Db } from './database';

/** The only code that inserts log lines: one transaction per batch. */
export class LogWriter {
  private readonly insertOne;
  private readonly insertMany;

  constructor(db: Db) {
    this.insertOne = db.prepare<[number, number | null, number, number, number, string]>(
      'INSERT INTO logs (ts, job_id, stream, level, source, message) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertMany = db.transaction((lines: readonly PendingLine[], out: StoredLine[]) => {
      for (const l of lines) {
        const { lastInsertRowid } = this.insertOne.run(l.ts, l.jobId, l.stream, l.level, l.source, l.message);
        out.push({ ...l, id: Number(lastInsertRowid) });
      }
    });
  }

  write(lines: readonly PendingLine[]): StoredLine[] {
    const out: StoredLine[] = [];
    if (lines.length > 0) this.insertMany(lines, out);
    return out;
  }
}
