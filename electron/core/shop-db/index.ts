/** The shop's PostgreSQL database (issue 16): what the sync worker and the tests use. */
export { connectShopDatabase, type ConnectShopDatabaseOptions, type ShopDatabaseConnection, type ShopRow, type ShopTillRow } from './shop-database';
export { parseShopDatabaseUrl, redactUrl, isLoopbackHost, type ShopDatabaseTarget } from './connection';
export { ShopDbError, type ShopDbErrorCode } from './errors';
export { SHOP_TABLES, NEVER_SYNCED, type ShopColumn, type ShopTable } from './shop-columns';
export { SHOP_MIGRATIONS, SHOP_SCHEMA_VERSION } from './migrations';
