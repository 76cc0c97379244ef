import type { Migration } from './migration';

export const migration: Migration = {
  version: 2,
  name: 'settings, and the event log made append-only',
  sql: `
        CREATE TABLE settings (
          key        TEXT PRIMARY KEY,
          value      TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
        BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
        CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
        BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
      `,
};
