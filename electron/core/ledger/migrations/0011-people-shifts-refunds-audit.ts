import type { Migration } from './migration';

/**
 * People, shifts, refunds and the audit log (issue 15), in one step.
 *
 * - `people`: the owner (at most one, the partial unique index), managers
 *   and cashiers. A PIN is kept only as its scrypt hash string (algorithm,
 *   cost, per-person salt and hash: see core/people/pin-hash.ts). Failed PIN
 *   tries, the time of the last one and a lockout are kept here, so a
 *   restart neither forgets nor resets them. A person is never deleted
 *   (sales and the audit log name them): removing one makes them inactive.
 * - `shifts`: one till's cash drawer between a counted float and a counted
 *   close. At most one is open (the partial unique index on a constant).
 *   A shift runs in one mode (switching sandbox/live needs no open shift).
 *   Closing freezes the expected cash, the counted cash and the Z-report
 *   (JSON) in the row; a closed shift never changes again (the trigger).
 * - `refunds`: Code has no refund API, so a refund is what the shop handed
 *   back, recorded against a paid sale: cash back, sent back by Code (a
 *   note says where), or another way. `void_of_sale` marks the refunds a
 *   void wrote when it closed a sale with money taken. Append-only.
 * - Who did it: sales, tenders, drawer openings and cancels carry the
 *   person (null before the owner exists, and on rows from before this
 *   step); sales, refunds and drawer openings carry the shift that was open.
 *   `sales.refunded_amount` is kept by the store in the refund's own
 *   transaction, so a sale never refunds more than was taken (the CHECK).
 * - `audit_log`: who did what and when, with the person's name as it was;
 *   append-only, as the payment-event log is (the triggers).
 * - `print_jobs` is rebuilt (SQLite cannot widen a CHECK in place) to take
 *   refund receipts and shift reports, and `drawer_openings` with it (it
 *   points at the jobs, and gains the person and the shift). Every row and
 *   id is copied, so the openings keep pointing at the same jobs; the
 *   foreign keys are checked when the step commits.
 *
 * The text is a string: its checksum is recorded, so it must never change
 * once shipped.
 */
export const migration: Migration = {
  version: 11,
  name: 'people, shifts, refunds and the audit log',
  sql: `
        PRAGMA defer_foreign_keys = ON;

        CREATE TABLE people (
          id              INTEGER PRIMARY KEY AUTOINCREMENT,
          name            TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 40),
          role            TEXT    NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
          pin_hash        TEXT    NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
          active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
          failed_pins     INTEGER NOT NULL DEFAULT 0 CHECK (typeof(failed_pins) = 'integer' AND failed_pins >= 0),
          last_failed_at  INTEGER,
          locked_until    INTEGER,
          last_sign_in_at INTEGER,
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          CHECK (role <> 'owner' OR active = 1)
        );
        CREATE UNIQUE INDEX people_one_owner ON people (role) WHERE role = 'owner';
        CREATE UNIQUE INDEX people_active_name ON people (lower(trim(name))) WHERE active = 1;

        CREATE TABLE shifts (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          mode          TEXT    NOT NULL CHECK (mode IN ('live', 'sandbox')),
          currency      TEXT    NOT NULL CHECK (currency = lower(currency) AND length(currency) BETWEEN 3 AND 4),
          opened_by     INTEGER NOT NULL REFERENCES people(id),
          opened_at     INTEGER NOT NULL,
          float_amount  INTEGER NOT NULL CHECK (typeof(float_amount) = 'integer' AND float_amount >= 0),
          closed_by     INTEGER REFERENCES people(id),
          closed_at     INTEGER,
          counted_cash  INTEGER CHECK (counted_cash IS NULL OR (typeof(counted_cash) = 'integer' AND counted_cash >= 0)),
          expected_cash INTEGER CHECK (expected_cash IS NULL OR typeof(expected_cash) = 'integer'),
          report        TEXT,
          CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
          CHECK ((closed_at IS NULL) = (counted_cash IS NULL)),
          CHECK ((closed_at IS NULL) = (expected_cash IS NULL)),
          CHECK ((closed_at IS NULL) = (report IS NULL))
        );
        CREATE UNIQUE INDEX shifts_one_open ON shifts ((1)) WHERE closed_at IS NULL;
        CREATE INDEX shifts_by_opened ON shifts (opened_at, id);
        CREATE TRIGGER shifts_closed_no_update BEFORE UPDATE ON shifts WHEN OLD.closed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a closed shift cannot change'); END;
        CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
        BEGIN SELECT RAISE(ABORT, 'shifts are kept'); END;

        ALTER TABLE sales ADD COLUMN person_id INTEGER REFERENCES people(id);
        ALTER TABLE sales ADD COLUMN shift_id INTEGER REFERENCES shifts(id);
        ALTER TABLE sales ADD COLUMN closed_by INTEGER REFERENCES people(id);
        ALTER TABLE sales ADD COLUMN voided_at INTEGER;
        ALTER TABLE sales ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0
          CHECK (typeof(refunded_amount) = 'integer' AND refunded_amount >= 0 AND refunded_amount <= paid_amount);
        CREATE INDEX sales_by_shift ON sales (shift_id, created_at) WHERE shift_id IS NOT NULL;
        ALTER TABLE tenders ADD COLUMN person_id INTEGER REFERENCES people(id);

        CREATE TABLE refunds (
          id           INTEGER PRIMARY KEY AUTOINCREMENT,
          sale_id      INTEGER NOT NULL REFERENCES sales(id),
          amount       INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
          currency     TEXT    NOT NULL,
          mode         TEXT    NOT NULL CHECK (mode IN ('live', 'sandbox')),
          method       TEXT    NOT NULL CHECK (method IN ('cash', 'code', 'other')),
          note         TEXT    CHECK (note IS NULL OR length(note) BETWEEN 1 AND 200),
          person_id    INTEGER NOT NULL REFERENCES people(id),
          shift_id     INTEGER REFERENCES shifts(id),
          void_of_sale INTEGER NOT NULL DEFAULT 0 CHECK (void_of_sale IN (0, 1)),
          created_at   INTEGER NOT NULL,
          CHECK (method = 'cash' OR note IS NOT NULL)
        );
        CREATE INDEX refunds_by_sale ON refunds (sale_id, id);
        CREATE INDEX refunds_by_time ON refunds (created_at, id);
        CREATE INDEX refunds_by_shift ON refunds (shift_id) WHERE shift_id IS NOT NULL;
        CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;
        CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds are append-only'); END;

        CREATE TABLE audit_log (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          at          INTEGER NOT NULL,
          person_id   INTEGER REFERENCES people(id),
          person_name TEXT    CHECK (person_name IS NULL OR length(person_name) <= 40),
          action      TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
          summary     TEXT    NOT NULL CHECK (length(summary) <= 500),
          detail      TEXT    NOT NULL CHECK (json_valid(detail)),
          sale_id     INTEGER REFERENCES sales(id),
          shift_id    INTEGER REFERENCES shifts(id)
        );
        CREATE INDEX audit_log_by_time ON audit_log (at, id);
        CREATE INDEX audit_log_by_action ON audit_log (action, at, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

        CREATE TABLE print_jobs_v11 (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          kind        TEXT    NOT NULL CHECK (kind IN ('receipt', 'day-summary', 'test', 'drawer', 'refund', 'shift-report')),
          reason      TEXT    NOT NULL CHECK (reason IN ('auto', 'manual', 'cash', 'no-sale')),
          sale_id     INTEGER REFERENCES sales(id),
          copy        TEXT    CHECK (copy IS NULL OR copy IN ('customer', 'shop')),
          date        TEXT    CHECK (date IS NULL OR length(date) = 10),
          mode        TEXT    CHECK (mode IS NULL OR mode IN ('live', 'sandbox', 'all')),
          refund_id   INTEGER REFERENCES refunds(id),
          shift_id    INTEGER REFERENCES shifts(id),
          state       TEXT    NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
          attempts    INTEGER NOT NULL DEFAULT 0 CHECK (typeof(attempts) = 'integer' AND attempts >= 0),
          last_error  TEXT    CHECK (last_error IS NULL OR length(last_error) <= 500),
          created_at  INTEGER NOT NULL,
          updated_at  INTEGER NOT NULL,
          queued_at   INTEGER NOT NULL,
          printed_at  INTEGER,
          CHECK ((kind = 'receipt') = (copy IS NOT NULL)),
          CHECK (kind <> 'receipt' OR sale_id IS NOT NULL),
          CHECK ((kind = 'day-summary') = (date IS NOT NULL AND mode IS NOT NULL)),
          CHECK (kind = 'day-summary' OR mode IS NULL),
          CHECK ((kind = 'refund') = (refund_id IS NOT NULL)),
          CHECK ((kind = 'shift-report') = (shift_id IS NOT NULL)),
          CHECK (reason <> 'auto' OR kind IN ('receipt', 'refund', 'shift-report')),
          CHECK ((kind = 'drawer') = (reason IN ('cash', 'no-sale'))),
          CHECK (reason <> 'cash' OR sale_id IS NOT NULL),
          CHECK ((state = 'printed') = (printed_at IS NOT NULL)),
          CHECK (state <> 'failed' OR last_error IS NOT NULL)
        );
        INSERT INTO print_jobs_v11 (id, kind, reason, sale_id, copy, date, mode, state, attempts, last_error, created_at, updated_at, queued_at, printed_at)
        SELECT id, kind, reason, sale_id, copy, date, mode, state, attempts, last_error, created_at, updated_at, queued_at, printed_at
        FROM print_jobs ORDER BY id;

        -- Rebuilt with print_jobs, pointing at the new table: dropping a parent
        -- that still has child rows counts a deferred foreign-key violation per
        -- row, which no later rename takes back, so the commit would fail.
        CREATE TABLE drawer_openings_v11 (
          id           INTEGER PRIMARY KEY AUTOINCREMENT,
          at           INTEGER NOT NULL,
          reason       TEXT    NOT NULL CHECK (reason IN ('cash', 'no-sale')),
          mode         TEXT    NOT NULL CHECK (mode IN ('live', 'sandbox')),
          sale_id      INTEGER REFERENCES sales(id),
          tender_id    INTEGER UNIQUE REFERENCES tenders(id),
          print_job_id INTEGER NOT NULL REFERENCES print_jobs_v11(id),
          person_id    INTEGER REFERENCES people(id),
          shift_id     INTEGER REFERENCES shifts(id),
          CHECK ((reason = 'cash') = (sale_id IS NOT NULL AND tender_id IS NOT NULL)),
          CHECK (reason = 'cash' OR (sale_id IS NULL AND tender_id IS NULL))
        );
        INSERT INTO drawer_openings_v11 (id, at, reason, mode, sale_id, tender_id, print_job_id)
        SELECT id, at, reason, mode, sale_id, tender_id, print_job_id FROM drawer_openings ORDER BY id;
        -- The id sequences come along too, so no id is ever handed out twice.
        UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'print_jobs') WHERE name = 'print_jobs_v11'
          AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'print_jobs');
        UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'drawer_openings') WHERE name = 'drawer_openings_v11'
          AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'drawer_openings');
        DROP TABLE drawer_openings;
        DROP TABLE print_jobs;
        -- Renaming the new print_jobs also renames the openings' reference to it.
        ALTER TABLE print_jobs_v11 RENAME TO print_jobs;
        ALTER TABLE drawer_openings_v11 RENAME TO drawer_openings;
        CREATE INDEX drawer_openings_by_time ON drawer_openings (at);
        CREATE INDEX drawer_openings_by_shift ON drawer_openings (shift_id) WHERE shift_id IS NOT NULL;
        CREATE UNIQUE INDEX print_jobs_auto_once ON print_jobs (sale_id, copy) WHERE reason = 'auto';
        CREATE UNIQUE INDEX print_jobs_refund_auto_once ON print_jobs (refund_id) WHERE reason = 'auto' AND kind = 'refund';
        CREATE UNIQUE INDEX print_jobs_shift_auto_once ON print_jobs (shift_id) WHERE reason = 'auto' AND kind = 'shift-report';
        CREATE INDEX print_jobs_by_state ON print_jobs (state, queued_at, id);
        CREATE INDEX print_jobs_failed ON print_jobs (updated_at) WHERE state = 'failed';
        CREATE INDEX print_jobs_printed ON print_jobs (printed_at) WHERE state = 'printed';
        CREATE INDEX print_jobs_by_sale ON print_jobs (sale_id) WHERE sale_id IS NOT NULL;
      `,
};
