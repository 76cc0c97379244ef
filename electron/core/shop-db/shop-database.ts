import pg from 'pg';
import { silentLogger, type Logger } from '../app/logger';
import type { ShopDatabase, SyncEntity, SyncRecord, SyncTill } from '../sync/sync-record';
import { parseShopDatabaseUrl, pinCertificate, type ShopDatabaseTarget } from './connection';
import { ShopDbError } from './errors';
import { migrateShopDatabase, type MigrationResult } from './migrate';
import { SHOP_MIGRATIONS, type ShopMigration } from './migrations';
import { SHOP_TABLES } from './shop-columns';
import { prepareBatch } from './upsert-batch';
import { toShopDbError } from './pg-errors';

/**
 * The shop's PostgreSQL database as a till sees it: connect (checking the
 * URL's TLS rule and bringing the schema up to date under the advisory
 * lock), then push batches of records, each in one transaction.
 *
 * `pg` with a small Pool: a push takes one client for its whole
 * transaction; a client whose connection dropped is thrown away, so the
 * next push connects afresh (after a server restart, an outage, a laptop
 * lid). Nothing retries here: the sync worker owns retries and back-off.
 */
export interface ConnectShopDatabaseOptions {
  url: string;
  logger?: Logger;
  /** How long a new connection may take before the push fails (default 10 s). */
  connectTimeoutMs?: number;
  /** How long the server may spend on one statement (default 60 s). */
  statementTimeoutMs?: number;
  /** The steps to apply: only tests pass their own. */
  migrations?: readonly ShopMigration[];
}

/** One synced row as PostgreSQL holds it, shaped like the SyncRecord that wrote it. */
export interface ShopRow {
  uuid: string;
  tillId: string;
  localId: number;
  version: number;
  /** The table's ledger columns (shop-columns.ts), integers as numbers. */
  data: Record<string, unknown>;
}

export interface ShopTillRow {
  id: string;
  shopName: string;
  tillName: string;
  firstSeen: Date;
  lastPush: Date;
}

export interface ShopDatabaseConnection extends ShopDatabase {
  /** The URL without its password, and whether TLS is on. */
  readonly where: string;
  readonly tls: boolean;
  /** What the connect found and applied. */
  readonly migration: MigrationResult;
  /** Every row of an entity's table, for one till or all, by till then local id. */
  rows(entity: SyncEntity, tillId?: string): Promise<ShopRow[]>;
  tills(): Promise<ShopTillRow[]>;
  /** A read for reports and tests (views, counts). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
}

export async function connectShopDatabase(options: ConnectShopDatabaseOptions): Promise<ShopDatabaseConnection> {
  const parsed = parseShopDatabaseUrl(options.url);
  const logger = (options.logger ?? silentLogger).child('shop-db');
  // A pinned certificate (certsha256) is fetched and compared before the pool exists; the pool then trusts only it.
  const target = parsed.pin ? await pinCertificate(parsed, options.connectTimeoutMs ?? 10_000) : parsed;
  const pool = createPool(target, options);
  pool.on('error', (error) => {
    // An idle connection dropped (server restart, network): the pool discards it; the next push connects again.
    logger.warn('an idle connection to the shop database dropped', { where: target.redacted, reason: error.message });
  });
  let migration: MigrationResult;
  try {
    const { client, release } = watched(await pool.connect());
    let broken = false;
    try {
      migration = await migrateShopDatabase(client, options.migrations ?? SHOP_MIGRATIONS, target.redacted);
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      release(broken);
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw toShopDbError(error, target.redacted, 'connect to');
  }
  logger.info('connected to the shop database', {
    where: target.redacted,
    tls: target.ssl !== false,
    ...(target.pin ? { pinned: target.pin } : {}),
    schema: migration.to,
    applied: migration.applied,
  });
  return new PgShopDatabase(pool, target, migration);
}

function createPool(target: ShopDatabaseTarget, options: ConnectShopDatabaseOptions): pg.Pool {
  return new pg.Pool({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    ssl: target.ssl,
    application_name: 'counter',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    keepAlive: true,
    // One push at a time per till, plus a read.
    max: 2,
    idleTimeoutMillis: 30_000,
  });
}

class PgShopDatabase implements ShopDatabaseConnection {
  private closed = false;
  readonly where: string;
  readonly tls: boolean;

  constructor(
    private readonly pool: pg.Pool,
    target: ShopDatabaseTarget,
    readonly migration: MigrationResult,
  ) {
    this.where = target.redacted;
    this.tls = target.ssl !== false;
  }

  async push(till: SyncTill, records: readonly SyncRecord[]): Promise<void> {
    this.assertOpen();
    // Checked before anything is sent: a bad record refuses the batch with nothing written.
    const statements = prepareBatch(till, records);
    const { client, release } = watched(await this.connect('push to'));
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO tills (id, shop_name, till_name) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET shop_name = excluded.shop_name, till_name = excluded.till_name, last_push = now()`,
        [till.id, till.shopName, till.tillName],
      );
      for (const statement of statements) await client.query(statement.sql, statement.params);
      await client.query('COMMIT');
    } catch (error) {
      const mapped = toShopDbError(error, this.where, 'push to');
      if (mapped.code === 'unreachable') broken = mapped;
      // A dropped COMMIT leaves the outcome unknown: the worker sends the batch again, and the version check makes it harmless.
      else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw mapped;
    } finally {
      release(broken ?? false);
    }
  }

  async rows(entity: SyncEntity, tillId?: string): Promise<ShopRow[]> {
    const table = SHOP_TABLES[entity];
    if (!table) throw new ShopDbError('invalid-record', `${JSON.stringify(entity)} is not an entity that syncs.`);
    const names = table.columns.map((c) => `"${c.name}"`).join(', ');
    const found = await this.query<Record<string, unknown>>(
      `SELECT uuid, till_id, local_id, version, ${names} FROM "${table.table}"` +
        (tillId === undefined ? '' : ' WHERE till_id = $1') +
        ' ORDER BY till_id, local_id',
      tillId === undefined ? [] : [tillId],
    );
    return found.map((row) => ({
      uuid: row.uuid as string,
      tillId: row.till_id as string,
      localId: toNumber(row.local_id),
      version: toNumber(row.version),
      data: Object.fromEntries(table.columns.map((c) => [c.name, c.kind === 'int' && row[c.name] !== null ? toNumber(row[c.name]) : row[c.name]])),
    }));
  }

  async tills(): Promise<ShopTillRow[]> {
    const found = await this.query<{ id: string; shop_name: string; till_name: string; first_seen: Date; last_push: Date }>(
      'SELECT id, shop_name, till_name, first_seen, last_push FROM tills ORDER BY first_seen, id',
    );
    return found.map((t) => ({ id: t.id, shopName: t.shop_name, tillName: t.till_name, firstSeen: t.first_seen, lastPush: t.last_push }));
  }

  async query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.assertOpen();
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw toShopDbError(error, this.where, 'read from');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new ShopDbError('closed', `The connection to the shop database at ${this.where} is closed.`);
  }

  private async connect(what: string): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toShopDbError(error, this.where, what);
    }
  }
}

/**
 * A checked-out client with an 'error' listener of its own. pg-pool takes
 * its idle listener off a client it hands out, so a server that drops the
 * connection between two queries (a restart, a cut network) would raise an
 * uncaught exception and take the till's main process down. The error is
 * kept instead (the query in flight fails by itself), and a client that saw
 * one is discarded when it is released, so the next push connects afresh.
 */
function watched(client: pg.PoolClient): { client: pg.PoolClient; release: (broken: Error | boolean) => void } {
  let dropped: Error | undefined;
  const onError = (error: Error) => {
    dropped = error;
  };
  client.on('error', onError);
  return {
    client,
    release(broken) {
      client.off('error', onError);
      client.release(broken || dropped || false);
    },
  };
}

/** PostgreSQL's bigint arrives as a string; the ledger's integers are all within a double's exact range. */
export function toNumber(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new ShopDbError('push-failed', `The shop database holds ${String(value)}, which is not a whole number Counter can read exactly.`);
  return n;
}
