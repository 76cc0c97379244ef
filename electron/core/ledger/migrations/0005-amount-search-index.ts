import type { Migration } from './migration';

export const migration: Migration = {
  version: 5,
  name: 'index for searching the sales log by amount',
  sql: `CREATE INDEX sales_by_amount ON sales (mode, amount, created_at, id);`,
};
