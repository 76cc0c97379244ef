import { recordUuid, SYNC_ENTITIES, type SyncEntity, type SyncRecord, type SyncTill } from '../sync/sync-record';
import { ShopDbError } from './errors';
import { NEVER_SYNCED, SHOP_TABLES, type ShopColumn, type ShopTable } from './shop-columns';
import { withoutWebhookSecret } from './webhook-secret';

/**
 * A batch checked and turned into SQL before the transaction starts, so a
 * bad record is refused with nothing sent, and what is sent is one
 * multi-row upsert per table (and per chunk of rows) rather than one
 * statement per record.
 *
 * The upsert: `INSERT … ON CONFLICT (uuid) DO UPDATE … WHERE
 * <table>.version < excluded.version`: a record sent again, or an older
 * version arriving after a newer one (a batch PostgreSQL committed but the
 * till never heard back about), changes nothing.
 */

export interface UpsertStatement {
  entity: SyncEntity;
  sql: string;
  params: unknown[];
  rows: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Rows per statement: PostgreSQL takes at most 65,535 parameters in one. */
const MAX_PARAMS = 30_000;

function refuse(what: string, why: string): never {
  throw new ShopDbError('invalid-record', `${what} cannot be stored in the shop database: ${why}. Nothing of this batch was written.`);
}

export function checkTill(till: SyncTill): void {
  if (!till || typeof till !== 'object') refuse('The batch', 'it names no till');
  if (typeof till.id !== 'string' || !UUID.test(till.id)) refuse('The batch', `the till id ${JSON.stringify(till.id)} is not a lower-case UUID`);
  if (typeof till.shopName !== 'string') refuse('The batch', 'the shop name is not text');
  if (typeof till.tillName !== 'string') refuse('The batch', 'the till name is not text');
}

function valueProblem(column: ShopColumn, value: unknown): string | null {
  if (value === null) return column.nullable ? null : `${column.name} is empty`;
  switch (column.kind) {
    case 'int':
      if (typeof value === 'bigint') return value >= -(2n ** 63n) && value < 2n ** 63n ? null : `${column.name} is out of range`;
      return Number.isSafeInteger(value) ? null : `${column.name} is not a whole number (${JSON.stringify(value)})`;
    case 'flag':
      return value === 0 || value === 1 ? null : `${column.name} is not 0 or 1 (${JSON.stringify(value)})`;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${column.name} is not a number (${JSON.stringify(value)})`;
    case 'text':
      return typeof value === 'string' ? null : `${column.name} is not text (${JSON.stringify(value)})`;
  }
}

/** Refuses the record, naming every problem, or returns nothing. */
export function checkRecord(till: SyncTill, record: SyncRecord): void {
  if (!record || typeof record !== 'object') refuse('A record', 'it is not an object');
  if (!(SYNC_ENTITIES as readonly string[]).includes(record.entity)) refuse('A record', `its entity ${JSON.stringify(record.entity)} is not one that syncs`);
  const what = `The ${record.entity} ${JSON.stringify(record.localId)} from till ${till.id}`;
  if (!Number.isSafeInteger(record.localId) || record.localId < 1) refuse(what, 'its local id is not a positive whole number');
  if (!Number.isSafeInteger(record.version) || record.version < 1) refuse(what, `its version ${JSON.stringify(record.version)} is not a positive whole number`);
  if (record.uuid !== recordUuid(till.id, record.entity, record.localId)) {
    refuse(what, `its uuid ${JSON.stringify(record.uuid)} is not the one derived from the till, entity and local id`);
  }
  const data = record.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) refuse(what, 'its data is not an object');
  const secret = (NEVER_SYNCED[record.entity] ?? []).filter((name) => name in data);
  if (secret.length) refuse(what, `it carries ${secret.join(', ')}, which never leaves the till`);
  if ('id' in data && data.id !== record.localId) refuse(what, `its data's id ${JSON.stringify(data.id)} is not its local id`);
  const table = SHOP_TABLES[record.entity];
  const missing = table.columns.filter((c) => !(c.name in data)).map((c) => c.name);
  if (missing.length) refuse(what, `its data lacks ${missing.join(', ')}`);
  const problems = table.columns.map((c) => valueProblem(c, data[c.name])).filter((p): p is string => p !== null);
  if (problems.length) refuse(what, problems.join('; '));
}

const ident = (name: string) => `"${name}"`;

const CAST: Record<ShopColumn['kind'], string> = { int: 'bigint', flag: 'smallint', text: 'text', real: 'double precision' };

function upsertSql(table: ShopTable, rows: number): string {
  const columns = ['uuid', 'till_id', 'local_id', 'version', ...table.columns.map((c) => c.name)];
  const casts = ['uuid', 'uuid', 'bigint', 'bigint', ...table.columns.map((c) => CAST[c.kind])];
  const values: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) values.push(`(${casts.map((cast) => `$${++n}::${cast}`).join(', ')}, now())`);
  const updates = ['version', ...table.columns.map((c) => c.name)].map((name) => `${ident(name)} = excluded.${ident(name)}`);
  return (
    `INSERT INTO ${ident(table.table)} (${columns.map(ident).join(', ')}, synced_at) VALUES ${values.join(', ')} ` +
    `ON CONFLICT (uuid) DO UPDATE SET ${updates.join(', ')}, synced_at = excluded.synced_at ` +
    `WHERE ${ident(table.table)}.version < excluded.version`
  );
}

const sqlCache = new Map<string, string>();
function cachedSql(table: ShopTable, rows: number): string {
  const key = `${table.table}:${rows}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    sql = upsertSql(table, rows);
    if (sqlCache.size < 256) sqlCache.set(key, sql);
  }
  return sql;
}

function param(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Checks every record, keeps the newest version of a record named twice
 * (one statement may not touch a row twice), and orders each table's rows
 * by uuid so two transactions touching the same rows lock them in the same
 * order and cannot deadlock.
 */
export function prepareBatch(till: SyncTill, records: readonly SyncRecord[]): UpsertStatement[] {
  checkTill(till);
  if (!Array.isArray(records)) refuse('The batch', 'its records are not a list');
  const newest = new Map<string, SyncRecord>();
  for (const record of records) {
    checkRecord(till, record);
    const seen = newest.get(record.uuid);
    if (!seen || seen.version < record.version) newest.set(record.uuid, record);
  }
  const statements: UpsertStatement[] = [];
  for (const entity of SYNC_ENTITIES) {
    const table = SHOP_TABLES[entity];
    const rows = [...newest.values()].filter((r) => r.entity === entity).sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
    const perRow = 4 + table.columns.length;
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.slice(start, start + chunk);
      const params: unknown[] = [];
      for (const r of part) {
        params.push(r.uuid, till.id, r.localId, r.version);
        for (const c of table.columns) params.push(param(c.name === 'webhook_url' ? withoutWebhookSecret(r.data[c.name] as string | null | undefined) : r.data[c.name]));
      }
      statements.push({ entity, sql: cachedSql(table, part.length), params, rows: part.length });
    }
  }
  return statements;
}
