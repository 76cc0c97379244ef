import type { CounterCore } from '../app/counter-core';
import type { Implementations } from './implementations';

/** The shop database (issue 16): the owner's connection test. Saving it is updateSettings'. */
export type ShopDbMethods = 'testShopDatabase';

export function shopDbHandlers(core: CounterCore): Pick<Implementations, ShopDbMethods> {
  return {
    // Owner only (METHOD_ACCESS): without a password it tries the saved one, but only on the database it was saved for.
    testShopDatabase: ({ url, password }) => core.testShopDatabase({ url, password }),
  };
}
