import type Database from 'better-sqlite3';

/**
 * Every row of every table of the ledger file, by table name (SQLite's own
 * bookkeeping aside): what a refused call must leave exactly as it was. It
 * reads the schema each time, so a table added by a later migration is
 * covered without touching the tests.
 */
export function everyTable(db: Database.Database): Record<string, string[]> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as Array<{ name: string }>;
  // Sorted in JS: some tables have no rowid (WITHOUT ROWID), and the order of a plain SELECT is not promised.
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  return Object.fromEntries(tables.map(({ name }) => [name, sorted(db.prepare(`SELECT * FROM "${name}"`).all())]));
}
