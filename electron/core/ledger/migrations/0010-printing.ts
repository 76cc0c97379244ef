import type { Migration } from './migration';

/**
 * Printing and the cash drawer (issue 14).
 *
 * - `print_jobs`: the durable print queue. A job is a sale's receipt (one
 *   copy), an end-of-day report (its shop-time date and mode), a test
 *   receipt, or a bare drawer kick. It is queued, printing, printed or
 *   failed (with the message the cashier saw); `queued_at` orders the queue,
 *   so a retried job waits behind the jobs queued before its retry.
 * - `print_jobs_auto_once`: the automatic receipt of a sale copy exists at
 *   most once, whatever proofs of payment arrive (webhook, poll, restart
 *   sweep): the queue inserts with ON CONFLICT DO NOTHING.
 * - `drawer_openings`: every time the drawer was opened, for a cash tender
 *   (with its sale and tender: one opening per tender) or for "No sale",
 *   with the mode the till was in, so the end-of-day report counts each
 *   mode's own.
 *
 * Sales and their events are not touched.
 */
export const migration: Migration = {
  version: 10,
  name: 'printing: the print queue and the drawer openings',
  sql: `
        CREATE TABLE print_jobs (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          kind        TEXT    NOT NULL CHECK (kind IN ('receipt', 'day-summary', 'test', 'drawer')),
          reason      TEXT    NOT NULL CHECK (reason IN ('auto', 'manual', 'cash', 'no-sale')),
          sale_id     INTEGER REFERENCES sales(id),
          copy        TEXT    CHECK (copy IS NULL OR copy IN ('customer', 'shop')),
          date        TEXT    CHECK (date IS NULL OR length(date) = 10),
          mode        TEXT    CHECK (mode IS NULL OR mode IN ('live', 'sandbox', 'all')),
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
          CHECK (reason <> 'auto' OR kind = 'receipt'),
          CHECK ((kind = 'drawer') = (reason IN ('cash', 'no-sale'))),
          CHECK (reason <> 'cash' OR sale_id IS NOT NULL),
          CHECK ((state = 'printed') = (printed_at IS NOT NULL)),
          CHECK (state <> 'failed' OR last_error IS NOT NULL)
        );
        CREATE UNIQUE INDEX print_jobs_auto_once ON print_jobs (sale_id, copy) WHERE reason = 'auto';
        -- The queue's order, and the jobs still to do or to retry.
        CREATE INDEX print_jobs_by_state ON print_jobs (state, queued_at, id);
        CREATE INDEX print_jobs_failed ON print_jobs (updated_at) WHERE state = 'failed';
        CREATE INDEX print_jobs_printed ON print_jobs (printed_at) WHERE state = 'printed';
        CREATE INDEX print_jobs_by_sale ON print_jobs (sale_id) WHERE sale_id IS NOT NULL;

        CREATE TABLE drawer_openings (
          id           INTEGER PRIMARY KEY AUTOINCREMENT,
          at           INTEGER NOT NULL,
          reason       TEXT    NOT NULL CHECK (reason IN ('cash', 'no-sale')),
          mode         TEXT    NOT NULL CHECK (mode IN ('live', 'sandbox')),
          sale_id      INTEGER REFERENCES sales(id),
          tender_id    INTEGER UNIQUE REFERENCES tenders(id),
          print_job_id INTEGER NOT NULL REFERENCES print_jobs(id),
          CHECK ((reason = 'cash') = (sale_id IS NOT NULL AND tender_id IS NOT NULL)),
          CHECK (reason = 'cash' OR (sale_id IS NULL AND tender_id IS NULL))
        );
        CREATE INDEX drawer_openings_by_time ON drawer_openings (at);
      `,
};
