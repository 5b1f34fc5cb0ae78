/** Prepared statements of the read side, kept per connection: the same SQL is prepared once. */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/database';

const caches = new WeakMap<Db, Map<string, Statement>>();
/** More distinct statements than any plan produces; the cache is cleared when it passes this. */
const maxStatements = 500;

export function statement<R = unknown>(db: Db, sql: string): Statement<unknown[], R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= maxStatements) cache.clear();
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt as Statement<unknown[], R>;
}
