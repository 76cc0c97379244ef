import type { Migration } from './migration';

export const migration: Migration = {
  version: 1,
  name: 'sales and the payment-event log',
  sql: `
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
      `,
};
