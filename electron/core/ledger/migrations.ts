import type { Database } from 'better-sqlite3';

/**
 * Forward-only schema migrations, tracked by `PRAGMA user_version`.
 * Never edit a step that has shipped: add a new one at the end.
 */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sales and the payment-event log',
    up: (db) => {
      db.exec(`
        CREATE TABLE sales (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          ref           TEXT    NOT NULL UNIQUE,
          amount        INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
          currency      TEXT    NOT NULL CHECK (currency = lower(currency) AND length(currency) BETWEEN 3 AND 4),
          mode          TEXT    NOT NULL CHECK (mode IN ('live', 'sandbox')),
          status        TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled', 'expired')),
          destination   TEXT    NOT NULL,
          intent_id     TEXT    UNIQUE,
          webhook_url   TEXT,
          created_at    INTEGER NOT NULL,
          updated_at    INTEGER NOT NULL,
          paid_at       INTEGER,
          cancelled_at  INTEGER,
          expired_at    INTEGER,
          quarks        INTEGER CHECK (quarks IS NULL OR (typeof(quarks) = 'integer' AND quarks >= 0)),
          exchange_rate REAL,
          first_proof   TEXT    CHECK (first_proof IN ('webhook', 'status_poll', 'browser_event', 'manual')),
          paid_late     INTEGER NOT NULL DEFAULT 0 CHECK (paid_late IN (0, 1)),
          CHECK ((status = 'paid') = (paid_at IS NOT NULL AND first_proof IS NOT NULL))
        );
        CREATE TABLE payment_events (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          sale_id     INTEGER NOT NULL REFERENCES sales(id),
          source      TEXT    NOT NULL CHECK (source IN ('webhook', 'status_poll', 'browser_event', 'manual', 'system')),
          kind        TEXT    NOT NULL,
          outcome     TEXT    NOT NULL,
          received_at INTEGER NOT NULL,
          payload     TEXT    NOT NULL
        );
        CREATE INDEX payment_events_by_sale ON payment_events (sale_id, id);
      `);
    },
  },
  {
    version: 2,
    name: 'settings, and the event log made append-only',
    up: (db) => {
      db.exec(`
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY,
          value      TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
        BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
        CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
        BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
      `);
    },
  },
  {
    version: 3,
    name: 'indexes for the sales log and reconciliation',
    up: (db) => {
      db.exec(`
        CREATE INDEX sales_log ON sales (mode, created_at, id);
        CREATE INDEX sales_log_by_status ON sales (mode, status, created_at, id);
        CREATE INDEX sales_by_time ON sales (created_at, id);
      `);
    },
  },
  {
    version: 4,
    name: 'index for reconciling recently closed sales',
    up: (db) => {
      // Reconciliation keeps polling sales closed recently (a late payment
      // can still arrive); updated_at is when a cancelled/expired sale closed.
      db.exec(`CREATE INDEX sales_recently_closed ON sales (mode, status, updated_at);`);
    },
  },
  {
    version: 5,
    name: 'index for searching the sales log by amount',
    up: (db) => {
      db.exec(`CREATE INDEX sales_by_amount ON sales (mode, amount, created_at, id);`);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
