import type { SyncEntity } from '../sync/sync-record';

/**
 * What the shop database keeps of each synced record: its table and the
 * ledger's columns, with the ledger's names. Every table also has uuid,
 * till_id, local_id (the ledger's `id`), version and synced_at.
 *
 * Kinds: `int` is a bigint (money in minor units, times in epoch
 * milliseconds, local ids, counts), `flag` a smallint 0/1 as in the
 * ledger, `text`, `real` a double precision (exchange rates only).
 *
 * Only columns whose every change appends an outbox row (migration 12's
 * triggers) are here, so PostgreSQL never holds a stale value:
 * - people: no PIN hash or lockout state (never leave the till), no
 *   last_sign_in_at and no updated_at (a sign-in or a PIN change appends
 *   no outbox row);
 * - tenders: no duplicate_proofs (the till's diagnosis; its change appends
 *   no outbox row by design).
 * Other columns a record carries are ignored; a PIN hash is refused.
 *
 * This list must match the schema the migrations build
 * (test/integration/shop-db-schema.test.ts holds them to each other).
 */
export type ColumnKind = 'int' | 'flag' | 'text' | 'real';

export interface ShopColumn {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
}

export interface ShopTable {
  entity: SyncEntity;
  table: string;
  columns: readonly ShopColumn[];
}

const col = (spec: string): ShopColumn => {
  // "name kind" or "name kind?" (nullable).
  const [name, kindSpec] = spec.split(' ') as [string, string];
  const nullable = kindSpec.endsWith('?');
  return { name, kind: kindSpec.replace('?', '') as ColumnKind, nullable };
};
const cols = (...specs: string[]) => specs.map(col);

export const SHOP_TABLES: Readonly<Record<SyncEntity, ShopTable>> = {
  person: {
    entity: 'person',
    table: 'people',
    columns: cols('name text', 'role text', 'active flag', 'created_at int'),
  },
  shift: {
    entity: 'shift',
    table: 'shifts',
    columns: cols(
      'mode text',
      'currency text',
      'opened_by int',
      'opened_at int',
      'float_amount int',
      'closed_by int?',
      'closed_at int?',
      'counted_cash int?',
      'expected_cash int?',
      'report text?',
    ),
  },
  sale: {
    entity: 'sale',
    table: 'sales',
    columns: cols(
      'ref text',
      'amount int',
      'currency text',
      'mode text',
      'status text',
      'destination text',
      'intent_id text?',
      'webhook_url text?',
      'created_at int',
      'updated_at int',
      'paid_at int?',
      'cancelled_at int?',
      'expired_at int?',
      'quarks int?',
      'exchange_rate real?',
      'first_proof text?',
      'paid_late flag',
      'paid_amount int',
      'code_amount int',
      'cash_amount int',
      'other_amount int',
      'change_given int',
      'tip_amount int',
      'tip_percent int?',
      'awaiting_tip flag',
      'tip_chosen_by text?',
      'person_id int?',
      'shift_id int?',
      'closed_by int?',
      'voided_at int?',
      'refunded_amount int',
    ),
  },
  tender: {
    entity: 'tender',
    table: 'tenders',
    columns: cols(
      'sale_id int',
      'seq int',
      'kind text',
      'amount int',
      'status text',
      'ref text?',
      'intent_id text?',
      'webhook_url text?',
      'quarks int?',
      'exchange_rate real?',
      'first_proof text?',
      'paid_late flag',
      'tendered int?',
      'change int?',
      'label text?',
      'created_at int',
      'updated_at int',
      'paid_at int?',
      'cancelled_at int?',
      'expired_at int?',
      'person_id int?',
    ),
  },
  event: {
    entity: 'event',
    table: 'payment_events',
    columns: cols('sale_id int', 'source text', 'kind text', 'outcome text', 'received_at int', 'payload text', 'tender_id int?'),
  },
  refund: {
    entity: 'refund',
    table: 'refunds',
    columns: cols(
      'sale_id int',
      'amount int',
      'currency text',
      'mode text',
      'method text',
      'note text?',
      'person_id int',
      'shift_id int?',
      'void_of_sale flag',
      'created_at int',
    ),
  },
  drawer: {
    entity: 'drawer',
    table: 'drawer_openings',
    columns: cols('at int', 'reason text', 'mode text', 'sale_id int?', 'tender_id int?', 'print_job_id int', 'person_id int?', 'shift_id int?'),
  },
};

/** Columns that must never leave the till, refused loudly if a record carries them. */
export const NEVER_SYNCED: Readonly<Partial<Record<SyncEntity, readonly string[]>>> = {
  person: ['pin_hash'],
};
