// A real SQLite store in a fresh temporary directory, for tests of the store and the log
// pipeline: WAL, migrations and SQL behave exactly as in Berth, nothing is faked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/main/core/store/database';

export interface TempStore {
  dir: string;
  file: string;
  db: Db;
  /** Closes the database (if open) and deletes the directory. */
  dispose(): void;
}

export function tempStore(prefix = 'berth-store-'): TempStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'berth.db');
  const db = openDatabase({ file });
  return {
    dir,
    file,
    db,
    dispose() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
