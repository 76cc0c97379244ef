import type { Migration } from './migration';

/** A sale's derived state in SQL, as step 7 defined it. */
const STATE = (row: string) => `iif(${row}.status = 'pending' AND ${row}.paid_amount > 0, 'partly_paid', ${row}.status)`;
const BUCKET = (row: string) => `${row}.created_at / 900000 - (${row}.created_at % 900000 < 0)`;
const ROLLUP_COLUMNS =
  'mode, bucket, currency, state, sale_count, amount, paid_amount, code_amount, cash_amount, other_amount, change_given, paid_late_count, tip_amount, tipped_count';
const ROLLUP_VALUES = (row: string) =>
  `${row}.mode, ${BUCKET(row)}, ${row}.currency, ${STATE(row)}, 1, ${row}.amount, ${row}.paid_amount, ${row}.code_amount,
            ${row}.cash_amount, ${row}.other_amount, ${row}.change_given, ${row}.paid_late, ${row}.tip_amount, ${row}.tip_amount > 0`;
const ROLLUP_ADD = `ON CONFLICT (mode, bucket, currency, state) DO UPDATE SET
            sale_count = sale_count + excluded.sale_count, amount = amount + excluded.amount,
            paid_amount = paid_amount + excluded.paid_amount, code_amount = code_amount + excluded.code_amount,
            cash_amount = cash_amount + excluded.cash_amount, other_amount = other_amount + excluded.other_amount,
            change_given = change_given + excluded.change_given, paid_late_count = paid_late_count + excluded.paid_late_count,
            tip_amount = tip_amount + excluded.tip_amount, tipped_count = tipped_count + excluded.tipped_count`;
const ROLLUP_SUBTRACT_OLD = `UPDATE sales_rollup SET
            sale_count = sale_count - 1, amount = amount - OLD.amount, paid_amount = paid_amount - OLD.paid_amount,
            code_amount = code_amount - OLD.code_amount, cash_amount = cash_amount - OLD.cash_amount,
            other_amount = other_amount - OLD.other_amount, change_given = change_given - OLD.change_given,
            paid_late_count = paid_late_count - OLD.paid_late, tip_amount = tip_amount - OLD.tip_amount,
            tipped_count = tipped_count - (OLD.tip_amount > 0)
          WHERE mode = OLD.mode AND bucket = ${BUCKET('OLD')} AND currency = OLD.currency AND state = ${STATE('OLD')}`;
const ROLLUP_DROP_EMPTY_OLD = `DELETE FROM sales_rollup
          WHERE mode = OLD.mode AND bucket = ${BUCKET('OLD')} AND currency = OLD.currency AND state = ${STATE('OLD')} AND sale_count = 0`;

/**
 * Tips (issue 13): the tip is the sale's own amount beside `amount`, never
 * mixed into it and never negative; the customer owes amount + tip_amount,
 * and a sale is paid once its paid tenders cover both.
 *
 * - `tip_percent`: the preset the tip was chosen as (1–100 %), null for a
 *   custom amount or no tip.
 * - `awaiting_tip`: tips were on when the sale was rung up and no choice is
 *   made yet. Only an open sale with nothing taken and no tip can wait
 *   (the CHECK): the store clears it when the tip is chosen or the sale closes.
 * - `tip_chosen_by`: 'customer' or 'cashier' once chosen ('none' included);
 *   a tip or a percentage needs it.
 *
 * Existing sales have no tip and wait for none (the defaults). The totals'
 * rollup is rebuilt with each state's tips and how many sales carried one,
 * and its triggers follow tip_amount; the event log's append-only triggers
 * are not touched.
 *
 * The text is a string built only from the constant fragments above: its
 * checksum is recorded, so it must never change once shipped.
 */
export const migration: Migration = {
  version: 9,
  name: 'tips: a tip beside the amount, and the rollup with tips',
  sql: `
        ALTER TABLE sales ADD COLUMN tip_amount INTEGER NOT NULL DEFAULT 0
          CHECK (typeof(tip_amount) = 'integer' AND tip_amount >= 0);
        ALTER TABLE sales ADD COLUMN tip_percent INTEGER
          CHECK (tip_percent IS NULL OR (typeof(tip_percent) = 'integer' AND tip_percent BETWEEN 1 AND 100));
        ALTER TABLE sales ADD COLUMN awaiting_tip INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_tip IN (0, 1));
        ALTER TABLE sales ADD COLUMN tip_chosen_by TEXT
          CHECK (tip_chosen_by IS NULL OR tip_chosen_by IN ('customer', 'cashier'))
          CHECK (tip_chosen_by IS NOT NULL OR (tip_amount = 0 AND tip_percent IS NULL))
          CHECK (awaiting_tip = 0 OR (status = 'pending' AND paid_amount = 0 AND tip_chosen_by IS NULL));

        DROP TRIGGER sales_rollup_after_insert;
        DROP TRIGGER sales_rollup_after_update;
        DROP TRIGGER sales_rollup_after_delete;
        DROP TABLE sales_rollup;

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
          tip_amount      INTEGER NOT NULL,
          tipped_count    INTEGER NOT NULL,
          PRIMARY KEY (mode, bucket, currency, state)
        ) WITHOUT ROWID;

        INSERT INTO sales_rollup (${ROLLUP_COLUMNS})
        SELECT s.mode, ${BUCKET('s')}, s.currency, ${STATE('s')}, count(*), sum(s.amount), sum(s.paid_amount), sum(s.code_amount),
          sum(s.cash_amount), sum(s.other_amount), sum(s.change_given), sum(s.paid_late), sum(s.tip_amount), sum(s.tip_amount > 0)
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
          code_amount, cash_amount, other_amount, change_given, paid_late, tip_amount ON sales
        BEGIN
          ${ROLLUP_SUBTRACT_OLD};
          INSERT INTO sales_rollup (${ROLLUP_COLUMNS}) SELECT ${ROLLUP_VALUES('NEW')} WHERE true
          ${ROLLUP_ADD};
          ${ROLLUP_DROP_EMPTY_OLD};
        END;
      `,
};
