import type { PendingLine, StoredLine } from '../logs/log-codes';
import type { Db } from './database';

/** Rows per INSERT statement: one statement for many rows costs far less per row than one each. */
const rowsPerStatement = 64;
const columns = 6;

/**
 * The only code that inserts log lines: one transaction per batch, multi-row statements.
 * Lines are stored in order and get consecutive ids (one writer, a rowid table), so each
 * statement's ids follow from its last one and the lines are marked in place, without a copy.
 */
export class LogWriter {
  private readonly insertFull;
  private readonly insertRest = new Map<number, ReturnType<Db['prepare']>>();
  private readonly params: unknown[] = new Array(rowsPerStatement * columns);
  private readonly writeAll;

  constructor(private readonly db: Db) {
    this.insertFull = this.statement(rowsPerStatement);
    this.writeAll = db.transaction((lines: PendingLine[]) => {
      for (let start = 0; start < lines.length; start += rowsPerStatement) {
        const n = Math.min(rowsPerStatement, lines.length - start);
        const params = n === rowsPerStatement ? this.params : new Array(n * columns);
        for (let i = 0, p = 0; i < n; i++) {
          const l = lines[start + i]!;
          params[p++] = l.ts;
          params[p++] = l.jobId;
          params[p++] = l.stream;
          params[p++] = l.level;
          params[p++] = l.source;
          params[p++] = l.message;
        }
        const info = (n === rowsPerStatement ? this.insertFull : this.rest(n)).run(params);
        if (info.changes !== n) throw new Error(`stored ${info.changes} of ${n} log lines`);
        const first = Number(info.lastInsertRowid) - n + 1;
        for (let i = 0; i < n; i++) (lines[start + i] as StoredLine).id = first + i;
      }
    });
  }

  /** Stores the lines and returns them, each now carrying its id. */
  write(lines: PendingLine[]): StoredLine[] {
    if (lines.length > 0) this.writeAll(lines);
    return lines as StoredLine[];
  }

  private rest(n: number) {
    let stmt = this.insertRest.get(n);
    if (!stmt) {
      stmt = this.statement(n);
      this.insertRest.set(n, stmt);
    }
    return stmt;
  }

  private statement(rows: number) {
    const values = new Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ');
    return this.db.prepare(`INSERT INTO logs (ts, job_id, stream, level, source, message) VALUES ${values}`);
  }
}
