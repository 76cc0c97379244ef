import { createHash } from 'node:crypto';

/**
 * What flows from a till's ledger to the shop's PostgreSQL database: one
 * record's state as it stands in the ledger, named by a UUID that is the
 * same on every push, and versioned by the outbox `seq` of its latest
 * change (migration 12), so PostgreSQL keeps the newest and a record sent
 * twice changes nothing.
 */

export const SYNC_ENTITIES = ['person', 'shift', 'sale', 'tender', 'event', 'refund', 'drawer'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

export interface SyncRecord {
  entity: SyncEntity;
  /** The record's id in this till's ledger. */
  localId: number;
  /** recordUuid(tillId, entity, localId): stable across pushes, unique across tills. */
  uuid: string;
  /** The outbox seq of the record's latest change: only ever grows. */
  version: number;
  /** The row's columns as the ledger stores them (snake_case, integers for money and times); a person's PIN hash is never here. */
  data: Record<string, unknown>;
}

/** The till a batch comes from. */
export interface SyncTill {
  id: string;
  /** The shop's name on that till, for the shop-wide screens. */
  shopName: string;
  /** The till's own name ("Front counter"), telling it apart in those screens; '' when it has none. */
  tillName: string;
}

/** The shop database's side of a push: every record of the batch upserted in one transaction, or nothing. */
export interface ShopDatabase {
  push(till: SyncTill, records: readonly SyncRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** RFC 4122 name-based UUIDs (version 5, SHA-1) live in the URL namespace; the name is counter://<till>/<entity>/<id>. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/** A record's UUID: derived, so no ledger table needs a column for it and every push of the record names it alike. */
export function recordUuid(tillId: string, entity: SyncEntity, localId: number): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(`counter://${tillId}/${entity}/${localId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
