import Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the SQLite file; ':memory:' for throwaway stores. */
  file: string;
  /** Path of a better_sqlite3.node built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  /** A reader's connection: no migrations (the owner ran them), no writes. */
  readonly?: boolean;
  /**
   * Whether this connection's commits may checkpoint the WAL (SQLite's default). A checkpoint
   * runs inside the commit that crosses the threshold and copies the whole WAL to the file:
   * after a burst of log writes that can take most of a second. The main thread's connection
   * turns it off and leaves checkpoints to the writer worker.
   */
  autoCheckpoint?: boolean;
}

/** Opens the store in WAL mode and brings its schema up to date. */
export function openDatabase({ file, nativeBinding, readonly = false, autoCheckpoint = true }: OpenDatabaseOptions): Db {
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    if (readonly) {
      // Opened read-write but refusing writes: a read-only open of a WAL file trips over its -shm.
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 5000');
      return db;
    }
    // Only a file without tables can switch: incremental vacuum lets retention hand freed pages
    // back to the file system in small steps instead of one long VACUUM.
    if ((db.pragma('user_version', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a crash can lose the last transactions but never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // After a burst of writes the WAL file is truncated back to this size at checkpoints.
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function migrate(db: Db, list: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`the data file has schema version ${current}, newer than this Berth (${latest}); upgrade Berth`);
  }
  const pending = [...list].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  if (pending.length === 0) return;
  // Migrations may rebuild tables others refer to: SQLite's procedure is foreign keys off (it
  // cannot change inside a transaction), rebuild, then check every reference before committing.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      db.transaction(() => {
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length > 0) {
          throw new Error(`migration ${m.version} (${m.name}) broke ${broken.length} references, first ${broken[0]!.table} → ${broken[0]!.parent}`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    }
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}
