import type { ShopMigration } from './shop-migration';
import { migration as shopSchema } from './0001-shop-schema';
import { migration as reportIndexes } from './0002-report-indexes';

export type { ShopMigration };

/** Forward-only steps of the shop database's schema, one file each, in order. */
export const SHOP_MIGRATIONS: readonly ShopMigration[] = [shopSchema, reportIndexes];

export const SHOP_SCHEMA_VERSION = SHOP_MIGRATIONS[SHOP_MIGRATIONS.length - 1]!.version;
