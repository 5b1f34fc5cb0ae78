/**
 * Fills the full-text index behind the raw insert, in chunks: indexing costs more than storing
 * (the brief measured a per-row trigger at 45k rows/s), so it never sits in the insert's path.
 * `meta.fts_indexed_id` is the id up to which every stored line is indexed; it moves in the same
 * transaction as the entries it covers, so a crash neither loses nor repeats any.
 *
 * Entries go into the newest search segment (store/search-segments.ts); once it holds its share
 * of lines the next one is created, in the same transaction. Retention drops old segments.
 */
import type { Db } from '../../store/database';
import { createSegmentSql, segmentLines, segmentTable, type SearchSegment } from '../../store/search-segments';
import { stripAnsi } from '../ansi';

const rowsPerStatement = 64;

interface Row {
  id: number;
  message: string;
}

export class FtsIndexer {
  private indexed: number;
  private open: SearchSegment | null;
  private linesPerSegment = segmentLines(2 * 1024 ** 3);
  /** State before an `indexWithin`, until its transaction ends. */
  private saved: { indexed: number; open: SearchSegment | null } | null = null;
  private inserts = new Map<number, ReturnType<Db['prepare']>>();
  private readonly selectAfter;
  private readonly saveMark;
  private readonly addSegment;
  private readonly growSegment;
  private readonly indexAll;

  constructor(private readonly db: Db) {
    const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'fts_indexed_id'").get();
    this.indexed = Number(row?.value ?? 0);
    const newest = db
      .prepare<[], { id: number; first_id: number; last_id: number; lines: number }>('SELECT * FROM log_search_segments ORDER BY id DESC LIMIT 1')
      .get();
    this.open = newest ? { id: newest.id, firstId: newest.first_id, lastId: newest.last_id, lines: newest.lines } : null;
    this.selectAfter = db.prepare<[number, number], Row>('SELECT id, message FROM logs WHERE id > ? ORDER BY id LIMIT ?');
    this.saveMark = db.prepare("UPDATE meta SET value = ? WHERE key = 'fts_indexed_id'");
    this.addSegment = db.prepare('INSERT INTO log_search_segments (id, first_id, last_id, lines) VALUES (?, ?, ?, 0)');
    this.growSegment = db.prepare('UPDATE log_search_segments SET last_id = ?, lines = ? WHERE id = ?');
    this.indexAll = db.transaction((rows: Row[]) => this.index(rows)).immediate as unknown as (rows: Row[]) => void;
  }

  /** Every stored line with an id up to this is searchable. */
  get indexedId(): number {
    return this.indexed;
  }

  /** Segments are sized from the store's budget. */
  setBudget(maxBytes: number): void {
    this.linesPerSegment = segmentLines(maxBytes);
  }

  /**
   * Indexes up to `maxRows` lines above the mark, in one transaction; returns how many. Ids of
   * lines deleted before they were indexed are simply not found.
   */
  indexChunk(maxRows: number): number {
    const rows = this.selectAfter.all(this.indexed, maxRows);
    if (rows.length === 0) return 0;
    const before = this.open && { ...this.open };
    try {
      this.indexAll(rows);
    } catch (err) {
      this.open = before;
      this.inserts.clear();
      throw err;
    }
    this.indexed = rows[rows.length - 1]!.id;
    return rows.length;
  }

  /**
   * Indexes lines just stored, inside the caller's transaction, when the index has caught up
   * with them (the common case): no read back, no second transaction. A lagging index leaves
   * them to `indexChunk`. If the transaction fails, call `rollback`.
   */
  indexWithin(lines: readonly Row[]): void {
    if (lines.length === 0 || lines[0]!.id !== this.indexed + 1) return;
    this.saved = { indexed: this.indexed, open: this.open && { ...this.open } };
    this.index(lines);
    this.indexed = lines[lines.length - 1]!.id;
  }

  /** The transaction `indexWithin` ran in was rolled back. */
  rollback(): void {
    if (!this.saved) return;
    this.indexed = this.saved.indexed;
    this.open = this.saved.open;
    this.inserts.clear();
    this.saved = null;
  }

  /** The transaction `indexWithin` ran in was committed. */
  committed(): void {
    this.saved = null;
  }

  /** Lines up to `id` are gone: nothing below it is left to index. */
  skipTo(id: number): void {
    if (id <= this.indexed) return;
    this.saveMark.run(String(id));
    this.indexed = id;
  }

  private index(rows: readonly Row[]): void {
    let start = 0;
    while (start < rows.length) {
      const segment = this.segmentFor(rows[start]!.id);
      const room = Math.max(1, this.linesPerSegment - segment.lines);
      const part = rows.slice(start, start + room);
      this.insert(segment.id, part);
      segment.lines += part.length;
      segment.lastId = part[part.length - 1]!.id;
      this.growSegment.run(segment.lastId, segment.lines, segment.id);
      start += part.length;
    }
    this.saveMark.run(String(rows[rows.length - 1]!.id));
  }

  /** The open segment, or a new one when it is full (or none exists yet). */
  private segmentFor(firstId: number): SearchSegment {
    if (this.open && this.open.lines < this.linesPerSegment) return this.open;
    const id = (this.open?.id ?? 0) + 1;
    this.db.exec(createSegmentSql(id));
    this.addSegment.run(id, firstId, firstId);
    this.open = { id, firstId, lastId: firstId, lines: 0 };
    return this.open;
  }

  private insert(segmentId: number, rows: readonly Row[]): void {
    const params: unknown[] = [];
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const n = Math.min(rowsPerStatement, rows.length - start);
      params.length = 0;
      for (let i = 0; i < n; i++) {
        const row = rows[start + i]!;
        params.push(row.id, stripAnsi(row.message));
      }
      this.statement(segmentId, n).run(params);
    }
  }

  private statement(segmentId: number, rows: number) {
    const key = segmentId * 1000 + rows;
    let stmt = this.inserts.get(key);
    if (!stmt) {
      // Statements of older segments are not needed again.
      if (this.inserts.size > 0 && Math.floor([...this.inserts.keys()][0]! / 1000) !== segmentId) this.inserts.clear();
      stmt = this.db.prepare(`INSERT INTO ${segmentTable(segmentId)} (rowid, message) VALUES ${new Array(rows).fill('(?, ?)').join(', ')}`);
      this.inserts.set(key, stmt);
    }
    return stmt;
  }
}
