import type Database from 'better-sqlite3';
import { z } from 'zod';
import { immediate } from './db/transaction';
import { parseInput as parse } from './parse-input';

/**
 * The outbox (migration 12), read and acknowledged by the sync worker. A
 * row names a record that changed; a batch sends each named record's state
 * as it stands, versioned by the seq of its latest change, so what the shop
 * database holds converges on the ledger whatever order, repetition or
 * interruption the pushes go through.
 */

/** What an outbox row may name (the CHECK of migration 12), in the order a batch lists them: people before the sales naming them. */
export const OUTBOX_ENTITIES = ['person', 'shift', 'sale', 'tender', 'event', 'refund', 'drawer'] as const;
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number];

/** Each entity's ledger table. */
export const OUTBOX_TABLES: Readonly<Record<OutboxEntity, string>> = {
  person: 'people',
  shift: 'shifts',
  sale: 'sales',
  tender: 'tenders',
  event: 'payment_events',
  refund: 'refunds',
  drawer: 'drawer_openings',
};

/**
 * Columns that never leave the till. A person's PIN hash and failed tries
 * are secrets of this till; the other ones change without an outbox row
 * (the triggers of migration 12 leave them out on purpose), so sending them
 * would give the shop database a value that silently goes stale: a sign-in's
 * time, a PIN change's `updated_at`, and a tender's count of duplicate
 * proofs (the till's own diagnosis; the duplicate events themselves sync).
 */
export const HELD_BACK_COLUMNS: Readonly<Record<OutboxEntity, readonly string[]>> = {
  person: ['pin_hash', 'failed_pins', 'last_failed_at', 'locked_until', 'last_sign_in_at', 'updated_at'],
  shift: [],
  sale: [],
  tender: ['duplicate_proofs'],
  event: [],
  refund: [],
  drawer: [],
};

/** One record a batch carries: its state as it stands, versioned by the seq of its latest change. */
export interface OutboxRecord {
  entity: OutboxEntity;
  localId: number;
  /** The seq of the record's latest outbox row: only ever grows. */
  version: number;
  /** The synced columns (snake_case, as stored: integers for money and times). */
  data: Record<string, unknown>;
}

/** The most rows one batch may name: a batch is one PostgreSQL transaction and one read here. */
export const MAX_BATCH_ROWS = 10_000;
const DAY_MS = 86_400_000;

export interface OutboxBatch {
  /** Each record the batch's rows name, once, in its current state. */
  records: OutboxRecord[];
  /** How many outbox rows the batch covers (a record named twice counts twice). */
  rows: number;
  /** The highest seq among the batch's rows: every waiting row up to it is covered. */
  throughSeq: number;
}

export interface OutboxStore {
  /** This till's id (migration 12 made it), the same for the life of the ledger file. */
  tillId(): string;
  /** Outbox rows not yet acknowledged by the shop database. */
  waiting(): number;
  /** The oldest `limit` waiting rows and the current state of each record they name, read in one snapshot; null when none wait. */
  nextBatch(limit: number): OutboxBatch | null;
  /**
   * Marks the batch's rows acknowledged, once the shop database has committed
   * it, and also any later row of a sent record that the sent state already
   * covers (its seq is at most the version sent). Answers the rows marked.
   */
  ack(batch: OutboxBatch): number;
  /** Deletes acknowledged rows older than `days` days (the ledger keeps the records themselves). Answers the rows deleted. */
  prune(days: number): number;
}

export interface OutboxStoreOptions {
  db: Database.Database;
  now: () => number;
  ensureOpen: () => void;
}

const limitInput = z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_BATCH_ROWS, `at most ${MAX_BATCH_ROWS}`);
const daysInput = z.number().int('must be a whole number of days').min(1, 'must be at least 1 day');

interface OutboxRow {
  seq: number;
  entity: OutboxEntity;
  local_id: number;
}

/** The columns of `table` that leave the till: every one but the id (the record's localId) and the ones held back. */
function syncedColumns(db: Database.Database, entity: OutboxEntity): string[] {
  const held = new Set(['id', ...HELD_BACK_COLUMNS[entity]]);
  const columns = (db.prepare(`PRAGMA table_info(${OUTBOX_TABLES[entity]})`).all() as { name: string }[]).map((c) => c.name);
  return columns.filter((c) => !held.has(c));
}

export function createOutboxStore({ db, now, ensureOpen }: OutboxStoreOptions): OutboxStore {
  // The column lists are read from the schema once, so a column a later
  // migration adds travels without a change here (the shop database's schema
  // must then gain it too).
  const reads = Object.fromEntries(
    OUTBOX_ENTITIES.map((entity) => {
      const columns = syncedColumns(db, entity);
      const select = db.prepare(
        `SELECT id AS __id, (SELECT max(seq) FROM outbox o WHERE o.entity = '${entity}' AND o.local_id = t.id) AS __version,
           ${columns.map((c) => `"${c}"`).join(', ')}
         FROM ${OUTBOX_TABLES[entity]} t WHERE id IN (SELECT value FROM json_each(?))`,
      );
      return [entity, select];
    }),
  ) as Record<OutboxEntity, Database.Statement>;

  const stmt = {
    tillId: db.prepare('SELECT till_id FROM till_identity WHERE one = 1'),
    waiting: db.prepare('SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL'),
    next: db.prepare('SELECT seq, entity, local_id FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?'),
    ackThrough: db.prepare('UPDATE outbox SET acked_at = ? WHERE acked_at IS NULL AND seq <= ?'),
    ackRecord: db.prepare('UPDATE outbox SET acked_at = ? WHERE acked_at IS NULL AND entity = ? AND local_id = ? AND seq <= ?'),
    prune: db.prepare('DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?'),
  };

  let tillIdCache: string | null = null;
  function tillId(): string {
    ensureOpen();
    tillIdCache ??= (stmt.tillId.get() as { till_id: string }).till_id;
    return tillIdCache;
  }

  function waiting(): number {
    ensureOpen();
    return (stmt.waiting.get() as { n: number }).n;
  }

  // A deferred read transaction: the rows and the records are one snapshot,
  // so each version is exactly the seq of the state read with it.
  const readBatch = db.transaction((limit: number): OutboxBatch | null => {
    const rows = stmt.next.all(limit) as OutboxRow[];
    if (!rows.length) return null;
    const named = new Map<OutboxEntity, Set<number>>();
    for (const row of rows) {
      let ids = named.get(row.entity);
      if (!ids) named.set(row.entity, (ids = new Set()));
      ids.add(row.local_id);
    }
    const records: OutboxRecord[] = [];
    // In the order of OUTBOX_ENTITIES (people before the sales naming them), whatever the rows' order.
    for (const entity of OUTBOX_ENTITIES) {
      const ids = named.get(entity);
      if (!ids) continue;
      for (const found of reads[entity].all(JSON.stringify([...ids])) as Array<Record<string, unknown>>) {
        const { __id, __version, ...data } = found;
        const localId = __id as number;
        records.push({ entity, localId, version: __version as number, data });
      }
    }
    // A row naming a record that no longer exists sends nothing; acking it is right, as there is nothing to converge on.
    return { records, rows: rows.length, throughSeq: rows[rows.length - 1]!.seq };
  });

  function nextBatch(limit: number): OutboxBatch | null {
    ensureOpen();
    return readBatch.deferred(parse(limitInput, limit, 'batch size'));
  }

  function ack(batch: OutboxBatch): number {
    ensureOpen();
    return immediate(db, () => {
      const at = now();
      let marked = stmt.ackThrough.run(at, batch.throughSeq).changes;
      // A record changed again after the batch's last row was sent in that
      // newer state: its later rows are covered too, so they need no resend.
      for (const record of batch.records) {
        if (record.version > batch.throughSeq) marked += stmt.ackRecord.run(at, record.entity, record.localId, record.version).changes;
      }
      return marked;
    });
  }

  function prune(days: number): number {
    ensureOpen();
    const n = parse(daysInput, days, 'outbox retention');
    return immediate(db, () => stmt.prune.run(now() - n * DAY_MS).changes);
  }

  return { tillId, waiting, nextBatch, ack, prune };
}
