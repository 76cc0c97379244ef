import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { LedgerError } from '../../electron/core/ledger/errors';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/core/ledger/migrations';
import { LEDGER_FILE_NAME, openDatabase } from '../../electron/core/ledger/db/open-database';
import { randomAddress, tempDir } from '../support/temp-dir';

const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();

/** A database migrated only up to `version`, as an older Counter left it. */
function databaseAtVersion(dir: string, version: number): Database.Database {
  return openDatabase(dir, MIGRATIONS.filter((m) => m.version <= version));
}

describe('ledger migrations', () => {
  it('creates the latest schema in an empty directory, with durable pragmas', () => {
    const ledger = createLedger({ dir: tempDir() });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    ledger.close();
  });

  it('migration versions are strictly increasing from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  // From every earlier version, with data in it, to the latest: the data
  // survives and the schema ends up identical to a fresh install's.
  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('upgrades a version-%i database with data in it', (version) => {
    const fresh = openDatabase(tempDir());
    const expectedSchema = schemaOf(fresh);
    fresh.close();

    const dir = tempDir();
    const old = databaseAtVersion(dir, version);
    expect(old.pragma('user_version', { simple: true })).toBe(version);
    const destination = randomAddress();
    old.prepare(
      `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at, paid_at, first_proof)
       VALUES ('r1', 125, 'usd', 'live', 'paid', ?, 1000, 2000, 2000, 'webhook')`,
    ).run(destination);
    old.prepare(`INSERT INTO payment_events (sale_id, source, kind, outcome, received_at, payload) VALUES (1, 'webhook', 'proof', 'credited', 2000, 'jwt')`).run();
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    expect(ledger.database.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(schemaOf(ledger.database)).toEqual(expectedSchema);
    const { sale, events } = ledger.getSaleWithEvents(1);
    expect(sale).toMatchObject({ ref: 'r1', amount: 125, status: 'paid', destination, firstProof: 'webhook' });
    expect(events).toMatchObject([{ source: 'webhook', outcome: 'credited', payload: 'jwt' }]);
    // The new version works on the old data.
    const next = ledger.createSale({ amount: 5, currency: 'usd', mode: 'live', destination });
    expect(next.id).toBe(2);
    ledger.close();
  });

  it('runs all pending steps in one transaction: a failing step leaves the old version intact', () => {
    const dir = tempDir();
    databaseAtVersion(dir, 1).close();
    const broken = [...MIGRATIONS.slice(0, 2), { version: 3, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE oops (; nonsense') }];
    expect(() => openDatabase(dir, broken)).toThrow();
    const db = new Database(join(dir, LEDGER_FILE_NAME));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'settings'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database written by a newer version, with a clear error, and changes nothing', () => {
    const dir = tempDir();
    const file = join(dir, LEDGER_FILE_NAME);
    // A newer Counter, in rollback-journal mode, so any pragma we wrote would show.
    const newer = new Database(file);
    newer.exec('CREATE TABLE future_things (x); INSERT INTO future_things VALUES (1);');
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');

    let error: unknown;
    try {
      createLedger({ dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as LedgerError).code).toBe('newer-schema');
    expect((error as LedgerError).message).toMatch(/newer version of Counter.*Update Counter.*not changed/s);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a file that is not a database, with a clear error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LEDGER_FILE_NAME), 'this is a spreadsheet, not a ledger'.repeat(200));
    expect(() => createLedger({ dir })).toThrow(expect.objectContaining({ code: 'not-a-database' }));
  });

  it('refuses an unknown time zone', () => {
    expect(() => createLedger({ dir: tempDir(), timeZone: 'Mars/Olympus_Mons' })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});
