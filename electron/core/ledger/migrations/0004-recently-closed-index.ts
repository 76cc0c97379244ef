import type { Migration } from './migration';

// Reconciliation keeps polling sales closed recently (a late payment can
// still arrive); updated_at is when a cancelled/expired sale closed.
export const migration: Migration = {
  version: 4,
  name: 'index for reconciling recently closed sales',
  sql: `CREATE INDEX sales_recently_closed ON sales (mode, status, updated_at);`,
};
