import type { Migration } from './migration';

/** A sale's derived state in SQL: 'partly_paid' is never stored, it is a pending sale with money taken. */
const STATE = (row: string) => `iif(${row}.status = 'pending' AND ${row}.paid_amount > 0, 'partly_paid', ${row}.status)`;
const BUCKET = (row: string) => `${row}.created_at / 900000 - (${row}.created_at % 900000 < 0)`;
const ROLLUP_COLUMNS = 'mode, bucket, currency, state, sale_count, amount, paid_amount, code_amount, cash_amount, other_amount, change_given, paid_late_count';
const ROLLUP_VALUES = (row: string) =>
  `${row}.mode, ${BUCKET(row)}, ${row}.currency, ${STATE(row)}, 1, ${row}.amount, ${row}.paid_amount, ${row}.code_amount,
            ${row}.cash_amount, ${row}.other_amount, ${row}.change_given, ${row}.paid_late`;
const ROLLUP_ADD = `ON CONFLICT (mode, bucket, currency, state) DO UPDATE SET
            sale_count = sale_count + excluded.sale_count, amount = amount + excluded.amount,
            paid_amount = paid_amount + excluded.paid_amount, code_amount = code_amount + excluded.code_amount,
            cash_amount = cash_amount + excluded.cash_amount, other_amount = other_amount + excluded.other_amount,
            change_given = change_given + excluded.change_given, paid_late_count = paid_late_count + excluded.paid_late_count`;
const ROLLUP_SUBTRACT_OLD = `UPDATE sales_rollup SET
            sale_count = sale_count - 1, amount = amount - OLD.amount, paid_amount = paid_amount - OLD.paid_amount,
            code_amount = code_amount - OLD.code_amount, cash_amount = cash_amount - OLD.cash_amount,
            other_amount = other_amount - OLD.other_amount, change_given = change_given - OLD.change_given,
            paid_late_count = paid_late_count - OLD.paid_late
          WHERE mode = OLD.mode AND bucket = ${BUCKET('OLD')} AND currency = OLD.currency AND state = ${STATE('OLD')}`;
const ROLLUP_DROP_EMPTY_OLD = `DELETE FROM sales_rollup
          WHERE mode = OLD.mode AND bucket = ${BUCKET('OLD')} AND currency = OLD.currency AND state = ${STATE('OLD')} AND sale_count = 0`;

/**
 * A sale is paid by tenders (issue 11): Code payments, cash, other.
 *
 * The sales table cannot take a new CHECK without a rebuild, so its stored
 * status keeps its four values and "partly paid" is derived (pending with
 * money taken). The sale carries its paid tenders' sums by kind, kept by the
 * store in the transaction that changes a tender, so the totals and the CSV
 * read them without a join.
 *
 * Every existing sale becomes a sale with one Code tender holding every fact
 * it had, with the sale's ref as the tender's ref: the idempotency key
 * `counter:<destination>:<ref>` still derives the same intent id. The old
 * per-sale columns intent_id, webhook_url, quarks and exchange_rate stay in
 * the sales table (SQLite cannot drop a UNIQUE column) but are no longer
 * written or read: the tender holds them.
 *
 * The totals' rollup (step 6) is rebuilt keyed by the derived state, with
 * what was taken per kind of tender.
 *
 * The text is a string, not built at run time beyond these constant
 * fragments: its checksum is recorded, so it must never change once shipped.
 */
export const migration: Migration = {
  version: 7,
  name: 'tenders: a sale paid by Code payments, cash and other tenders',
  sql: `
        CREATE TABLE tenders (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          sale_id       INTEGER NOT NULL REFERENCES sales(id),
          seq           INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq > 0),
          kind          TEXT    NOT NULL CHECK (kind IN ('code', 'cash', 'other')),
          amount        INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
          status        TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled', 'expired')),
          ref           TEXT    UNIQUE,
          intent_id     TEXT    UNIQUE,
          webhook_url   TEXT,
          quarks        INTEGER CHECK (quarks IS NULL OR (typeof(quarks) = 'integer' AND quarks >= 0)),
          exchange_rate REAL,
          first_proof   TEXT    CHECK (first_proof IN ('webhook', 'status_poll', 'browser_event', 'manual')),
          paid_late     INTEGER NOT NULL DEFAULT 0 CHECK (paid_late IN (0, 1)),
          tendered      INTEGER CHECK (tendered IS NULL OR (typeof(tendered) = 'integer' AND tendered > 0)),
          change        INTEGER CHECK (change IS NULL OR (typeof(change) = 'integer' AND change >= 0)),
          label         TEXT    CHECK (label IS NULL OR length(label) BETWEEN 1 AND 40),
          created_at    INTEGER NOT NULL,
          updated_at    INTEGER NOT NULL,
          paid_at       INTEGER,
          cancelled_at  INTEGER,
          expired_at    INTEGER,
          UNIQUE (sale_id, seq),
          CHECK ((kind = 'code') = (ref IS NOT NULL)),
          CHECK (kind = 'code' OR (status = 'paid' AND intent_id IS NULL AND webhook_url IS NULL AND quarks IS NULL AND paid_late = 0)),
          CHECK ((kind = 'cash') = (tendered IS NOT NULL AND change IS NOT NULL)),
          CHECK (kind <> 'cash' OR tendered = amount + change),
          CHECK ((kind = 'other') = (label IS NOT NULL)),
          CHECK ((status = 'paid') = (paid_at IS NOT NULL AND first_proof IS NOT NULL))
        );
        -- Reconciliation: the Code tenders still waiting, and those closed recently (a late payment is still recorded).
        CREATE INDEX tenders_pending ON tenders (created_at, id) WHERE status = 'pending';
        CREATE INDEX tenders_recently_closed ON tenders (updated_at) WHERE status IN ('cancelled', 'expired');

        ALTER TABLE sales ADD COLUMN paid_amount  INTEGER NOT NULL DEFAULT 0 CHECK (typeof(paid_amount) = 'integer' AND paid_amount >= 0);
        ALTER TABLE sales ADD COLUMN code_amount  INTEGER NOT NULL DEFAULT 0 CHECK (typeof(code_amount) = 'integer' AND code_amount >= 0);
        ALTER TABLE sales ADD COLUMN cash_amount  INTEGER NOT NULL DEFAULT 0 CHECK (typeof(cash_amount) = 'integer' AND cash_amount >= 0);
        ALTER TABLE sales ADD COLUMN other_amount INTEGER NOT NULL DEFAULT 0 CHECK (typeof(other_amount) = 'integer' AND other_amount >= 0);
        ALTER TABLE sales ADD COLUMN change_given INTEGER NOT NULL DEFAULT 0 CHECK (typeof(change_given) = 'integer' AND change_given >= 0);
        ALTER TABLE payment_events ADD COLUMN tender_id INTEGER REFERENCES tenders(id);

        -- Each existing sale: one Code tender with every fact the sale had.
        INSERT INTO tenders (sale_id, seq, kind, amount, status, ref, intent_id, webhook_url, quarks, exchange_rate, first_proof,
          paid_late, created_at, updated_at, paid_at, cancelled_at, expired_at)
        SELECT id, 1, 'code', amount, status, ref, intent_id, webhook_url, quarks, exchange_rate, first_proof,
          paid_late, created_at, updated_at, paid_at, cancelled_at, expired_at
        FROM sales ORDER BY id;

        -- The old rollup goes before the sums are written, so its triggers do no work for nothing.
        DROP TRIGGER sales_rollup_after_insert;
        DROP TRIGGER sales_rollup_after_update;
        DROP TRIGGER sales_rollup_after_delete;
        DROP TABLE sales_rollup;

        UPDATE sales SET paid_amount = amount, code_amount = amount WHERE status = 'paid';

        -- Every event of an old sale was about its one payment: it is that tender's.
        -- The append-only guard steps aside for this one update, then comes back as step 2 wrote it.
        DROP TRIGGER payment_events_no_update;
        UPDATE payment_events SET tender_id = (SELECT t.id FROM tenders t WHERE t.sale_id = payment_events.sale_id AND t.seq = 1);
        CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
        BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
        CREATE INDEX payment_events_by_tender ON payment_events (tender_id) WHERE tender_id IS NOT NULL;

        CREATE TABLE sales_rollup (
          mode            TEXT    NOT NULL,
          bucket          INTEGER NOT NULL,
          currency        TEXT    NOT NULL,
          state           TEXT    NOT NULL,
          sale_count      INTEGER NOT NULL,
          amount          INTEGER NOT NULL,
          paid_amount     INTEGER NOT NULL,
          code_amount     INTEGER NOT NULL,
          cash_amount     INTEGER NOT NULL,
          other_amount    INTEGER NOT NULL,
          change_given    INTEGER NOT NULL,
          paid_late_count INTEGER NOT NULL,
          PRIMARY KEY (mode, bucket, currency, state)
        ) WITHOUT ROWID;

        INSERT INTO sales_rollup (${ROLLUP_COLUMNS})
        SELECT s.mode, ${BUCKET('s')}, s.currency, ${STATE('s')}, count(*), sum(s.amount), sum(s.paid_amount), sum(s.code_amount),
          sum(s.cash_amount), sum(s.other_amount), sum(s.change_given), sum(s.paid_late)
        FROM sales s GROUP BY 1, 2, 3, 4;

        CREATE TRIGGER sales_rollup_after_insert AFTER INSERT ON sales
        BEGIN
          INSERT INTO sales_rollup (${ROLLUP_COLUMNS}) SELECT ${ROLLUP_VALUES('NEW')} WHERE true
          ${ROLLUP_ADD};
        END;

        CREATE TRIGGER sales_rollup_after_delete AFTER DELETE ON sales
        BEGIN
          ${ROLLUP_SUBTRACT_OLD};
          ${ROLLUP_DROP_EMPTY_OLD};
        END;

        CREATE TRIGGER sales_rollup_after_update AFTER UPDATE OF mode, created_at, currency, status, amount, paid_amount,
          code_amount, cash_amount, other_amount, change_given, paid_late ON sales
        BEGIN
          ${ROLLUP_SUBTRACT_OLD};
          INSERT INTO sales_rollup (${ROLLUP_COLUMNS}) SELECT ${ROLLUP_VALUES('NEW')} WHERE true
          ${ROLLUP_ADD};
          ${ROLLUP_DROP_EMPTY_OLD};
        END;
      `,
};
