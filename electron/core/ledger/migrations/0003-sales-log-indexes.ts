import type { Migration } from './migration';

export const migration: Migration = {
  version: 3,
  name: 'indexes for the sales log and reconciliation',
  sql: `
        CREATE INDEX sales_log ON sales (mode, created_at, id);
        CREATE INDEX sales_log_by_status ON sales (mode, status, created_at, id);
        CREATE INDEX sales_by_time ON sales (created_at, id);
      `,
};
