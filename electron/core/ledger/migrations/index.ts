import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LedgerError } from '../errors';
import { immediate } from '../db/transaction';
import type { Migration } from './migration';
import { migration as salesAndEvents } from './0001-sales-and-events';
import { migration as settingsAndAppendOnlyEvents } from './0002-settings-and-append-only-events';
import { migration as salesLogIndexes } from './0003-sales-log-indexes';
import { migration as recentlyClosedIndex } from './0004-recently-closed-index';
import { migration as amountSearchIndex } from './0005-amount-search-index';
import { migration as salesRollup } from './0006-sales-rollup';
import { migration as tenders } from './0007-tenders';
import { migration as duplicateCount } from './0008-duplicate-count';
import { migration as tips } from './0009-tips';
import { migration as printing } from './0010-printing';
import { migration as peopleShiftsRefundsAudit } from './0011-people-shifts-refunds-audit';
import { migration as outbox } from './0012-outbox';

export type { Migration };

/**
 * Forward-only schema steps, tracked by `PRAGMA user_version`, one file
 * each. Never edit a step that has shipped: add a new one at the end.
 */
export const MIGRATIONS: readonly Migration[] = [
  salesAndEvents,
  settingsAndAppendOnlyEvents,
  salesLogIndexes,
  recentlyClosedIndex,
  amountSearchIndex,
  salesRollup,
  tenders,
  duplicateCount,
  tips,
  printing,
  peopleShiftsRefundsAudit,
  outbox,
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Which steps this file has had, with a checksum of each step's SQL, so an
 * edited shipped step is refused instead of leaving two tills with the same
 * version and different schemas. applied_at is null for a step an older
 * Counter applied before the ledger kept this record.
 */
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  checksum   TEXT    NOT NULL,
  applied_at INTEGER
)`;

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

/** What an open found in the file, read without writing a byte. */
export interface SchemaState {
  version: number;
  /** Checksums by version; null when the file has no schema_migrations table (new, or from before it existed). */
  recorded: Map<number, string> | null;
}

export function readUserVersion(db: Database.Database): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new LedgerError('not-a-database', `The sales ledger file is not a SQLite database or is damaged: ${(error as Error).message}`);
    }
    throw error;
  }
}

function readRecorded(db: Database.Database): Map<number, string> | null {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!exists) return null;
  const rows = db.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all() as { version: number; checksum: string }[];
  return new Map(rows.map((r) => [r.version, r.checksum]));
}

function latestOf(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

function refuseNewer(file: string, current: number, latest: number): never {
  throw new LedgerError(
    'newer-schema',
    `The sales ledger at ${file} was written by a newer version of Counter (schema ${current}, this version knows up to ${latest}). Update Counter to open it; the file was not changed.`,
    { current, latest },
  );
}

function verifyRecorded(recorded: Map<number, string> | null, migrations: readonly Migration[], file: string): void {
  if (!recorded) return;
  for (const [version, checksum] of recorded) {
    const step = migrations.find((m) => m.version === version);
    const expected = step ? migrationChecksum(step) : null;
    if (checksum === expected) continue;
    const which = step ? `step ${version} ("${step.name}")` : `step ${version}`;
    throw new LedgerError(
      'edited-migration',
      `The sales ledger at ${file} was set up by a different build of Counter: schema ${which} does not match the one this version ships, so it was edited after release. Counter will not guess which is right; the file was not changed.`,
      { version, recorded: checksum, expected },
    );
  }
}

/**
 * The read-only checks of an open, before any pragma that writes: a file
 * from a newer Counter, or one whose recorded steps differ from this
 * version's, is refused and left exactly as it was.
 */
export function checkSchema(db: Database.Database, migrations: readonly Migration[], file: string): SchemaState {
  const version = readUserVersion(db);
  const latest = latestOf(migrations);
  if (version > latest) refuseNewer(file, version, latest);
  const recorded = readRecorded(db);
  verifyRecorded(recorded, migrations, file);
  return { version, recorded };
}

/**
 * Applies every pending step and records its checksum, all in one IMMEDIATE
 * transaction: a failing step leaves the file at its old version. A ledger
 * from before schema_migrations existed gets the checksums of the steps it
 * already has on its first open.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[], seen: SchemaState, file: string): void {
  const unrecorded = (state: SchemaState) => migrations.filter((m) => m.version <= state.version && !state.recorded?.has(m.version));
  const pending = (version: number) => migrations.filter((m) => m.version > version);
  if (!pending(seen.version).length && !unrecorded(seen).length && seen.recorded) return;
  immediate(db, () => {
    // Another process may have migrated while this one waited for the lock:
    // only what is read inside the transaction counts.
    const state = checkSchema(db, migrations, file);
    db.exec(HISTORY_TABLE);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
    // 1. Steps an older Counter applied before checksums were kept.
    for (const step of unrecorded(state)) record.run(step.version, step.name, migrationChecksum(step), null);
    // 2. The pending steps, in order.
    for (const step of pending(state.version)) {
      db.exec(step.sql);
      record.run(step.version, step.name, migrationChecksum(step), Date.now());
      db.pragma(`user_version = ${step.version}`);
    }
  });
}
