import type { Migration } from './migration';

/** Now, in epoch milliseconds, in SQL (no unixepoch('subsec'), which older SQLite lacks). */
const NOW_MS = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;

/** A random (version 4) UUID in SQL: 8-4-4-4-12 lower-case hex digits, version 4, variant 8–b. */
const UUID_V4 = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/** The trigger that appends one outbox row naming the record a write just changed. */
const ON_WRITE = (name: string, event: string, table: string, entity: string, at: string, when = '') => `
        CREATE TRIGGER outbox_${name} AFTER ${event} ON ${table}${when ? ` WHEN ${when}` : ''}
        BEGIN INSERT INTO outbox (entity, local_id, changed_at) VALUES ('${entity}', NEW.id, ${at}); END;`;

/**
 * The outbox (issue 16): the sales flow from each till's ledger, the source
 * of truth, to the shop's PostgreSQL database.
 *
 * - `till_identity`: this ledger's till, a random UUID made when this step
 *   runs (a fresh install's first start, or the upgrade), never changed.
 * - `outbox`: one row per change of a record that syncs, appended by
 *   triggers in the same transaction as the change, so no code path can
 *   change a sale without it and a rolled-back write leaves none. A row
 *   names the record (entity and local id), not its contents: the sync
 *   worker sends each record's state as it stands, with the `seq` of its
 *   latest change as the version, and PostgreSQL keeps the highest version
 *   (an idempotent upsert), so a batch sent twice changes nothing. `seq` is
 *   AUTOINCREMENT: never reused, so versions only grow. `acked_at` is set
 *   once PostgreSQL has committed the batch.
 * - What syncs: sales (with their tips), tenders, payment events (every
 *   proof among them), refunds, shifts, drawer openings, and people's names
 *   and roles (never a PIN: only changes of name, role or active count).
 *   A duplicate proof that only counts itself on its tender (migration 8)
 *   adds no row: the count is the till's diagnosis, and the events it
 *   keeps sync as events.
 * - Every record already in the ledger gets one row, so a till that joins a
 *   shop database sends its whole history.
 *
 * The text is a string built only from the constant fragments above: its
 * checksum is recorded, so it must never change once shipped.
 */
export const migration: Migration = {
  version: 12,
  name: 'the outbox: every change of a record that syncs, for the shop database',
  sql: `
        CREATE TABLE till_identity (
          one        INTEGER PRIMARY KEY CHECK (one = 1),
          till_id    TEXT    NOT NULL CHECK (length(till_id) = 36),
          created_at INTEGER NOT NULL
        );
        INSERT INTO till_identity (one, till_id, created_at) VALUES (1, ${UUID_V4}, ${NOW_MS});
        CREATE TRIGGER till_identity_no_update BEFORE UPDATE ON till_identity
        BEGIN SELECT RAISE(ABORT, 'a till keeps its id'); END;
        CREATE TRIGGER till_identity_no_delete BEFORE DELETE ON till_identity
        BEGIN SELECT RAISE(ABORT, 'a till keeps its id'); END;

        CREATE TABLE outbox (
          seq        INTEGER PRIMARY KEY AUTOINCREMENT,
          entity     TEXT    NOT NULL CHECK (entity IN ('sale', 'tender', 'event', 'refund', 'shift', 'drawer', 'person')),
          local_id   INTEGER NOT NULL CHECK (typeof(local_id) = 'integer' AND local_id > 0),
          changed_at INTEGER NOT NULL,
          acked_at   INTEGER
        );
        CREATE INDEX outbox_waiting ON outbox (seq) WHERE acked_at IS NULL;
        CREATE INDEX outbox_by_record ON outbox (entity, local_id, seq);

        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'person', id, updated_at FROM people ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'shift', id, coalesce(closed_at, opened_at) FROM shifts ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'sale', id, updated_at FROM sales ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'tender', id, updated_at FROM tenders ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'event', id, received_at FROM payment_events ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'refund', id, created_at FROM refunds ORDER BY id;
        INSERT INTO outbox (entity, local_id, changed_at) SELECT 'drawer', id, at FROM drawer_openings ORDER BY id;
        ${ON_WRITE('people_insert', 'INSERT', 'people', 'person', 'NEW.updated_at')}
        ${ON_WRITE('people_update', 'UPDATE OF name, role, active', 'people', 'person', 'NEW.updated_at')}
        ${ON_WRITE('shifts_insert', 'INSERT', 'shifts', 'shift', 'NEW.opened_at')}
        ${ON_WRITE('shifts_update', 'UPDATE', 'shifts', 'shift', 'coalesce(NEW.closed_at, NEW.opened_at)')}
        ${ON_WRITE('sales_insert', 'INSERT', 'sales', 'sale', 'NEW.updated_at')}
        ${ON_WRITE('sales_update', 'UPDATE', 'sales', 'sale', 'NEW.updated_at')}
        ${ON_WRITE('tenders_insert', 'INSERT', 'tenders', 'tender', 'NEW.updated_at')}
        ${ON_WRITE('tenders_update', 'UPDATE', 'tenders', 'tender', 'NEW.updated_at', 'OLD.duplicate_proofs = NEW.duplicate_proofs')}
        ${ON_WRITE('events_insert', 'INSERT', 'payment_events', 'event', 'NEW.received_at')}
        ${ON_WRITE('refunds_insert', 'INSERT', 'refunds', 'refund', 'NEW.created_at')}
        ${ON_WRITE('drawer_insert', 'INSERT', 'drawer_openings', 'drawer', 'NEW.at')}
      `,
};
