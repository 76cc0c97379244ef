/**
 * Small parts the sync tests share: a wait on a condition (never a timed
 * assertion: only a deadline so a hang fails with a reason), and a stand-in
 * shop database for the worker's own logic, which keeps what it is pushed
 * by UUID and version as PostgreSQL's upsert does, and fails or holds a
 * push when told. The end-to-end tests use the real server instead.
 */
import type { ShopDatabase, SyncRecord, SyncTill } from '../../electron/core/sync/sync-record';

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface StandInShop extends ShopDatabase {
  /** Every push that reached it, failed or not, in order. */
  pushes: Array<{ till: SyncTill; records: readonly SyncRecord[] }>;
  /** What it holds: the highest version of each record. */
  rows: Map<string, SyncRecord>;
  /** The next n pushes throw this error. */
  failNext(n: number, error?: Error): void;
  /** The next push waits until release() is called (and then stores its records). */
  holdNext(): void;
  release(): void;
  /** Resolves once a held push is waiting. */
  held(): Promise<void>;
  closed: number;
}

export function standInShop(): StandInShop {
  let failures = 0;
  let failure = new Error('the server went away');
  let holding = false;
  let releaseHeld: (() => void) | null = null;
  let onHeld: (() => void) | null = null;
  const shop: StandInShop = {
    pushes: [],
    rows: new Map(),
    closed: 0,
    failNext(n, error) {
      failures = n;
      if (error) failure = error;
    },
    holdNext() {
      holding = true;
    },
    release() {
      releaseHeld?.();
    },
    held: () => new Promise<void>((resolve) => (releaseHeld ? resolve() : (onHeld = resolve))),
    async push(till, records) {
      shop.pushes.push({ till, records });
      if (failures > 0) {
        failures -= 1;
        throw failure;
      }
      if (holding) {
        holding = false;
        await new Promise<void>((resolve) => {
          releaseHeld = resolve;
          onHeld?.();
        });
        releaseHeld = null;
      }
      for (const r of records) {
        const had = shop.rows.get(r.uuid);
        if (!had || had.version < r.version) shop.rows.set(r.uuid, r);
      }
    },
    async close() {
      shop.closed += 1;
    },
  };
  return shop;
}
