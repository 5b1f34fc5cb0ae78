/**
 * Keeps the log store within its budget, in small chunks between the writer's other work.
 *
 *   size:  pages in use (lines, their indexes, the search index) above 95% of `maxBytes`
 *          ─▶ delete the oldest lines, 2000 per chunk, until under 90%
 *   age:   every minute, whole time blocks older than `maxAgeDays` (a template's own, else the global)
 *   bytes of one template's jobs above its own `maxBytes` ─▶ its oldest lines first
 *   file:  pages freed beyond the budget go back to the file system (incremental vacuum)
 *
 * Every deletion keeps the bookkeeping true in the same transaction: source counters and first
 * ids, counts by kind and level, blocks; search segments whose lines are all gone are dropped
 * whole (store/search-segments.ts). Ids are never reused.
 */
import { statSync } from 'node:fs';
import type { Db } from '../../store/database';
import { segmentTable } from '../../store/search-segments';
import type { FtsIndexer } from './fts-indexer';
import type { LogBatchWriter, StoredRange } from './log-batch-writer';
import type { RetentionRules } from './writer-protocol';

export interface RetentionOptions {
  now?: () => number;
  /** Lines deleted per chunk. */
  chunkLines?: number;
  /** Longest a step may keep deleting while the store is over its budget. */
  stepBudgetMs?: number;
}

interface OldBlock {
  source_id: number;
  first_id: number;
  last_id: number;
}

interface Victim {
  id: number;
  source_id: number | null;
  kind: number;
  level: number;
  bytes: number;
}

const dayMs = 86_400_000;
const ageCheckMs = 60_000;
const templateCheckMs = 10_000;
/** Start deleting above this share of the budget, stop below the next. */
const highWater = 0.95;
const lowWater = 0.9;

export class Retention {
  private rules: RetentionRules | null = null;
  private pruning = false;
  /** Pages went back since the last checkpoint. */
  private vacuumed = false;
  private nextAgeCheck = 0;
  private nextTemplateCheck = 0;
  /** Templates whose jobs stored lines since the last check of their own budgets. */
  private readonly grewTemplates = new Set<number>();
  private readonly pageSize: number;
  private readonly incremental: boolean;
  private readonly now: () => number;
  private readonly chunkLines: number;
  private readonly stepBudgetMs: number;
  pruned = 0;

  private readonly oldest;
  private readonly oldestOfSource;
  private readonly deleteRange;
  private readonly oldestId;
  private readonly deadSegments;
  private readonly forgetSegment;
  private readonly firstIdOf;
  private readonly updateSource;
  private readonly updateCount;
  private readonly dropEmptyCounts;
  private readonly blocksOf;
  private readonly deleteBlock;
  private readonly moveBlock;
  private readonly oldBlocks;
  private readonly oldTemplateBlocks;
  private readonly blockLines;
  private readonly templateBytes;
  private readonly templateOldestSource;
  private readonly templateOf;
  private readonly deleteAll;
  private readonly dropAll;
  private readonly orphanLines;

  constructor(
    private readonly db: Db,
    options: RetentionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.chunkLines = options.chunkLines ?? 2000;
    this.stepBudgetMs = options.stepBudgetMs ?? 15;
    this.pageSize = db.pragma('page_size', { simple: true }) as number;
    this.incremental = (db.pragma('auto_vacuum', { simple: true }) as number) === 2;
    const victimColumns = 'id, source_id, kind, level, length(CAST(message AS BLOB)) AS bytes';
    this.oldest = db.prepare<[number], Victim>(`SELECT ${victimColumns} FROM logs ORDER BY id LIMIT ?`);
    this.oldestOfSource = db.prepare<[number, number], Victim>(`SELECT ${victimColumns} FROM logs WHERE source_id = ? ORDER BY id LIMIT ?`);
    this.blockLines = db.prepare<[number, number, number], Victim>(
      `SELECT ${victimColumns} FROM logs WHERE source_id = ? AND id BETWEEN ? AND ? ORDER BY id`,
    );
    this.deleteRange = db.prepare('DELETE FROM logs WHERE id BETWEEN ? AND ?');
    this.oldestId = db.prepare<[], { id: number | null }>('SELECT min(id) AS id FROM logs');
    this.deadSegments = db.prepare<[number], { id: number }>(
      'SELECT id FROM log_search_segments WHERE last_id < ? AND id < (SELECT max(id) FROM log_search_segments)',
    );
    this.forgetSegment = db.prepare('DELETE FROM log_search_segments WHERE id = ?');
    this.firstIdOf = db.prepare<[number], { id: number | null }>('SELECT min(id) AS id FROM logs WHERE source_id = ?');
    this.updateSource = db.prepare('UPDATE log_sources SET lines = lines - ?, bytes = bytes - ?, first_id = ? WHERE id = ?');
    this.updateCount = db.prepare('UPDATE log_counts SET lines = lines - ? WHERE source_id = ? AND kind = ? AND level = ?');
    this.dropEmptyCounts = db.prepare('DELETE FROM log_counts WHERE lines <= 0');
    this.blocksOf = db.prepare<[number, number], { first_id: number; last_id: number; lines: number }>(
      'SELECT first_id, last_id, lines FROM log_blocks WHERE source_id = ? AND first_id <= ? ORDER BY first_id',
    );
    this.deleteBlock = db.prepare('DELETE FROM log_blocks WHERE source_id = ? AND first_id = ?');
    this.moveBlock = db.prepare('UPDATE log_blocks SET first_id = ?, lines = ? WHERE source_id = ? AND first_id = ?');
    this.oldBlocks = db.prepare<[number, number], OldBlock>(
      'SELECT source_id, first_id, last_id FROM log_blocks WHERE max_ts < ? ORDER BY max_ts LIMIT ?',
    );
    this.oldTemplateBlocks = db.prepare<[number, number, number], OldBlock>(
      `SELECT b.source_id, b.first_id, b.last_id FROM log_blocks b JOIN log_sources s ON s.id = b.source_id
       WHERE s.job_id IS NOT NULL AND s.service_id = ? AND b.max_ts < ? ORDER BY b.max_ts LIMIT ?`,
    );
    this.templateBytes = db.prepare<[number], { bytes: number | null }>(
      'SELECT sum(bytes) AS bytes FROM log_sources WHERE job_id IS NOT NULL AND service_id = ?',
    );
    this.templateOldestSource = db.prepare<[number], { id: number }>(
      'SELECT id FROM log_sources WHERE job_id IS NOT NULL AND service_id = ? AND first_id IS NOT NULL ORDER BY first_id LIMIT 1',
    );
    this.templateOf = db.prepare<[number], { service_id: number | null }>('SELECT service_id FROM log_sources WHERE id = ? AND job_id IS NOT NULL');
    this.orphanLines = db.prepare<[number, number], Victim>(
      `SELECT ${victimColumns} FROM logs WHERE source_id IS NULL AND id BETWEEN ? AND ? ORDER BY id`,
    );
    this.deleteAll = db.transaction((victims: Victim[], indexedId: number) => this.remove(victims, indexedId)).immediate as unknown as (
      victims: Victim[],
      indexedId: number,
    ) => Set<number>;
    this.dropAll = db.transaction((victims: Victim[], blocks: readonly OldBlock[], indexedId: number) => {
      const touched = victims.length > 0 ? this.remove(victims, indexedId) : new Set<number>();
      for (const b of blocks) this.deleteBlock.run(b.source_id, b.first_id);
      return touched;
    }).immediate as unknown as (victims: Victim[], blocks: readonly OldBlock[], indexedId: number) => Set<number>;
  }

  setRules(rules: RetentionRules): void {
    this.rules = rules;
    // New rules apply now, not at the next periodic check.
    this.nextAgeCheck = 0;
    this.nextTemplateCheck = 0;
    for (const t of rules.templates) this.grewTemplates.add(t.templateId);
  }

  /** Lines were stored: remember whose templates grew. */
  noteStored(ranges: readonly StoredRange[]): void {
    if (!this.rules || this.rules.templates.length === 0) return;
    for (const r of ranges) {
      if (r.sourceId === null) continue;
      const template = this.templateOf.get(r.sourceId)?.service_id;
      if (template != null && this.rules.templates.some((t) => t.templateId === template && t.maxBytes !== undefined)) {
        this.grewTemplates.add(template);
      }
    }
  }

  sizes(): { usedBytes: number; fileBytes: number; walBytes: number; budgetBytes: number } {
    return { ...this.pages(), walBytes: this.walPages() * this.pageSize, budgetBytes: this.rules?.maxBytes ?? 0 };
  }

  /** Bytes in pages in use (tables, indexes, search index) and of the whole file; cheap (two header reads). */
  private pages(): { usedBytes: number; fileBytes: number } {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return { usedBytes: (pages - free) * this.pageSize, fileBytes: pages * this.pageSize };
  }

  /**
   * One slice of work, at most `stepBudgetMs` long (one chunk at least). While over the budget
   * it also deletes at least `atLeast` lines (what the last batch stored, and then some), so a
   * flood cannot outgrow it. Returns true while more remains, so the writer schedules a turn.
   */
  step(writer: LogBatchWriter, fts: FtsIndexer, atLeast = 0): boolean {
    const rules = this.rules;
    if (!rules) return false;
    const started = performance.now();
    const within = () => performance.now() - started < this.stepBudgetMs;
    let more = false;

    // Size: the global budget.
    const { usedBytes } = this.pages();
    if (usedBytes > rules.maxBytes * highWater) this.pruning = true;
    if (this.pruning) {
      let deleted = 0;
      do {
        const victims = this.oldest.all(this.chunkLines);
        if (victims.length === 0) {
          this.pruning = false;
          break;
        }
        this.apply(victims, writer, fts);
        deleted += victims.length;
        if (this.pages().usedBytes <= rules.maxBytes * lowWater) this.pruning = false;
      } while (this.pruning && (deleted < atLeast || within()));
      more ||= this.pruning;
    }

    // Age, every minute: whole blocks past their time.
    const now = this.now();
    if (now >= this.nextAgeCheck && within()) {
      const done = this.pruneByAge(rules, now, writer, fts, within);
      if (done) this.nextAgeCheck = now + ageCheckMs;
      else more = true;
    }

    // A template's own byte budget.
    if (now >= this.nextTemplateCheck && this.grewTemplates.size > 0 && within()) {
      for (const templateId of [...this.grewTemplates]) {
        const limit = rules.templates.find((t) => t.templateId === templateId)?.maxBytes;
        const bytes = this.templateBytes.get(templateId)?.bytes ?? 0;
        if (limit === undefined || bytes <= limit * lowWater) {
          this.grewTemplates.delete(templateId);
          continue;
        }
        const source = this.templateOldestSource.get(templateId);
        if (!source) {
          this.grewTemplates.delete(templateId);
          continue;
        }
        this.apply(this.oldestOfSource.all(source.id, this.chunkLines), writer, fts);
        more = true;
        if (!within()) break;
      }
      if (!more) this.nextTemplateCheck = now + templateCheckMs;
    }

    // Give pages freed beyond the budget back to the file system, a megabyte per step; in WAL
    // mode the file itself shrinks at the next checkpoint, so one follows the last step.
    if (this.incremental && within()) {
      const { fileBytes } = this.pages();
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      if (free > 0 && fileBytes > rules.maxBytes) {
        const excessPages = Math.ceil((fileBytes - rules.maxBytes) / this.pageSize);
        this.db.pragma(`incremental_vacuum(${Math.min(free, excessPages, 256)})`);
        this.vacuumed = true;
        more = true;
      } else if (this.vacuumed) {
        this.db.pragma('wal_checkpoint(PASSIVE)');
        this.vacuumed = false;
      }
    }
    return more;
  }

  /** Deletes blocks older than their source's age limit; true when none are left. */
  private pruneByAge(rules: RetentionRules, now: number, writer: LogBatchWriter, fts: FtsIndexer, within: () => boolean): boolean {
    const overrides = rules.templates.filter((t) => t.maxAgeDays !== undefined);
    // Templates with a longer limit than the global one keep their blocks past the global cutoff.
    const longer = new Set(overrides.filter((t) => t.maxAgeDays! > rules.maxAgeDays).map((t) => t.templateId));
    const globalCutoff = now - rules.maxAgeDays * dayMs;
    const kept = (b: OldBlock) => {
      if (longer.size === 0 || b.source_id === 0) return false;
      const template = this.templateOf.get(b.source_id)?.service_id;
      return template != null && longer.has(template);
    };
    // Blocks kept by a longer limit stay in the way of the query; look past them.
    let skip = 0;
    for (;;) {
      const found = this.oldBlocks.all(globalCutoff, skip + 50).slice(skip);
      if (found.length === 0) break;
      const blocks = found.filter((b) => !kept(b));
      skip += found.length - blocks.length;
      if (blocks.length > 0) this.dropBlocks(blocks, writer, fts);
      if (!within()) return false;
    }
    for (const t of overrides) {
      const cutoff = now - t.maxAgeDays! * dayMs;
      for (;;) {
        const blocks = this.oldTemplateBlocks.all(t.templateId, cutoff, 50);
        if (blocks.length === 0) break;
        this.dropBlocks(blocks, writer, fts);
        if (!within()) return false;
      }
    }
    return true;
  }

  /** Whole blocks past their age: every line in them is older than the cutoff, so all go, and the blocks too. */
  private dropBlocks(blocks: readonly OldBlock[], writer: LogBatchWriter, fts: FtsIndexer): void {
    const victims = blocks.flatMap((b) =>
      b.source_id === 0 ? this.orphanLines.all(b.first_id, b.last_id) : this.blockLines.all(b.source_id, b.first_id, b.last_id),
    );
    const touched = this.dropAll(victims, blocks, fts.indexedId);
    this.pruned += victims.length;
    writer.forget(touched);
  }

  private apply(victims: Victim[], writer: LogBatchWriter, fts: FtsIndexer): void {
    if (victims.length === 0) return;
    const touched = this.deleteAll(victims, fts.indexedId);
    this.pruned += victims.length;
    writer.forget(touched);
  }

  /** Deletes the victims and keeps everything about them true; returns the sources touched. */
  private remove(victims: Victim[], indexedId: number): Set<number> {
    victims.sort((a, b) => a.id - b.id);
    // Runs of consecutive ids go as ranges; lines of other sources between runs stay.
    let start = victims[0]!.id;
    let prev = start;
    for (let i = 1; i < victims.length; i++) {
      const id = victims[i]!.id;
      if (id !== prev + 1) {
        this.deleteRange.run(start, prev);
        start = id;
      }
      prev = id;
    }
    this.deleteRange.run(start, prev);
    this.dropDeadSegments(indexedId);

    const perSource = new Map<number, { lines: number; bytes: number; counts: Map<number, number>; ids: number[] }>();
    for (const v of victims) {
      const key = v.source_id ?? 0;
      let s = perSource.get(key);
      if (!s) perSource.set(key, (s = { lines: 0, bytes: 0, counts: new Map(), ids: [] }));
      s.lines++;
      s.bytes += v.bytes;
      s.ids.push(v.id);
      const k = v.kind * 4 + v.level;
      s.counts.set(k, (s.counts.get(k) ?? 0) + 1);
    }
    for (const [sourceId, s] of perSource) {
      for (const [k, n] of s.counts) this.updateCount.run(n, sourceId, Math.floor(k / 4), k % 4);
      if (sourceId !== 0) this.updateSource.run(s.lines, s.bytes, this.firstIdOf.get(sourceId)?.id ?? null, sourceId);
      this.trimBlocks(sourceId, s.ids);
    }
    this.dropEmptyCounts.run();
    return new Set([...perSource.keys()].filter((id) => id !== 0));
  }

  /**
   * Search segments that index only deleted lines go, whole. The newest (open) one stays: the
   * indexer writes into it.
   */
  private dropDeadSegments(indexedId: number): void {
    const oldest = this.oldestId.get()?.id ?? indexedId + 1;
    for (const { id } of this.deadSegments.all(oldest)) {
      this.db.exec(`DROP TABLE ${segmentTable(id)}`);
      this.forgetSegment.run(id);
    }
  }

  /**
   * Blocks of a source lose the deleted ids. Lines go oldest first, so what is left of a block is
   * the part after the newest deleted id in it; a block left with nothing goes.
   */
  private trimBlocks(sourceId: number, deleted: readonly number[]): void {
    for (const block of this.blocksOf.all(sourceId, deleted[deleted.length - 1]!)) {
      let gone = 0;
      let top = 0;
      for (const id of deleted) {
        if (id >= block.first_id && id <= block.last_id) {
          gone++;
          top = id;
        }
      }
      if (gone === 0) continue;
      if (gone >= block.lines || top >= block.last_id) this.deleteBlock.run(sourceId, block.first_id);
      else this.moveBlock.run(top + 1, block.lines - gone, sourceId, block.first_id);
    }
  }

  private walPages(): number {
    try {
      return Math.ceil(statSync(`${this.db.name}-wal`).size / this.pageSize);
    } catch {
      return 0;
    }
  }
}
