import type { Logger } from '../app/logger';
import { ShopDbError } from './errors';
import { connectShopDatabase, type ShopDatabaseConnection } from './shop-database';
import { createShopReports, type ShopReports } from './shop-reports';

/**
 * Where the owner's shop view reads from: its own connection to the shop
 * database (apart from the sync worker's, so a read never waits behind a
 * batch), made on first use and made again when the shop database changes
 * in Settings. A connect that fails is not kept: the next read tries again.
 */
export interface ShopViewSource {
  /** The shop view's reads, connected; ShopDbError('not-set') when this till has no shop database. */
  reports(): Promise<ShopReports>;
  close(): Promise<void>;
}

export interface ShopViewSourceOptions {
  /** The shop database's URL as the sync uses it now (password included), or null for none. */
  url: () => string | null;
  timeZone: string;
  thisTillId: () => string;
  logger: Logger;
  connectTimeoutMs?: number;
}

export function createShopViewSource(options: ShopViewSourceOptions): ShopViewSource {
  let current: { url: string; connection: Promise<ShopDatabaseConnection> } | null = null;
  let closed = false;

  const drop = (entry: NonNullable<typeof current>) => {
    if (current === entry) current = null;
    void entry.connection.then((c) => c.close()).catch(() => {});
  };

  return {
    async reports() {
      if (closed) throw new ShopDbError('closed', 'Counter is closing: the shop view is not read any more.');
      const url = options.url();
      if (url === null) throw new ShopDbError('not-set', 'This till has no shop database: set one in Settings → Shop database.');
      if (current && current.url !== url) drop(current);
      if (!current) {
        const entry = {
          url,
          connection: connectShopDatabase({ url, logger: options.logger, ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}) }),
        };
        current = entry;
        entry.connection.catch(() => {
          if (current === entry) current = null;
        });
      }
      const connection = await current.connection;
      return createShopReports({ db: connection, timeZone: options.timeZone, thisTillId: options.thisTillId() });
    },
    async close() {
      closed = true;
      const entry = current;
      current = null;
      if (entry) await entry.connection.then((c) => c.close()).catch(() => {});
    },
  };
}
