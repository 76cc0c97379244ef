import type Database from 'better-sqlite3';

/**
 * Prepares each distinct SQL text once (the filters build a handful of
 * shapes, so the cache stays small); `raw` statements return rows as arrays
 * and are cached apart from the same SQL returning objects.
 */
export type StatementCache = (sql: string, options?: { raw?: boolean }) => Database.Statement;

export function createStatementCache(db: Database.Database): StatementCache {
  const cache = new Map<string, Database.Statement>();
  return (sql, options = {}) => {
    const key = options.raw ? `raw:${sql}` : sql;
    let statement = cache.get(key);
    if (!statement) {
      statement = db.prepare(sql);
      if (options.raw) statement.raw(true);
      cache.set(key, statement);
    }
    return statement;
  };
}
