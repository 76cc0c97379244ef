import { describe, expect, it } from 'vitest';
import { createCounterCore, type CounterCore } from '../../electron/core/app/counter-core';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import { NO_CODE } from '../support/api-core';
import { usePostgres } from '../support/use-postgres';
import { prng } from '../support/prng';
import { waitFor } from '../support/sync-fixture';
import { openTill, sell } from '../support/sync-sales';
import { expectUnion } from '../support/sync-union';
import { tempDir } from '../support/temp-dir';

/**
 * The core's `shopDatabase` option: the whole app (ledger, sandbox,
 * listener, payments) with its sync worker pushing to a real PostgreSQL
 * server, started and stopped with the core.
 */

const server = usePostgres();

function core(shopDatabase: NonNullable<Parameters<typeof createCounterCore>[0]['shopDatabase']> | undefined, dataDir = tempDir()): Promise<CounterCore> {
  return createCounterCore({
    dataDir,
    timeZone: 'UTC',
    tunnel: { binary: { envPath: '' } },
    sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
    rails: { liveEndpoint: NO_CODE },
    ...(shopDatabase ? { shopDatabase } : {}),
  });
}

describe('a core with a shop database', () => {
  it('sends its sales there in the background, under the shop name it has', async () => {
    const url = await server().database();
    const till = await core({ url, timing: { idleMs: 20, backoff: { baseMs: 20, capMs: 200 } } });
    try {
      await till.updateSettings({ shopName: 'Corner shop' });
      sell(openTill(till.ledger, prng(41)), 40);
      await waitFor('synced', () => till.sync?.status().state === 'synced' && till.ledger.outbox.waiting() === 0);
      const shop = await connectShopDatabase({ url });
      try {
        const report = await expectUnion(shop, [till.ledger], 'Corner shop');
        expect(report.counts.sale).toBe(40);
      } finally {
        await shop.close();
      }
    } finally {
      await till.close();
    }
  });

  it('keeps selling with a shop database it cannot use, and says why in the sync status', async () => {
    // A URL naming another machine without TLS: refused before any connection is tried.
    const till = await core({ url: 'postgres://till:open-sesame-42@10.0.0.9/shop?sslmode=disable', timing: { backoff: { baseMs: 20, capMs: 200 } } });
    try {
      sell(openTill(till.ledger, prng(42)), 3);
      const status = await waitFor('the error', () => {
        const s = till.sync?.status();
        return s?.state === 'error' ? s : null;
      });
      expect(status.error).toMatch(/not this machine: sales would cross the network unencrypted/);
      expect(status.error).not.toContain('open-sesame-42');
      // Nor does any log line or event: the password is one of the redactor's secrets.
      expect(till.redactor.text('connect failed for till:open-sesame-42')).not.toContain('open-sesame-42');
      expect(status.waiting).toBeGreaterThan(0);
      // The till still sells: a sale never waits for the sync.
      expect(till.ledger.createSale({ amount: 100, currency: 'usd', mode: 'live', destination: openTill(till.ledger, prng(43)).destination }).status).toBe('pending');
    } finally {
      await till.close();
    }
  });

  it('has no sync without the option, and its outbox simply waits', async () => {
    const till = await core(undefined);
    try {
      sell(openTill(till.ledger, prng(44)), 2);
      expect(till.sync).toBeNull();
      expect(till.ledger.outbox.waiting()).toBeGreaterThan(0);
    } finally {
      await till.close();
    }
  });
});
