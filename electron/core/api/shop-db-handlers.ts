import type { CounterCore } from '../app/counter-core';
import type { Implementations } from './implementations';

/** The shop database (issue 16): the owner's connection test (saving it is updateSettings'), and the owner's shop view. */
export type ShopDbMethods = 'testShopDatabase' | 'shopTills' | 'shopSales' | 'shopTotals' | 'shopChart' | 'shopDaySummary' | 'shopSale' | 'hostShopDatabase' | 'shopHost';

export function shopDbHandlers(core: CounterCore): Pick<Implementations, ShopDbMethods> {
  return {
    // Owner only (METHOD_ACCESS): without a password it tries the saved one, but only on the database it was saved for.
    testShopDatabase: ({ url, password }) => core.testShopDatabase({ url, password }),
    // Every till's sales, read from the shop database with the sales log's filter (tillId: one till's).
    shopTills: async () => (await core.shopView()).tills(),
    shopSales: async ({ filter, tillId, cursor, limit }) => (await core.shopView()).listSales(filter, { cursor: cursor ?? null, ...(limit ? { limit } : {}) }, tillId ?? null),
    shopTotals: async ({ filter, tillId }) => (await core.shopView()).rangeTotals(filter, tillId ?? null),
    shopChart: async ({ filter, tillId }) => (await core.shopView()).chart(filter, tillId ?? null),
    shopDaySummary: async ({ date, mode, tillId }) => (await core.shopView()).daySummary(date, mode ?? 'live', tillId ?? null),
    // Any till's sale, read only: its refunds and voids are made on that till, from its own ledger.
    shopSale: async ({ tillId, saleId }) => (await core.shopView()).sale(tillId, saleId),
    // Starting or stopping the server is audited as a settings change, by whoever asked (the owner).
    hostShopDatabase: ({ port }, ctx) => core.shopHosting.set(port, { actor: ctx.actor }),
    shopHost: () => core.shopHosting.view(),
  };
}
