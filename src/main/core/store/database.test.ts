import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../../../test/support/temp-store';
import { migrate, openDatabase } from './database';
import { migrations, type Migration } from './migrations';

const latest = Math.max(...migrations.map((m) => m.version));
const stores: TempStore[] = [];
const fresh = () => {
  const s = tempStore();
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.dispose();
});

const tables = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

describe('openDatabase', () => {
  it('creates the schema at the latest version, in WAL mode, with the local host', () => {
    const { db } = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['hosts', 'host_status', 'jobs', 'logs', 'meta', 'templates']));
    expect(db.prepare('SELECT name, kind, is_default FROM hosts').all()).toEqual([{ name: 'local', kind: 'local', is_default: 1 }]);
  });

  it('applies migrations once: reopening keeps the data and runs nothing again', () => {
    const store = fresh();
    store.db.prepare("INSERT INTO templates (name, image, command, env, created_at, updated_at) VALUES ('t', 'i', '[]', '{}', 1, 1)").run();
    const schema = store.db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    store.db.close();
    for (let i = 0; i < 2; i++) {
      const db = openDatabase({ file: store.file });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(latest);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        // The initial migration inserts the local host: a second run would add another.
        expect(db.prepare('SELECT count(*) AS n FROM hosts').get()).toEqual({ n: 1 });
        expect(db.prepare('SELECT name FROM templates').all()).toEqual([{ name: 't' }]);
        expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
      } finally {
        db.close();
      }
    }
  });

  it("leaves checkpoints to another connection when asked: the main thread's commits never copy the WAL", () => {
    // 30 commits of ~100 pages each: past SQLite's 1000-page threshold, a connection with
    // autocheckpoints copies the WAL back in a commit and the WAL starts over.
    const framesAfterWrites = (autoCheckpoint: boolean) => {
      const store = fresh();
      store.db.close();
      const db = openDatabase({ file: store.file, autoCheckpoint });
      try {
        db.exec('CREATE TABLE scratch (b BLOB)');
        const insert = db.prepare('INSERT INTO scratch (b) VALUES (zeroblob(400000))');
        for (let i = 0; i < 30; i++) insert.run();
        const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
        return state!.log;
      } finally {
        db.close();
      }
    };
    expect(framesAfterWrites(false)).toBeGreaterThan(2500);
    expect(framesAfterWrites(true)).toBeLessThan(1500);
  });

  it('refuses a file written by a newer Berth and leaves it untouched', () => {
    const store = fresh();
    store.db.pragma(`user_version = ${latest + 1}`);
    store.db.close();
    expect(() => openDatabase({ file: store.file })).toThrow(/newer than this Berth/);
    const raw = new Database(store.file, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(latest + 1);
    } finally {
      raw.close();
    }
  });
});

describe('migrate', () => {
  const extra = (version: number, sql: string): Migration => ({ version, name: `test ${version}`, sql });

  it('applies only the newer migrations, in version order, whatever the list order', () => {
    const { db } = fresh();
    const list = [
      ...migrations,
      extra(latest + 2, 'INSERT INTO t_order (step) VALUES (2);'),
      extra(latest + 1, 'CREATE TABLE t_order (step INTEGER); INSERT INTO t_order (step) VALUES (1);'),
    ];
    migrate(db, list);
    expect(db.pragma('user_version', { simple: true })).toBe(latest + 2);
    expect(db.prepare('SELECT step FROM t_order ORDER BY rowid').all()).toEqual([{ step: 1 }, { step: 2 }]);
    // Running again must not re-run CREATE TABLE (which would throw) nor the inserts.
    migrate(db, list);
    expect(db.prepare('SELECT count(*) AS n FROM t_order').get()).toEqual({ n: 2 });
  });

  it('rolls a failing migration back whole and keeps the version before it', () => {
    const { db } = fresh();
    const broken = extra(latest + 1, 'CREATE TABLE t_half (x INTEGER); INSERT INTO no_such_table VALUES (1);');
    expect(() => migrate(db, [...migrations, broken])).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(tables(db)).not.toContain('t_half');
  });
});
