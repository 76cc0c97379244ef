import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ShopDbError } from './errors';
import type { ShopMigration } from './migrations';

/**
 * The shop database's schema steps, applied by whichever till connects
 * first after an upgrade.
 *
 * Every connect runs this in one transaction that first takes
 * `pg_advisory_xact_lock(SCHEMA_LOCK_KEY)`: two tills connecting at once
 * queue on the lock, and the second reads the history only after the first
 * committed, so each step runs exactly once; a failing step rolls the whole
 * upgrade back. The lock is released with the transaction, so a till killed
 * mid-upgrade leaves no lock behind.
 *
 * Each step's checksum (SHA-256 of its text) is recorded: a database whose
 * recorded step differs from the one this Counter ships is refused, as is
 * one with a step newer than this Counter knows (a till not yet upgraded
 * must not write into a schema it does not understand).
 */

/** Any constant will do, as long as every Counter uses the same one: "Counter" in ASCII. */
export const SCHEMA_LOCK_KEY = '18939781416870258';

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS counter_schema_migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export function shopMigrationChecksum(step: ShopMigration): string {
  return createHash('sha256').update(step.sql).digest('hex');
}

export interface MigrationResult {
  /** The schema version found. */
  from: number;
  /** The schema version now. */
  to: number;
  /** The versions this call applied. */
  applied: number[];
}

/** Runs inside a transaction of its own on `client`, which must not be in one. */
export async function migrateShopDatabase(client: pg.ClientBase, migrations: readonly ShopMigration[], where: string): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM counter_schema_migrations ORDER BY version',
    );
    const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    const from = rows.length ? rows[rows.length - 1]!.version : 0;
    if (from > latest) {
      throw new ShopDbError(
        'newer-schema',
        `The shop database at ${where} was set up by a newer version of Counter (schema ${from}, this version knows up to ${latest}). Update Counter on this till to sync with it; the database was not changed.`,
      );
    }
    for (const row of rows) {
      const step = migrations.find((m) => m.version === row.version);
      if (step && shopMigrationChecksum(step) === row.checksum) continue;
      const which = step ? `step ${row.version} ("${step.name}")` : `step ${row.version}`;
      throw new ShopDbError(
        'edited-migration',
        `The shop database at ${where} was set up by a different build of Counter: schema ${which} does not match the one this version ships. Counter will not guess which is right; the database was not changed.`,
      );
    }
    const applied: number[] = [];
    for (const step of migrations.filter((m) => m.version > from)) {
      await client.query(step.sql);
      await client.query('INSERT INTO counter_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        shopMigrationChecksum(step),
      ]);
      applied.push(step.version);
    }
    await client.query('COMMIT');
    return { from, to: latest, applied };
  } catch (error) {
    // A dropped connection cannot roll back, and needs not: the server aborts the transaction.
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
