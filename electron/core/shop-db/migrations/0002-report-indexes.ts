import type { ShopMigration } from './shop-migration';

/**
 * What the owner's shop view (../shop-reports.ts) needs beyond 0001: each
 * till's own name ("Front counter", Settings; '' for the tills already
 * there, which the view tells apart by their id), and the indexes it reads
 * by, for a database of millions of sales:
 *
 * - the sales log's keyset order, created_at then till then the till's own
 *   id, across every till and within one (its till_id first); the first
 *   covers what 0001's `sales_by_created` did, which goes;
 * - an intent id's prefix (the search box), as LIKE 'prefix%':
 *   text_pattern_ops compares bytes, so the index serves a prefix whatever
 *   the database's collation;
 * - refunds by refund time, drawer openings by time (the totals and the end
 *   of day count them by when they happened).
 *
 * The text is a constant: its checksum is recorded, so it must never change once shipped.
 */
export const migration: ShopMigration = {
  version: 2,
  name: 'report indexes and till names',
  sql: `
        ALTER TABLE tills ADD COLUMN till_name text NOT NULL DEFAULT '';
        CREATE INDEX sales_by_created_till ON sales (created_at, till_id, local_id);
        CREATE INDEX sales_by_till_created ON sales (till_id, created_at, local_id);
        DROP INDEX sales_by_created;
        CREATE INDEX tenders_by_intent ON tenders (intent_id text_pattern_ops);
        CREATE INDEX refunds_by_created ON refunds (created_at);
        CREATE INDEX drawer_openings_by_at ON drawer_openings (at);
      `,
};
