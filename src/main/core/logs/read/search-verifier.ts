/**
 * Deciding whether a search matches given lines without the search index, for searches within
 * few lines (one job's, say) that the index would answer only by reading every hit in the span
 * of ids those lines are spread over.
 *
 * The answer must be the index's answer. A simple search (plain words, see fts-query.ts) of ASCII
 * words on an ASCII line is decided here: FTS5's unicode61 tokenizer splits ASCII text into runs
 * of letters and digits and folds them to lower case, and each word must appear as the phrase of
 * its tokens. Anything else (FTS5 syntax, non-ASCII text) goes through FTS5 itself: a scratch
 * in-memory table with the same tokenizer, filled with just those lines.
 */
import Database from 'better-sqlite3';
import type { Db } from '../../store/database';
import { stripAnsi } from '../ansi';
import { isSimpleSearch } from './fts-query';
import type { Row } from './log-sql';

const nonAscii = /[^\x00-\x7f]/;
const asciiToken = /[0-9a-z]+/g;

/** The lower-case ASCII tokens of a text, as unicode61 makes them. */
export function asciiTokens(text: string): string[] {
  return text.toLowerCase().match(asciiToken) ?? [];
}

export interface VerifierOptions {
  /** The search as given (`q`) and as FTS5 reads it. */
  q: string;
  match: string;
  /** Lines above this id are not in the index yet, so the search does not find them. */
  indexedUpTo: number;
  /** Path of a better_sqlite3.node built for another runtime, for the scratch table. */
  nativeBinding?: string;
}

export class SearchVerifier {
  /** Each word's tokens, when every line can be decided here (but non-ASCII ones). */
  private readonly phrases: string[][] | null;
  private scratch: { db: Db; insert: Database.Statement; matching: Database.Statement; clear: Database.Statement } | null = null;

  constructor(private readonly options: VerifierOptions) {
    const q = options.q.trim();
    this.phrases =
      isSimpleSearch(q) && !nonAscii.test(q)
        ? q
            .split(/\s+/)
            .map(asciiTokens)
            .filter((tokens) => tokens.length > 0)
        : null;
  }

  /** What checking one line costs, roughly, in nanoseconds (reading it included). */
  get costPerLine(): number {
    return this.phrases ? 2_000 : 12_000;
  }

  /** The rows (in their order) whose lines the search index would find. */
  filter(rows: readonly Row[]): Row[] {
    const out: Row[] = [];
    const undecided: Row[] = [];
    for (const row of rows) {
      if (row[0] > this.options.indexedUpTo) continue;
      const text = stripAnsi(row[6]);
      if (this.phrases === null || nonAscii.test(text)) undecided.push(row);
      else if (this.matchesPhrases(text)) out.push(row);
    }
    if (undecided.length === 0) return out;
    const found = this.byIndex(undecided);
    // Keep the rows' order: merge the two kept lists by position in the input.
    const keep = new Set<Row>([...out, ...undecided.filter((row) => found.has(row[0]))]);
    return rows.filter((row) => keep.has(row));
  }

  close(): void {
    this.scratch?.db.close();
    this.scratch = null;
  }

  private matchesPhrases(text: string): boolean {
    const lower = text.toLowerCase();
    // Every token must occur somewhere before it can occur in place.
    for (const phrase of this.phrases!) for (const token of phrase) if (!lower.includes(token)) return false;
    const tokens = lower.match(asciiToken) ?? [];
    return this.phrases!.every((phrase) => containsRun(tokens, phrase));
  }

  /** Ids of the rows the search finds when FTS5 indexes just them. */
  private byIndex(rows: readonly Row[]): Set<number> {
    if (!this.scratch) {
      const db = new Database(':memory:', this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {});
      db.exec("CREATE VIRTUAL TABLE lines USING fts5 (message, content = '', tokenize = 'unicode61 remove_diacritics 2')");
      this.scratch = {
        db,
        insert: db.prepare('INSERT INTO lines (rowid, message) VALUES (?, ?)'),
        matching: db.prepare('SELECT rowid FROM lines WHERE lines MATCH ?').pluck(true),
        clear: db.prepare("INSERT INTO lines (lines) VALUES ('delete-all')"),
      };
    }
    const { db, insert, matching, clear } = this.scratch;
    return db.transaction(() => {
      for (const row of rows) insert.run(row[0], stripAnsi(row[6]));
      const ids = new Set(matching.all(this.options.match) as number[]);
      clear.run();
      return ids;
    })();
  }
}

function containsRun(tokens: readonly string[], run: readonly string[]): boolean {
  const last = tokens.length - run.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
