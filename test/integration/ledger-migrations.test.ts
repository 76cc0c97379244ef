import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { LATEST_VERSION, MIGRATIONS, migrationChecksum, type Migration } from '../../electron/core/ledger/migrations';
import { LEDGER_FILE_NAME, openDatabase } from '../../electron/core/ledger/db/open-database';
import { rollupFromSales, salesDisagreeingWithTenders, storedRollup } from '../support/rollup';
import { randomAddress, tempDir } from '../support/temp-dir';
import { allSales as allSalesOf, caughtLedgerError } from '../support/ledger-guard';

/** The last version an older Counter wrote without a schema_migrations table. */
const LAST_VERSION_WITHOUT_HISTORY = 5;
const QUARTER_HOUR = 900_000;

const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * A ledger as an older Counter left it at `version`: up to version 5 the way
 * that Counter wrote it (WAL, every step in one transaction, user_version,
 * no schema_migrations table); later versions through today's runner.
 */
function ledgerAtVersion(dir: string, version: number): Database.Database {
  if (version > LAST_VERSION_WITHOUT_HISTORY) return openDatabase(dir, MIGRATIONS.filter((m) => m.version <= version));
  const db = new Database(join(dir, LEDGER_FILE_NAME));
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const step of MIGRATIONS.filter((m) => m.version <= version)) {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    }
  }).immediate();
  return db;
}

/**
 * Sales in every status, both modes and two currencies, some sharing a
 * quarter hour and one on a bucket's first millisecond, with their events;
 * and a setting once the table exists. Written in the shape of the schema
 * before tenders, plus from version 7 the one Code tender per sale that step
 * 7 makes; a later step that changes what a sale must hold needs its own fill.
 */
function fillWithData(db: Database.Database, version: number): string {
  const destination = randomAddress();
  const base = 1_780_000_000_000 - (1_780_000_000_000 % QUARTER_HOUR);
  const sale = db.prepare(
    `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at, paid_at, first_proof, paid_late,
       cancelled_at, expired_at)
     VALUES (@ref, @amount, @currency, @mode, @status, @destination, @at, @at, @paidAt, @proof, @late, @cancelledAt, @expiredAt)`,
  );
  const rows: Array<[string, number, string, 'live' | 'sandbox', string, number, number]> = [
    ['r1', 125, 'usd', 'live', 'paid', base, 0],
    ['r2', 250, 'usd', 'live', 'paid', base + 1, 1],
    ['r3', 400, 'usd', 'live', 'cancelled', base + 2, 0],
    ['r4', 700, 'eur', 'live', 'expired', base + QUARTER_HOUR - 1, 0],
    ['r5', 90, 'eur', 'sandbox', 'pending', base + QUARTER_HOUR, 0],
    ['r6', 1000, 'usd', 'live', 'pending', base + 86_400_000, 0],
  ];
  for (const [ref, amount, currency, mode, status, at, late] of rows) {
    sale.run({
      ref,
      amount,
      currency,
      mode,
      status,
      destination,
      at,
      paidAt: status === 'paid' ? at + 5_000 : null,
      proof: status === 'paid' ? 'webhook' : null,
      late,
      cancelledAt: status === 'cancelled' ? at + 1_000 : null,
      expiredAt: status === 'expired' ? at + 1_000 : null,
    });
  }
  if (version >= 7) {
    // From step 7 on a sale is paid by tenders: each of these has the one Code tender step 7 would have made of it.
    db.exec(`INSERT INTO tenders (sale_id, seq, kind, amount, status, ref, first_proof, paid_late, created_at, updated_at, paid_at, cancelled_at, expired_at)
             SELECT id, 1, 'code', amount, status, ref, first_proof, paid_late, created_at, updated_at, paid_at, cancelled_at, expired_at FROM sales ORDER BY id;
             UPDATE sales SET paid_amount = amount, code_amount = amount WHERE status = 'paid';`);
    db.prepare(`INSERT INTO payment_events (sale_id, tender_id, source, kind, outcome, received_at, payload) VALUES (1, 1, 'webhook', 'proof', 'credited', 2000, 'jwt')`).run();
  } else {
    db.prepare(`INSERT INTO payment_events (sale_id, source, kind, outcome, received_at, payload) VALUES (1, 'webhook', 'proof', 'credited', 2000, 'jwt')`).run();
  }
  if (version >= 2) db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('shopName', '"Corner Café"', 1)`).run();
  return destination;
}


/** Schema 6's rollup (one row per mode, bucket and currency, a column pair per status), as stored and by brute force. */
const storedRollupV6 = (db: Database.Database) => db.prepare('SELECT * FROM sales_rollup ORDER BY mode, bucket, currency').all();
function rollupV6FromSales(db: Database.Database) {
  return db
    .prepare(
      `SELECT mode, created_at / 900000 - (created_at % 900000 < 0) AS bucket, currency,
         sum(status = 'paid') AS paid_count, sum(iif(status = 'paid', amount, 0)) AS paid_amount,
         sum(status = 'pending') AS pending_count, sum(iif(status = 'pending', amount, 0)) AS pending_amount,
         sum(status = 'cancelled') AS cancelled_count, sum(iif(status = 'cancelled', amount, 0)) AS cancelled_amount,
         sum(status = 'expired') AS expired_count, sum(iif(status = 'expired', amount, 0)) AS expired_amount,
         sum(status = 'paid' AND paid_late = 1) AS paid_late_count
       FROM sales GROUP BY mode, bucket, currency ORDER BY mode, bucket, currency`,
    )
    .all();
}

/** What step 11 adds to every sale from before it: nobody named, no shift, nothing refunded. */
const V11_SALE = { person_id: null, shift_id: null, closed_by: null, voided_at: null, refunded_amount: 0 };
/** And to every tender: nobody named. */
const V11_TENDER = { person_id: null };

function historyOf(db: Database.Database) {
  return db.prepare('SELECT version, name, checksum, applied_at AS appliedAt FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    checksum: string;
    appliedAt: number | null;
  }[];
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

  it('migration versions are strictly increasing from 1, one file each, SQL text each', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) {
      expect(typeof m.sql).toBe('string');
      expect(m.name).not.toBe('');
    }
  });

  it('records every step of a new ledger with the checksum of its SQL and when it ran', () => {
    const before = Date.now();
    const ledger = createLedger({ dir: tempDir() });
    const history = historyOf(ledger.database);
    ledger.close();
    expect(history.map((h) => [h.version, h.name, h.checksum])).toEqual(MIGRATIONS.map((m) => [m.version, m.name, migrationChecksum(m)]));
    expect(migrationChecksum(MIGRATIONS[0]!)).toBe(createHash('sha256').update(MIGRATIONS[0]!.sql).digest('hex'));
    for (const h of history) expect(h.appliedAt).toBeGreaterThanOrEqual(before);
  });

  // Each step, from the version before it with data in it: the data
  // survives, the step is recorded, and what the step builds holds the data.
  it.each(MIGRATIONS.map((m) => m.version))('step %i upgrades the version before it, with data in it', (version) => {
    const dir = tempDir();
    const previous = version - 1;
    const old = previous > 0 ? ledgerAtVersion(dir, previous) : new Database(join(dir, LEDGER_FILE_NAME));
    if (previous > 0) fillWithData(old, previous);
    old.close();

    const db = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(historyOf(db).map((h) => h.version)).toEqual(MIGRATIONS.filter((m) => m.version <= version).map((m) => m.version));
    if (previous > 0) {
      expect(db.prepare('SELECT ref FROM sales ORDER BY id').pluck().all()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
      expect(db.prepare('SELECT payload FROM payment_events').pluck().all()).toEqual(['jwt']);
    }
    if (version === 6) expect(storedRollupV6(db)).toEqual(rollupV6FromSales(db));
    if (version >= 7) {
      expect(storedRollup(db)).toEqual(rollupFromSales(db));
      expect(salesDisagreeingWithTenders(db)).toEqual([]);
    }
    db.close();
  });

  // From every earlier version, with data in it, to the latest: the data
  // survives and the schema ends up identical to a fresh install's.
  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('upgrades a version-%i ledger with data in it to the latest', (version) => {
    const fresh = openDatabase(tempDir());
    const expectedSchema = schemaOf(fresh);
    fresh.close();

    const dir = tempDir();
    const old = ledgerAtVersion(dir, version);
    expect(old.pragma('user_version', { simple: true })).toBe(version);
    const destination = fillWithData(old, version);
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    expect(ledger.database.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(schemaOf(ledger.database)).toEqual(expectedSchema);
    const { sale, events } = ledger.getSaleWithEvents(1);
    expect(sale).toMatchObject({ ref: 'r1', amount: 125, status: 'paid', destination, firstProof: 'webhook' });
    expect(events).toMatchObject([{ source: 'webhook', outcome: 'credited', payload: 'jwt' }]);
    // The totals read the rollup the upgrade built from the old sales.
    expect(storedRollup(ledger.database)).toEqual(rollupFromSales(ledger.database));
    expect(ledger.queries.rangeTotals({})).toMatchObject([
      { currency: 'eur', count: 1, paidAmount: 0, unpaidAmount: 700, expiredCount: 1 },
      { currency: 'usd', count: 4, paidCount: 2, paidAmount: 375, unpaidCount: 2, unpaidAmount: 1400, paidLateCount: 1 },
    ]);
    // The new version works on the old data.
    const next = ledger.createSale({ amount: 5, currency: 'usd', mode: 'live', destination });
    expect(next.id).toBe(7);
    ledger.addCashTender(next.id, { tendered: 10 });
    expect(storedRollup(ledger.database)).toEqual(rollupFromSales(ledger.database));
    expect(salesDisagreeingWithTenders(ledger.database)).toEqual([]);
    ledger.close();
  });

  it('gives a ledger from before schema_migrations the checksums of the steps it has, on its first open', () => {
    const dir = tempDir();
    const old = ledgerAtVersion(dir, LAST_VERSION_WITHOUT_HISTORY);
    fillWithData(old, LAST_VERSION_WITHOUT_HISTORY);
    expect(old.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'`).pluck().get()).toBe(0);
    old.close();

    const before = Date.now();
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const history = historyOf(ledger.database);
    ledger.close();
    expect(history.map((h) => [h.version, h.name, h.checksum])).toEqual(MIGRATIONS.map((m) => [m.version, m.name, migrationChecksum(m)]));
    // Steps the older Counter applied have no time; the ones run now do.
    for (const h of history) {
      if (h.version <= LAST_VERSION_WITHOUT_HISTORY) expect(h.appliedAt).toBeNull();
      else expect(h.appliedAt).toBeGreaterThanOrEqual(before);
    }
    // A second open finds everything recorded and passes the check.
    const again = createLedger({ dir, timeZone: 'UTC' });
    expect(historyOf(again.database)).toEqual(history);
    again.close();
  });

  it('runs all pending steps in one transaction: a failing step leaves the old version intact', () => {
    const dir = tempDir();
    ledgerAtVersion(dir, 1).close();
    const broken: Migration[] = [...MIGRATIONS.slice(0, 2), { version: 3, name: 'broken', sql: 'CREATE TABLE oops (; nonsense' }];
    expect(() => openDatabase(dir, broken)).toThrow();
    const db = new Database(join(dir, LEDGER_FILE_NAME));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('settings', 'schema_migrations')").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a ledger whose shipped step was edited afterwards, naming the step, and changes nothing', () => {
    const dir = tempDir();
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    ledger.createSale({ amount: 125, currency: 'usd', mode: 'live', destination: randomAddress() });
    ledger.close();
    const file = join(dir, LEDGER_FILE_NAME);
    const before = sha256(file);
    const size = statSync(file).size;

    const edited = MIGRATIONS.map((m) => (m.version === 3 ? { ...m, sql: m.sql.replace('sales_by_time', 'sales_by_created_at') } : m));
    const error = caughtLedgerError(() => openDatabase(dir, edited));
    expect(error.code).toBe('edited-migration');
    expect(error.message).toMatch(/step 3 \("indexes for the sales log and reconciliation"\).*edited.*not changed/s);
    expect(sha256(file)).toBe(before);
    expect(statSync(file).size).toBe(size);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);

    // The file still opens with the steps it was made with.
    const same = createLedger({ dir, timeZone: 'UTC' });
    expect(same.getSale(1).amount).toBe(125);
    same.close();
  });

  it('refuses a ledger whose recorded checksum differs from the step this version ships', () => {
    const dir = tempDir();
    createLedger({ dir }).close();
    const raw = new Database(join(dir, LEDGER_FILE_NAME));
    raw.prepare(`UPDATE schema_migrations SET checksum = ? WHERE version = 5`).run('0'.repeat(64));
    raw.close();
    const file = join(dir, LEDGER_FILE_NAME);
    const before = sha256(file);
    const error = caughtLedgerError(() => createLedger({ dir }));
    expect(error.code).toBe('edited-migration');
    expect(error.message).toMatch(/step 5 \("index for searching the sales log by amount"\)/);
    expect(error.details).toMatchObject({ version: 5, recorded: '0'.repeat(64), expected: migrationChecksum(MIGRATIONS[4]!) });
    expect(sha256(file)).toBe(before);
  });

  it('refuses a database written by a newer version, with a clear error, and changes nothing', () => {
    const dir = tempDir();
    const file = join(dir, LEDGER_FILE_NAME);
    // A newer Counter, in rollback-journal mode, so any pragma we wrote would show.
    const newer = new Database(file);
    newer.exec('CREATE TABLE future_things (x); INSERT INTO future_things VALUES (1);');
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    const before = sha256(file);

    const error = caughtLedgerError(() => createLedger({ dir }));
    expect(error.code).toBe('newer-schema');
    expect(error.message).toMatch(/newer version of Counter.*Update Counter.*not changed/s);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a newer ledger that keeps a schema_migrations record, before checking any checksum', () => {
    const dir = tempDir();
    createLedger({ dir }).close();
    const raw = new Database(join(dir, LEDGER_FILE_NAME));
    raw.prepare(`INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, 'from the future', 'abc', 1)`).run(LATEST_VERSION + 1);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const file = join(dir, LEDGER_FILE_NAME);
    const before = sha256(file);
    expect(caughtLedgerError(() => createLedger({ dir })).code).toBe('newer-schema');
    expect(sha256(file)).toBe(before);
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

describe('migration 7: every sale becomes a sale with one Code tender', () => {
  /**
   * A schema-6 ledger as Counter wrote it before tenders: sales in every
   * status and both modes, with their intents, webhook URLs, Kin facts and
   * late flags, every kind of event, and the rollup its triggers kept.
   */
  function v6Ledger(dir: string) {
    const db = ledgerAtVersion(dir, 6);
    const destination = randomAddress();
    const base = Date.UTC(2026, 5, 1, 9);
    const insert = db.prepare(
      `INSERT INTO sales (ref, amount, currency, mode, status, destination, intent_id, webhook_url, created_at, updated_at, paid_at,
         cancelled_at, expired_at, quarks, exchange_rate, first_proof, paid_late)
       VALUES (@ref, @amount, @currency, @mode, @status, @destination, @intent, @webhook, @at, @updated, @paidAt, @cancelledAt, @expiredAt,
         @quarks, @rate, @proof, @late)`,
    );
    const event = db.prepare('INSERT INTO payment_events (sale_id, source, kind, outcome, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)');
    type Row = { ref: string; amount: number; currency: string; mode: 'live' | 'sandbox'; status: string; late?: 'cancelled' | 'expired'; intent?: boolean; facts?: boolean };
    const rows: Row[] = [
      { ref: 'paid-webhook', amount: 125, currency: 'usd', mode: 'live', status: 'paid', intent: true, facts: true },
      { ref: 'paid-poll-no-facts', amount: 990, currency: 'usd', mode: 'live', status: 'paid', intent: true },
      { ref: 'paid-late-after-cancel', amount: 250, currency: 'usd', mode: 'live', status: 'paid', late: 'cancelled', intent: true, facts: true },
      { ref: 'paid-late-after-expiry', amount: 75, currency: 'eur', mode: 'live', status: 'paid', late: 'expired', intent: true, facts: true },
      { ref: 'pending-with-intent', amount: 400, currency: 'usd', mode: 'live', status: 'pending', intent: true },
      { ref: 'pending-no-intent', amount: 40, currency: 'usd', mode: 'live', status: 'pending' },
      { ref: 'cancelled', amount: 700, currency: 'eur', mode: 'live', status: 'cancelled', intent: true },
      { ref: 'expired', amount: 333, currency: 'cad', mode: 'live', status: 'expired', intent: true },
      { ref: 'sandbox-paid', amount: 5000, currency: 'usd', mode: 'sandbox', status: 'paid', intent: true, facts: true },
      { ref: 'sandbox-pending', amount: 55, currency: 'usd', mode: 'sandbox', status: 'pending', intent: true },
    ];
    const intents = new Map<string, string>();
    rows.forEach((r, i) => {
      const at = base + i * 600_000;
      const closedAt = r.status === 'cancelled' || r.status === 'expired' || r.late ? at + 30_000 : null;
      const paidAt = r.status === 'paid' ? at + 60_000 : null;
      const intent = r.intent ? randomAddress() : null;
      if (intent) intents.set(r.ref, intent);
      const info = insert.run({
        ref: r.ref,
        amount: r.amount,
        currency: r.currency,
        mode: r.mode,
        status: r.status,
        destination,
        intent,
        webhook: intent ? `https://till.example/hook/${i}` : null,
        at,
        updated: paidAt ?? closedAt ?? at,
        paidAt,
        cancelledAt: r.status === 'cancelled' || r.late === 'cancelled' ? closedAt : null,
        expiredAt: r.status === 'expired' || r.late === 'expired' ? closedAt : null,
        quarks: r.facts ? r.amount * 1_000_000 : null,
        rate: r.facts ? 0.0000101 : null,
        proof: paidAt ? (r.ref.includes('poll') ? 'status_poll' : 'webhook') : null,
        late: r.late ? 1 : 0,
      });
      const id = Number(info.lastInsertRowid);
      if (r.status === 'cancelled' || r.late === 'cancelled') event.run(id, 'manual', 'cancel', 'cancelled', closedAt, '{}');
      if (r.status === 'expired' || r.late === 'expired') event.run(id, 'system', 'expire', 'expired', closedAt, '{}');
      if (paidAt) {
        event.run(id, 'webhook', 'proof', r.late ? 'late' : 'credited', paidAt, 'eyJ.jwt');
        event.run(id, 'status_poll', 'proof', 'duplicate', paidAt + 1_000, '{"status":"confirmed"}');
      }
      if (r.ref === 'pending-with-intent') event.run(id, 'webhook', 'rejected: bad signature', 'rejected', at + 5_000, 'forged');
    });
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('shopName', '"Corner Café"', 1)`).run();
    return { db, destination, intents, rows };
  }

  it('keeps every fact of every sale on its tender, every event on it, and the totals as they were', () => {
    const dir = tempDir();
    const { db: old, intents } = v6Ledger(dir);
    const salesBefore = old.prepare('SELECT * FROM sales ORDER BY id').all() as Array<Record<string, unknown> & { id: number }>;
    const eventsBefore = old.prepare('SELECT * FROM payment_events ORDER BY id').all() as Array<Record<string, unknown>>;
    // The totals as schema 6 kept them, per mode and currency.
    const totalsBefore = old
      .prepare(
        `SELECT mode, currency, sum(paid_count) AS paidCount, sum(paid_amount) AS paidAmount, sum(pending_count) AS pendingCount,
           sum(cancelled_count) AS cancelledCount, sum(expired_count) AS expiredCount, sum(paid_late_count) AS paidLateCount,
           sum(pending_amount + cancelled_amount + expired_amount) AS unpaidAmount,
           sum(paid_count + pending_count + cancelled_count + expired_count) AS count
         FROM sales_rollup GROUP BY mode, currency ORDER BY mode, currency`,
      )
      .all();
    expect(totalsBefore.length).toBeGreaterThan(3);
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);

    // One Code tender per sale, holding every fact the sale held.
    const tenders = db.prepare('SELECT * FROM tenders ORDER BY sale_id').all() as Array<Record<string, unknown>>;
    expect(tenders).toHaveLength(salesBefore.length);
    for (const [i, sale] of salesBefore.entries()) {
      expect(tenders[i]).toEqual({
        id: expect.any(Number),
        sale_id: sale.id,
        seq: 1,
        kind: 'code',
        amount: sale.amount,
        status: sale.status,
        // The sale's ref: the idempotency key counter:<destination>:<ref> derives the same intent again.
        ref: sale.ref,
        intent_id: sale.intent_id,
        webhook_url: sale.webhook_url,
        quarks: sale.quarks,
        exchange_rate: sale.exchange_rate,
        first_proof: sale.first_proof,
        paid_late: sale.paid_late,
        tendered: null,
        change: null,
        label: null,
        created_at: sale.created_at,
        updated_at: sale.updated_at,
        paid_at: sale.paid_at,
        cancelled_at: sale.cancelled_at,
        expired_at: sale.expired_at,
        // Step 8: replays past the first few are only counted.
        duplicate_proofs: 0,
        ...V11_TENDER,
      });
    }
    // The sale keeps its own columns, and gains what was taken on it.
    const salesAfter = db.prepare('SELECT * FROM sales ORDER BY id').all() as Array<Record<string, unknown>>;
    for (const [i, before] of salesBefore.entries()) {
      const paid = before.status === 'paid' ? before.amount : 0;
      expect(salesAfter[i]).toEqual({
        ...before,
        paid_amount: paid,
        code_amount: paid,
        cash_amount: 0,
        other_amount: 0,
        change_given: 0,
        // Step 9: no tip, and none awaited.
        tip_amount: 0,
        tip_percent: null,
        awaiting_tip: 0,
        tip_chosen_by: null,
        ...V11_SALE,
      });
    }
    // Every event is its sale's one tender's, and otherwise untouched.
    const tenderOf = new Map(tenders.map((t) => [t.sale_id, t.id]));
    expect(db.prepare('SELECT * FROM payment_events ORDER BY id').all()).toEqual(eventsBefore.map((e) => ({ ...e, tender_id: tenderOf.get(e.sale_id) })));
    // The event log is still append-only.
    expect(() => db.prepare("UPDATE payment_events SET outcome = 'credited'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE payment_events SET tender_id = NULL').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM payment_events').run()).toThrow(/append-only/);

    // The totals are what they were.
    const after = (['live', 'sandbox'] as const).flatMap((mode) =>
      ledger.queries.rangeTotals({ mode }).map((t) => ({
        mode,
        currency: t.currency,
        paidCount: t.paidCount,
        paidAmount: t.paidAmount,
        pendingCount: t.pendingCount,
        cancelledCount: t.cancelledCount,
        expiredCount: t.expiredCount,
        paidLateCount: t.paidLateCount,
        unpaidAmount: t.unpaidAmount,
        count: t.count,
      })),
    );
    expect(after).toEqual(totalsBefore);
    for (const t of ledger.queries.rangeTotals({ mode: 'all' })) {
      expect(t).toMatchObject({ partlyPaidCount: 0, changeGiven: 0, byTender: { code: t.paidAmount, cash: 0, other: 0 } });
    }
    expect(storedRollup(db)).toEqual(rollupFromSales(db));
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // The API reads the old sales with their tender…
    const { sale, events } = ledger.getSaleWithEvents(3);
    expect(sale).toMatchObject({ ref: 'paid-late-after-cancel', status: 'paid', paidLate: true, paidAmount: 250, firstProof: 'webhook' });
    expect(sale.tenders).toMatchObject([{ seq: 1, kind: 'code', status: 'paid', paidLate: true, intentId: intents.get('paid-late-after-cancel'), quarks: 250_000_000 }]);
    expect(events.map((e) => [e.kind, e.outcome, e.tenderId])).toEqual([
      ['cancel', 'cancelled', sale.tenders[0]!.id],
      ['proof', 'late', sale.tenders[0]!.id],
      ['proof', 'duplicate', sale.tenders[0]!.id],
    ]);
    expect(ledger.queries.listSales({ search: intents.get('expired')!.slice(0, 8), mode: 'all' }).sales.map((s) => s.status)).toEqual(['expired']);

    // …and carries on with them: proofs by the old intents, reconciliation of both modes.
    const open = ledger.openCodeTenders(0);
    expect(open.map((o) => o.sale.destination === sale.destination && o.sale.id)).toEqual([5, 7, 8, 10]);
    expect(ledger.findTenderByIntent(intents.get('pending-with-intent')!)).toMatchObject({ sale: { id: 5, status: 'pending' }, tender: { status: 'pending' } });
    expect(ledger.recordProof({ intentId: intents.get('pending-with-intent')!, source: 'webhook', payload: 'jwt' })).toMatchObject({
      outcome: 'credited',
      sale: { id: 5, status: 'paid', paidAmount: 400 },
    });
    expect(ledger.recordProof({ intentId: intents.get('paid-webhook')!, source: 'status_poll', payload: {} }).outcome).toBe('duplicate');
    expect(ledger.recordProof({ intentId: intents.get('cancelled')!, source: 'webhook', payload: 'late' })).toMatchObject({
      outcome: 'late',
      sale: { status: 'paid', paidLate: true },
    });
    // A migrated sale's waiting Code payment is the one waiting: no second one.
    expect(() => ledger.addCodeTender(10, { amount: 55 })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(ledger.addCashTender(6, { tendered: 100 }).sale).toMatchObject({ status: 'paid', paidAmount: 40 });
    expect(storedRollup(db)).toEqual(rollupFromSales(db));
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    ledger.close();
  });

  it('a schema-6 ledger with no sales migrates to an empty rollup', () => {
    const dir = tempDir();
    ledgerAtVersion(dir, 6).close();
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    expect(storedRollup(ledger.database)).toEqual([]);
    expect(ledger.queries.rangeTotals({ mode: 'all' })).toEqual([]);
    ledger.close();
  });
});

describe('migration 9: a tip beside the amount', () => {
  /** The totals as the rollup holds them, per mode, currency and state, without the tip columns step 9 adds. */
  const rollupTotals = (db: Database.Database) =>
    db
      .prepare(
        `SELECT mode, currency, state, sum(sale_count) AS saleCount, sum(amount) AS amount, sum(paid_amount) AS paidAmount,
           sum(code_amount) AS codeAmount, sum(cash_amount) AS cashAmount, sum(other_amount) AS otherAmount,
           sum(change_given) AS changeGiven, sum(paid_late_count) AS paidLateCount
         FROM sales_rollup GROUP BY mode, currency, state ORDER BY mode, currency, state`,
      )
      .all();

  /** A schema-8 ledger with Code, cash and other tenders, a partly paid sale and change given, as Counter wrote it. */
  function v8Ledger(dir: string) {
    const db = ledgerAtVersion(dir, 8);
    const destination = fillWithData(db, 8);
    const at = 1_780_000_000_000;
    const sale = db.prepare(
      `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at, paid_at, first_proof,
         paid_amount, cash_amount, other_amount, change_given)
       VALUES (?, ?, 'usd', 'live', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tender = db.prepare(
      `INSERT INTO tenders (sale_id, seq, kind, amount, status, first_proof, tendered, change, label, created_at, updated_at, paid_at)
       VALUES (?, ?, ?, ?, 'paid', 'manual', ?, ?, ?, ?, ?, ?)`,
    );
    // Cash with change: 0.80 for 1.00.
    const cash = Number(sale.run('r7', 80, 'paid', destination, at, at, at, 'manual', 80, 80, 0, 20).lastInsertRowid);
    tender.run(cash, 1, 'cash', 80, 100, 20, null, at, at, at);
    // Partly paid: 1.00 of 3.00 on a card.
    const partly = Number(sale.run('r8', 300, 'pending', destination, at + 1, at + 1, null, null, 100, 0, 100, 0).lastInsertRowid);
    tender.run(partly, 1, 'other', 100, null, null, 'Card', at + 1, at + 1, at + 1);
    return { db, destination };
  }

  it('keeps every sale without a tip, the totals as they were, and the event log append-only', () => {
    const dir = tempDir();
    const { db: old, destination } = v8Ledger(dir);
    expect(salesDisagreeingWithTenders(old)).toEqual([]);
    const salesBefore = old.prepare('SELECT * FROM sales ORDER BY id').all() as Array<Record<string, unknown>>;
    const eventsBefore = old.prepare('SELECT * FROM payment_events ORDER BY id').all();
    const totalsBefore = rollupTotals(old);
    expect(totalsBefore.length).toBeGreaterThan(4);
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT * FROM sales ORDER BY id').all()).toEqual(
      salesBefore.map((s) => ({ ...s, tip_amount: 0, tip_percent: null, awaiting_tip: 0, tip_chosen_by: null, ...V11_SALE })),
    );
    expect(db.prepare('SELECT * FROM payment_events ORDER BY id').all()).toEqual(eventsBefore);
    // The rebuilt rollup holds what the old one did, with no tips.
    expect(rollupTotals(db)).toEqual(totalsBefore);
    expect(db.prepare('SELECT sum(tip_amount) AS tips, sum(tipped_count) AS tipped FROM sales_rollup').get()).toEqual({ tips: 0, tipped: 0 });
    expect(storedRollup(db)).toEqual(rollupFromSales(db));
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    for (const t of ledger.queries.rangeTotals({ mode: 'all' })) expect(t).toMatchObject({ tips: 0, tippedCount: 0 });
    expect(ledger.queries.rangeTotals({})).toMatchObject([
      { currency: 'eur', unpaidAmount: 700 },
      { currency: 'usd', count: 6, paidCount: 3, paidAmount: 555, byTender: { code: 375, cash: 80, other: 100 }, changeGiven: 20, partlyPaidCount: 1, unpaidAmount: 1600 },
    ]);
    expect(ledger.getSale(7)).toMatchObject({ ref: 'r7', tipAmount: 0, tipPercent: null, awaitingTip: false, tipChosenBy: null, status: 'paid' });
    // The event log is still append-only.
    expect(() => db.prepare("UPDATE payment_events SET outcome = 'tipped'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM payment_events').run()).toThrow(/append-only/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // The old sales carry on, and a new sale takes a tip.
    expect(ledger.addCashTender(8, { tendered: 200 }).sale).toMatchObject({ status: 'paid', paidAmount: 300, tipAmount: 0 });
    const tipped = ledger.createSale({ amount: 1000, currency: 'usd', mode: 'live', destination, awaitingTip: true });
    ledger.setTip(tipped.id, { amount: 150, percent: 15, by: 'customer' });
    expect(ledger.addCashTender(tipped.id, { tendered: 1150 }).sale).toMatchObject({ status: 'paid', paidAmount: 1150, tipAmount: 150 });
    expect(ledger.queries.rangeTotals({})).toMatchObject([{ currency: 'eur' }, { currency: 'usd', tips: 150, tippedCount: 1 }]);
    expect(storedRollup(db)).toEqual(rollupFromSales(db));
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    ledger.close();
  });
});

describe('migration 10: the print queue and the drawer openings', () => {
  it('adds the two tables empty, leaves every sale, tender and event as it was, and holds a job to its shape', () => {
    const dir = tempDir();
    const old = ledgerAtVersion(dir, 9);
    const destination = fillWithData(old, 9);
    const before = {
      sales: old.prepare('SELECT * FROM sales ORDER BY id').all(),
      tenders: old.prepare('SELECT * FROM tenders ORDER BY id').all(),
      events: old.prepare('SELECT * FROM payment_events ORDER BY id').all(),
      rollup: storedRollup(old),
    };
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT * FROM sales ORDER BY id').all()).toEqual(before.sales.map((r) => ({ ...(r as object), ...V11_SALE })));
    expect(db.prepare('SELECT * FROM tenders ORDER BY id').all()).toEqual(before.tenders.map((r) => ({ ...(r as object), ...V11_TENDER })));
    expect(db.prepare('SELECT * FROM payment_events ORDER BY id').all()).toEqual(before.events);
    expect(storedRollup(db)).toEqual(before.rollup);
    expect(db.prepare('SELECT count(*) FROM print_jobs').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(0);
    expect(ledger.queries.daySummary('2026-05-28', 'all').drawerOpenings).toEqual({ cash: 0, noSale: 0 });

    // The old paid sale (1) prints; its automatic receipt exists once.
    expect(ledger.printing.enqueueAuto({ saleId: 1, copies: ['customer'] })).toHaveLength(1);
    expect(ledger.printing.enqueueAuto({ saleId: 1, copies: ['customer'] })).toEqual([]);
    const insert = (values: string) =>
      db.prepare(`INSERT INTO print_jobs (kind, reason, sale_id, copy, date, mode, state, last_error, printed_at, created_at, updated_at, queued_at) VALUES (${values}, 1, 1, 1)`);
    // Shapes the schema refuses, whoever writes them.
    expect(() => insert(`'receipt', 'manual', 1, NULL, NULL, NULL, 'queued', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'test', 'auto', NULL, NULL, NULL, NULL, 'queued', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'day-summary', 'manual', NULL, NULL, '2026-05-28', NULL, 'queued', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'drawer', 'manual', NULL, NULL, NULL, NULL, 'queued', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'drawer', 'cash', NULL, NULL, NULL, NULL, 'queued', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'test', 'manual', NULL, NULL, NULL, NULL, 'failed', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'test', 'manual', NULL, NULL, NULL, NULL, 'printed', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'test', 'manual', NULL, NULL, NULL, NULL, 'lost', NULL, NULL`).run()).toThrow(/CHECK/);
    expect(() => insert(`'receipt', 'manual', 999, 'customer', NULL, NULL, 'queued', NULL, NULL`).run()).toThrow(/FOREIGN KEY/);
    const opening = (values: string) => db.prepare(`INSERT INTO drawer_openings (at, reason, mode, sale_id, tender_id, print_job_id) VALUES (1, ${values})`);
    expect(() => opening(`'cash', 'live', NULL, NULL, 1`).run()).toThrow(/CHECK/);
    expect(() => opening(`'no-sale', 'live', 1, 1, 1`).run()).toThrow(/CHECK/);
    expect(() => opening(`'no-sale', 'all', NULL, NULL, 1`).run()).toThrow(/CHECK/);

    // The old sales carry on, and a new cash sale opens the drawer once.
    const sale = ledger.createSale({ amount: 500, currency: 'usd', mode: 'live', destination });
    const { tender } = ledger.addCashTender(sale.id, { tendered: 1000 });
    expect(ledger.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).not.toBeNull();
    expect(ledger.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).toBeNull();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    ledger.close();
  });
});

describe('migration 11: people, shifts, refunds and the audit log', () => {
  /** A schema-10 ledger with sales of every kind, a cash sale with its drawer opening, a No sale, and print jobs of every kind then known. */
  function v10Ledger(dir: string) {
    const db = ledgerAtVersion(dir, 10);
    const destination = fillWithData(db, 10);
    const at = 1_780_000_000_000;
    const cashSale = Number(
      db
        .prepare(
          `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at, paid_at, first_proof, paid_amount, cash_amount, change_given)
           VALUES ('r7', 80, 'usd', 'live', 'paid', ?, ?, ?, ?, 'manual', 80, 80, 20)`,
        )
        .run(destination, at, at, at).lastInsertRowid,
    );
    const cashTender = Number(
      db
        .prepare(
          `INSERT INTO tenders (sale_id, seq, kind, amount, status, first_proof, tendered, change, created_at, updated_at, paid_at)
           VALUES (?, 1, 'cash', 80, 'paid', 'manual', 100, 20, ?, ?, ?)`,
        )
        .run(cashSale, at, at, at).lastInsertRowid,
    );
    const job = db.prepare(
      `INSERT INTO print_jobs (kind, reason, sale_id, copy, date, mode, state, attempts, last_error, created_at, updated_at, queued_at, printed_at)
       VALUES (@kind, @reason, @saleId, @copy, @date, @mode, @state, @attempts, @error, @at, @at, @at, @printedAt)`,
    );
    const base = { saleId: null, copy: null, date: null, mode: null, state: 'queued', attempts: 0, error: null, at, printedAt: null };
    // Ids with gaps: a deleted job never existed, but the copy must keep the ids it finds.
    job.run({ ...base, kind: 'receipt', reason: 'auto', saleId: 1, copy: 'customer', state: 'printed', attempts: 1, printedAt: at + 1 });
    job.run({ ...base, kind: 'day-summary', reason: 'manual', date: '2026-05-28', mode: 'all', state: 'failed', attempts: 2, error: 'Out of paper.' });
    const drawerJob = Number(job.run({ ...base, kind: 'drawer', reason: 'cash', saleId: cashSale }).lastInsertRowid);
    const gone = Number(job.run({ ...base, kind: 'test', reason: 'manual' }).lastInsertRowid);
    const noSaleJob = Number(job.run({ ...base, kind: 'drawer', reason: 'no-sale' }).lastInsertRowid);
    db.prepare('DELETE FROM print_jobs WHERE id = ?').run(gone);
    job.run({ ...base, kind: 'receipt', reason: 'manual', saleId: cashSale, copy: 'shop' });
    const opening = db.prepare('INSERT INTO drawer_openings (at, reason, mode, sale_id, tender_id, print_job_id) VALUES (?, ?, ?, ?, ?, ?)');
    opening.run(at, 'cash', 'live', cashSale, cashTender, drawerJob);
    opening.run(at + 5, 'no-sale', 'live', null, null, noSaleJob);
    return { db, destination };
  }

  it('keeps every row, the print jobs’ ids and contents, the drawer openings on their jobs; the new columns are empty', () => {
    const dir = tempDir();
    const { db: old, destination } = v10Ledger(dir);
    const all = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY ${table === 'settings' ? 'key' : 'id'}`).all() as Array<Record<string, unknown>>;
    const before = {
      sales: all(old, 'sales'),
      tenders: all(old, 'tenders'),
      events: all(old, 'payment_events'),
      settings: all(old, 'settings'),
      jobs: all(old, 'print_jobs'),
      openings: all(old, 'drawer_openings'),
      rollup: storedRollup(old),
      totals: null as unknown,
    };
    expect(before.jobs.map((j) => j.id)).toEqual([1, 2, 3, 5, 6]);
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(all(db, 'sales')).toEqual(before.sales.map((r) => ({ ...r, ...V11_SALE })));
    expect(all(db, 'tenders')).toEqual(before.tenders.map((r) => ({ ...r, ...V11_TENDER })));
    expect(all(db, 'payment_events')).toEqual(before.events);
    expect(all(db, 'settings')).toEqual(before.settings);
    expect(storedRollup(db)).toEqual(before.rollup);
    // Every job keeps its id and every fact; the new columns are empty.
    expect(all(db, 'print_jobs')).toEqual(before.jobs.map((j) => ({ ...j, refund_id: null, shift_id: null })));
    // Every drawer opening still points at its own job, and names nobody and no shift.
    expect(all(db, 'drawer_openings')).toEqual(before.openings.map((o) => ({ ...o, person_id: null, shift_id: null })));
    expect(db.prepare('SELECT o.reason, j.kind, j.reason AS jobReason FROM drawer_openings o JOIN print_jobs j ON j.id = o.print_job_id ORDER BY o.id').all()).toEqual([
      { reason: 'cash', kind: 'drawer', jobReason: 'cash' },
      { reason: 'no-sale', kind: 'drawer', jobReason: 'no-sale' },
    ]);
    const openingsSql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'drawer_openings'").pluck().get() as string;
    expect(openingsSql).toMatch(/print_job_id\s+INTEGER NOT NULL REFERENCES "?print_jobs"?\(id\)/);
    expect(schemaOf(db).filter((r) => JSON.stringify(r).includes('_v11'))).toEqual([]);
    for (const table of ['people', 'shifts', 'refunds', 'audit_log']) expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(salesDisagreeingWithTenders(db)).toEqual([]);
    // The sales read back with nobody named and nothing refunded.
    for (const sale of allSalesOf(ledger)) expect(sale).toMatchObject({ soldBy: null, shiftId: null, refundedAmount: 0, voidedAt: null, closedBy: null });
    expect(ledger.queries.rangeTotals({ mode: 'all' }).every((t) => t.refunds === 0 && t.refundCount === 0)).toBe(true);
    // A new job after the copy takes the next id (the sequence came along).
    expect(ledger.printing.enqueue({ kind: 'test', reason: 'manual' }).id).toBe(7);

    // Refunds and the audit log are append-only, whoever writes them.
    const now = Date.now();
    const owner = Number(
      db.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES ('Ana', 'owner', 'scrypt$x', ?, ?)`).run(now, now).lastInsertRowid,
    );
    const refund = ledger.refunds.record({ saleId: 1, amount: 50, method: 'other', note: 'Voucher', by: { id: owner, name: 'Ana', role: 'owner' } });
    expect(refund.sale.refundedAmount).toBe(50);
    expect(() => db.prepare('UPDATE refunds SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM refunds').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    expect(() => db.prepare("UPDATE audit_log SET summary = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    // A sale never refunds more than it took, whoever writes it (the CHECK).
    expect(() => db.prepare('UPDATE sales SET refunded_amount = paid_amount + 1 WHERE id = 1').run()).toThrow(/CHECK/);
    // The old sales carry on: a new cash sale opens the drawer once.
    const sale = ledger.createSale({ amount: 500, currency: 'usd', mode: 'live', destination });
    const { tender } = ledger.addCashTender(sale.id, { tendered: 1000 });
    expect(ledger.printing.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).not.toBeNull();
    expect(db.pragma('foreign_key_check')).toEqual([]);
    ledger.close();
  });
});

describe('migration 12: the outbox', () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const outboxOf = (db: Database.Database) => db.prepare('SELECT entity, local_id FROM outbox ORDER BY seq').all() as Array<{ entity: string; local_id: number }>;
  const count = (db: Database.Database, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  /** A schema-11 ledger with sales in every status, a person, a shift, a refund and a drawer opening. */
  function v11Ledger(dir: string) {
    const db = ledgerAtVersion(dir, 11);
    fillWithData(db, 11);
    const at = 1_780_000_000_000;
    const person = Number(
      db.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES ('Ana', 'owner', 'scrypt$x', ?, ?)`).run(at, at).lastInsertRowid,
    );
    const shift = Number(
      db.prepare(`INSERT INTO shifts (mode, currency, opened_by, opened_at, float_amount) VALUES ('live', 'usd', ?, ?, 5000)`).run(person, at).lastInsertRowid,
    );
    const paid = db.prepare(`SELECT id, paid_amount, currency, mode FROM sales WHERE status = 'paid' ORDER BY id LIMIT 1`).get() as { id: number; paid_amount: number; currency: string; mode: string };
    db.prepare(`INSERT INTO refunds (sale_id, amount, currency, mode, method, person_id, shift_id, created_at) VALUES (?, 1, ?, ?, 'cash', ?, ?, ?)`).run(
      paid.id, paid.currency, paid.mode, person, shift, at,
    );
    db.prepare('UPDATE sales SET refunded_amount = 1 WHERE id = ?').run(paid.id);
    const job = Number(
      db.prepare(`INSERT INTO print_jobs (kind, reason, state, created_at, updated_at, queued_at) VALUES ('drawer', 'no-sale', 'queued', ?, ?, ?)`).run(at, at, at).lastInsertRowid,
    );
    db.prepare(`INSERT INTO drawer_openings (at, reason, mode, print_job_id, person_id, shift_id) VALUES (?, 'no-sale', 'live', ?, ?, ?)`).run(at, job, person, shift);
    return db;
  }

  it('gives the till a random id for good, and names every record already in the ledger once, in order', () => {
    const dir = tempDir();
    const old = v11Ledger(dir);
    const all = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY ${table === 'settings' ? 'key' : 'id'}`).all();
    const tables = ['sales', 'tenders', 'payment_events', 'refunds', 'shifts', 'people', 'drawer_openings', 'settings', 'audit_log'];
    const before = Object.fromEntries(tables.map((t) => [t, all(old, t)]));
    const expected = [
      ...(old.prepare('SELECT id FROM people ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'person', local_id: id })),
      ...(old.prepare('SELECT id FROM shifts ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'shift', local_id: id })),
      ...(old.prepare('SELECT id FROM sales ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'sale', local_id: id })),
      ...(old.prepare('SELECT id FROM tenders ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'tender', local_id: id })),
      ...(old.prepare('SELECT id FROM payment_events ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'event', local_id: id })),
      ...(old.prepare('SELECT id FROM refunds ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'refund', local_id: id })),
      ...(old.prepare('SELECT id FROM drawer_openings ORDER BY id').pluck().all() as number[]).map((id) => ({ entity: 'drawer', local_id: id })),
    ];
    expect(expected.filter((r) => r.entity === 'sale').length).toBeGreaterThan(3);
    old.close();

    const ledger = createLedger({ dir, timeZone: 'UTC' });
    const db = ledger.database;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    for (const table of tables) expect(all(db, table), table).toEqual(before[table]);
    expect(outboxOf(db)).toEqual(expected);
    expect(count(db, 'outbox')).toBe(count(db, 'outbox WHERE acked_at IS NULL'));

    const identity = db.prepare('SELECT till_id FROM till_identity').pluck().get() as string;
    expect(identity).toMatch(UUID_V4);
    expect(() => db.prepare(`UPDATE till_identity SET till_id = '00000000-0000-4000-8000-000000000000'`).run()).toThrow(/a till keeps its id/);
    expect(() => db.prepare('DELETE FROM till_identity').run()).toThrow(/a till keeps its id/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    ledger.close();

    // Another ledger is another till.
    const other = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const otherId = other.database.prepare('SELECT till_id FROM till_identity').pluck().get() as string;
    expect(otherId).toMatch(UUID_V4);
    expect(otherId).not.toBe(identity);
    other.close();
  });

  it('every change of a record that syncs adds its row in the same transaction; a rolled-back write adds none; PIN counts and duplicate counts add none', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const db = ledger.database;
    const since = () => outboxOf(db).slice(start);
    let start = count(db, 'outbox');

    const sale = ledger.createSale({ amount: 250, currency: 'usd', mode: 'sandbox', destination: randomAddress() });
    const { tender } = ledger.addCodeTender(sale.id, { amount: 250 });
    // The sale's insert first; then the tender (and the sale again, which the tender's transaction touches).
    expect(since()[0]).toEqual({ entity: 'sale', local_id: sale.id });
    expect(since().filter((r) => r.entity === 'tender')).toEqual([{ entity: 'tender', local_id: tender.id }]);
    expect(since().every((r) => r.local_id === (r.entity === 'sale' ? sale.id : tender.id))).toBe(true);

    start = count(db, 'outbox');
    ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: 'first' });
    const credited = since();
    expect(credited.filter((r) => r.entity === 'tender')).toEqual([{ entity: 'tender', local_id: tender.id }]);
    expect(credited.some((r) => r.entity === 'sale' && r.local_id === sale.id)).toBe(true);
    expect(credited.some((r) => r.entity === 'event')).toBe(true);

    // Duplicates past the kept few only count themselves on the tender: no outbox row.
    for (let i = 0; i < 8; i++) ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: `again ${i}` });
    start = count(db, 'outbox');
    ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: 'one more' });
    expect(db.prepare('SELECT duplicate_proofs FROM tenders WHERE id = ?').pluck().get(tender.id)).toBeGreaterThan(0);
    expect(since()).toEqual([]);

    // A write that rolls back leaves no outbox row.
    start = count(db, 'outbox');
    expect(() =>
      db.transaction(() => {
        ledger.createSale({ amount: 100, currency: 'usd', mode: 'sandbox', destination: randomAddress() });
        throw new Error('power cut');
      })(),
    ).toThrow('power cut');
    expect(since()).toEqual([]);

    // A person syncs by name, role and being active; a failed PIN's count does not.
    const at = Date.now();
    const person = Number(db.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES ('Ben', 'cashier', 'scrypt$x', ?, ?)`).run(at, at).lastInsertRowid);
    db.prepare('UPDATE people SET failed_pins = failed_pins + 1, last_failed_at = ? WHERE id = ?').run(at, person);
    db.prepare(`UPDATE people SET role = 'manager' WHERE id = ?`).run(person);
    expect(since()).toEqual([
      { entity: 'person', local_id: person },
      { entity: 'person', local_id: person },
    ]);
    ledger.close();
  });
});
