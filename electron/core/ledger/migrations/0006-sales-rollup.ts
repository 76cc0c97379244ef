import type { Migration } from './migration';

// Totals per (mode, 15-minute UTC bucket of created_at, currency), one
// count and sum per status in each row, kept exact by triggers inside the
// writing transaction. Every time zone's day and hour boundaries fall on a
// quarter hour, so the sales log's day totals, range totals and chart add up
// a few rows per quarter hour instead of reading every sale.
// The bucket is created_at floor-divided by 900,000 ms (SQLite's "/"
// truncates towards zero, hence the correction for times before 1970).
export const migration: Migration = {
  version: 6,
  name: 'per-quarter-hour totals kept by triggers',
  sql: `
        CREATE TABLE sales_rollup (
          mode             TEXT    NOT NULL,
          bucket           INTEGER NOT NULL,
          currency         TEXT    NOT NULL,
          paid_count       INTEGER NOT NULL,
          paid_amount      INTEGER NOT NULL,
          pending_count    INTEGER NOT NULL,
          pending_amount   INTEGER NOT NULL,
          cancelled_count  INTEGER NOT NULL,
          cancelled_amount INTEGER NOT NULL,
          expired_count    INTEGER NOT NULL,
          expired_amount   INTEGER NOT NULL,
          paid_late_count  INTEGER NOT NULL,
          PRIMARY KEY (mode, bucket, currency)
        ) WITHOUT ROWID;

        INSERT INTO sales_rollup (mode, bucket, currency, paid_count, paid_amount, pending_count, pending_amount,
          cancelled_count, cancelled_amount, expired_count, expired_amount, paid_late_count)
        SELECT mode, created_at / 900000 - (created_at % 900000 < 0), currency,
          sum(status = 'paid'), sum(iif(status = 'paid', amount, 0)),
          sum(status = 'pending'), sum(iif(status = 'pending', amount, 0)),
          sum(status = 'cancelled'), sum(iif(status = 'cancelled', amount, 0)),
          sum(status = 'expired'), sum(iif(status = 'expired', amount, 0)),
          sum(status = 'paid' AND paid_late = 1)
        FROM sales GROUP BY 1, 2, 3;

        CREATE TRIGGER sales_rollup_after_insert AFTER INSERT ON sales
        BEGIN
          INSERT INTO sales_rollup (mode, bucket, currency, paid_count, paid_amount, pending_count, pending_amount,
            cancelled_count, cancelled_amount, expired_count, expired_amount, paid_late_count)
          VALUES (NEW.mode, NEW.created_at / 900000 - (NEW.created_at % 900000 < 0), NEW.currency,
            NEW.status = 'paid', iif(NEW.status = 'paid', NEW.amount, 0),
            NEW.status = 'pending', iif(NEW.status = 'pending', NEW.amount, 0),
            NEW.status = 'cancelled', iif(NEW.status = 'cancelled', NEW.amount, 0),
            NEW.status = 'expired', iif(NEW.status = 'expired', NEW.amount, 0),
            NEW.status = 'paid' AND NEW.paid_late = 1)
          ON CONFLICT (mode, bucket, currency) DO UPDATE SET
            paid_count = paid_count + excluded.paid_count, paid_amount = paid_amount + excluded.paid_amount,
            pending_count = pending_count + excluded.pending_count, pending_amount = pending_amount + excluded.pending_amount,
            cancelled_count = cancelled_count + excluded.cancelled_count, cancelled_amount = cancelled_amount + excluded.cancelled_amount,
            expired_count = expired_count + excluded.expired_count, expired_amount = expired_amount + excluded.expired_amount,
            paid_late_count = paid_late_count + excluded.paid_late_count;
        END;

        CREATE TRIGGER sales_rollup_after_delete AFTER DELETE ON sales
        BEGIN
          UPDATE sales_rollup SET
            paid_count = paid_count - (OLD.status = 'paid'), paid_amount = paid_amount - iif(OLD.status = 'paid', OLD.amount, 0),
            pending_count = pending_count - (OLD.status = 'pending'), pending_amount = pending_amount - iif(OLD.status = 'pending', OLD.amount, 0),
            cancelled_count = cancelled_count - (OLD.status = 'cancelled'), cancelled_amount = cancelled_amount - iif(OLD.status = 'cancelled', OLD.amount, 0),
            expired_count = expired_count - (OLD.status = 'expired'), expired_amount = expired_amount - iif(OLD.status = 'expired', OLD.amount, 0),
            paid_late_count = paid_late_count - (OLD.status = 'paid' AND OLD.paid_late = 1)
          WHERE mode = OLD.mode AND bucket = OLD.created_at / 900000 - (OLD.created_at % 900000 < 0) AND currency = OLD.currency;
          DELETE FROM sales_rollup
          WHERE mode = OLD.mode AND bucket = OLD.created_at / 900000 - (OLD.created_at % 900000 < 0) AND currency = OLD.currency
            AND paid_count + pending_count + cancelled_count + expired_count = 0;
        END;

        CREATE TRIGGER sales_rollup_after_update AFTER UPDATE OF mode, created_at, currency, status, amount, paid_late ON sales
        BEGIN
          UPDATE sales_rollup SET
            paid_count = paid_count - (OLD.status = 'paid'), paid_amount = paid_amount - iif(OLD.status = 'paid', OLD.amount, 0),
            pending_count = pending_count - (OLD.status = 'pending'), pending_amount = pending_amount - iif(OLD.status = 'pending', OLD.amount, 0),
            cancelled_count = cancelled_count - (OLD.status = 'cancelled'), cancelled_amount = cancelled_amount - iif(OLD.status = 'cancelled', OLD.amount, 0),
            expired_count = expired_count - (OLD.status = 'expired'), expired_amount = expired_amount - iif(OLD.status = 'expired', OLD.amount, 0),
            paid_late_count = paid_late_count - (OLD.status = 'paid' AND OLD.paid_late = 1)
          WHERE mode = OLD.mode AND bucket = OLD.created_at / 900000 - (OLD.created_at % 900000 < 0) AND currency = OLD.currency;
          INSERT INTO sales_rollup (mode, bucket, currency, paid_count, paid_amount, pending_count, pending_amount,
            cancelled_count, cancelled_amount, expired_count, expired_amount, paid_late_count)
          VALUES (NEW.mode, NEW.created_at / 900000 - (NEW.created_at % 900000 < 0), NEW.currency,
            NEW.status = 'paid', iif(NEW.status = 'paid', NEW.amount, 0),
            NEW.status = 'pending', iif(NEW.status = 'pending', NEW.amount, 0),
            NEW.status = 'cancelled', iif(NEW.status = 'cancelled', NEW.amount, 0),
            NEW.status = 'expired', iif(NEW.status = 'expired', NEW.amount, 0),
            NEW.status = 'paid' AND NEW.paid_late = 1)
          ON CONFLICT (mode, bucket, currency) DO UPDATE SET
            paid_count = paid_count + excluded.paid_count, paid_amount = paid_amount + excluded.paid_amount,
            pending_count = pending_count + excluded.pending_count, pending_amount = pending_amount + excluded.pending_amount,
            cancelled_count = cancelled_count + excluded.cancelled_count, cancelled_amount = cancelled_amount + excluded.cancelled_amount,
            expired_count = expired_count + excluded.expired_count, expired_amount = expired_amount + excluded.expired_amount,
            paid_late_count = paid_late_count + excluded.paid_late_count;
          DELETE FROM sales_rollup
          WHERE mode = OLD.mode AND bucket = OLD.created_at / 900000 - (OLD.created_at % 900000 < 0) AND currency = OLD.currency
            AND paid_count + pending_count + cancelled_count + expired_count = 0;
        END;
      `,
};
