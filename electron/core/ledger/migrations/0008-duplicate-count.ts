import type { Migration } from './migration';

/**
 * A verified webhook replayed thousands of times (Code retries, or someone
 * who captured one) once appended one 'duplicate' event each: 8,180 replays
 * in 3 s added 4.3 MB. The store now keeps the first few duplicates of a
 * Code payment as events and only counts the rest here, so the log still
 * says that replays happened and how many, at a fixed cost per tender.
 */
export const migration: Migration = {
  version: 8,
  name: 'count duplicate proofs past the kept few',
  sql: `
        ALTER TABLE tenders ADD COLUMN duplicate_proofs INTEGER NOT NULL DEFAULT 0
          CHECK (typeof(duplicate_proofs) = 'integer' AND duplicate_proofs >= 0);
  `,
};
