import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretBox } from '../../electron/core/settings/secret-box';
import { SHOP_SCHEMA_VERSION } from '../../electron/core/shop-db/migrations';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import type { CounterEvent } from '../../electron/shared/contract';
import { peopleThrough, signInThrough, startApiCore, tableCall, valueOf, type ApiCall } from '../support/api-core';
import { memoryLogger } from '../support/memory-logger';
import { prng } from '../support/prng';
import { waitFor } from '../support/sync-fixture';
import { openTill, sell } from '../support/sync-sales';
import { tempDir } from '../support/temp-dir';
import { usePostgres } from '../support/use-postgres';

/**
 * The "Shop database" setting (issue 16) against a real PostgreSQL server:
 * saved through the API, checked before it is saved, the worker started,
 * restarted and stopped with it, its password kept apart (encrypted when
 * the host has a SecretBox) and out of every answer, event, log line and
 * audit entry; and the owner's connection test.
 */

const server = usePostgres();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST = { idleMs: 20, backoff: { baseMs: 20, capMs: 200 } };

/** A database of its own, owned by a role of its own with a long password (so the redactor knows it). */
async function shopDatabase(): Promise<{ url: string; password: string; withPassword: string }> {
  const admin = new URL(await server().database());
  const role = `till_${randomBytes(4).toString('hex')}`;
  const password = `shop-secret-${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await client.query(`ALTER DATABASE ${admin.pathname.slice(1)} OWNER TO ${role}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${role}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.username = role;
  url.password = '';
  const withPassword = new URL(url);
  withPassword.password = password;
  return { url: url.toString(), password, withPassword: withPassword.toString() };
}

async function started(extra: Parameters<typeof startApiCore>[0] = {}) {
  const logger = memoryLogger();
  const api = await startApiCore({ logger, syncTiming: FAST, shopDatabaseConnectTimeoutMs: 3_000, ...extra });
  cleanups.push(() => api.core.close());
  const call = tableCall(api.api);
  const people = await peopleThrough(call);
  return { ...api, call, logger, people };
}

/** The shop database's sales for every till. */
async function salesIn(withPassword: string): Promise<number> {
  const shop = await connectShopDatabase({ url: withPassword });
  try {
    return (await shop.rows('sale')).length;
  } finally {
    await shop.close();
  }
}

/** Everything the password must never be in. */
function expectNowhere(secret: string, where: { call?: unknown; events: CounterEvent[]; lines: string[]; entries: unknown; audit: unknown }) {
  for (const [name, value] of Object.entries(where)) expect(JSON.stringify(value), name).not.toContain(secret);
}

async function refusal(call: ApiCall, patch: unknown) {
  const answer = await call('updateSettings', patch);
  if (answer.ok) expect.fail('expected the settings to be refused');
  return answer.error as { code: string; message: string; fields?: Record<string, string> };
}

describe('the Shop database setting', () => {
  it('saved with its password apart, starts the worker, which syncs a sale; the password is in no answer, event, log line or audit entry', async () => {
    const db = await shopDatabase();
    const { core, call, events, logger } = await started();
    // The password typed inline in the URL is moved out of it.
    const settings = valueOf(await call('updateSettings', { shopDatabase: { url: db.withPassword } }));
    expect(settings.shopDatabase).toEqual({ url: db.url, passwordSaved: true, passwordEncrypted: false, host: null });
    expect(core.ledger.getSetting('shopDatabase')).toMatchObject({ url: db.url });
    // No SecretBox (tests, the preview): stored as typed, apart from the URL, and Settings says so.
    expect(core.ledger.getSetting('shopDatabasePassword')).toBe(db.password);

    sell(openTill(core.ledger, prng(61)), 5);
    await waitFor('synced', () => core.sync?.status().state === 'synced' && core.ledger.outbox.waiting() === 0);
    expect(await salesIn(db.withPassword)).toBe(5);
    const status = valueOf(await call('getStatus'));
    expect(status.sync).toEqual({ state: 'synced' });
    // The status bar heard of it by a push.
    await waitFor('a synced status push', () => events.some((e) => e.type === 'status' && e.status.sync.state === 'synced'));

    const audit = core.ledger.audit.page();
    const entry = audit.entries.find((e) => e.action === 'settings-changed');
    expect(entry?.summary).toBe('Ana changed the settings: shop database, shop database password');
    expect(entry?.detail).toMatchObject({ changes: { shopDatabasePassword: { from: null, to: '[hidden]' }, shopDatabase: { to: { url: db.url } } } });
    expectNowhere(db.password, {
      call: [settings, status, valueOf(await call('getSettings'))],
      events,
      lines: logger.lines,
      entries: logger.entries,
      audit,
    });
    expect(logger.lines).toContain('counter-core: syncing to the shop database');
  });

  it('refuses a URL it cannot use, a remote server without TLS and a wrong password, in words by field, saving nothing', async () => {
    const db = await shopDatabase();
    const { core, call, events, logger } = await started();
    const before = valueOf(await call('getSettings'));
    const auditBefore = core.ledger.audit.page().entries.length;

    const notPostgres = await refusal(call, { shopDatabase: { url: 'http://127.0.0.1/shop' } });
    expect(notPostgres).toMatchObject({ code: 'invalid-settings' });
    expect(notPostgres.fields?.['shopDatabase.url']).toMatch(/starts with http:\/\/ where postgres:\/\/ or postgresql:\/\/ was expected/);

    const noTls = await refusal(call, { shopDatabase: { url: 'postgres://till@10.0.0.9/shop?sslmode=disable', password: 'remote-secret-123456' } });
    expect(noTls.fields?.['shopDatabase.url']).toMatch(/not this machine: sales would cross the network unencrypted/);

    const wrong = `wrong-secret-${randomBytes(6).toString('hex')}`;
    const auth = await refusal(call, { shopDatabase: { url: db.url, password: wrong } });
    expect(auth.fields?.['shopDatabase.password']).toMatch(/refused the user name or password/);
    expect(auth.message).not.toContain(wrong);

    const nobody = await refusal(call, { shopDatabase: { url: 'postgres://till@127.0.0.1:9/shop', password: wrong } });
    expect(nobody.fields?.['shopDatabase.url']).toMatch(/could not be reached/);

    expect(valueOf(await call('getSettings'))).toEqual(before);
    expect(core.ledger.getSetting('shopDatabasePassword')).toBeUndefined();
    expect(core.ledger.audit.page().entries).toHaveLength(auditBefore);
    expect(core.sync).toBeNull();
    expect(valueOf(await call('getStatus')).sync).toEqual({ state: 'off' });
    expectNowhere(wrong, { events, lines: logger.lines, entries: logger.entries, audit: core.ledger.audit.page() });
  });

  it('switching the database restarts the worker (the outbox keeps what waits); none turns the sync off', async () => {
    const a = await shopDatabase();
    const b = await shopDatabase();
    const { core, call } = await started();
    valueOf(await call('updateSettings', { shopDatabase: { url: a.url, password: a.password } }));
    const till = openTill(core.ledger, prng(62));
    sell(till, 3);
    await waitFor('synced to A', () => core.sync?.status().state === 'synced' && core.ledger.outbox.waiting() === 0);
    const first = core.sync;

    // B with its own password; the sales made meanwhile go to B only.
    valueOf(await call('updateSettings', { shopDatabase: { url: b.url, password: b.password } }));
    expect(core.sync).not.toBe(first);
    sell(till, 4);
    await waitFor('synced to B', () => core.sync?.status().state === 'synced' && core.ledger.outbox.waiting() === 0);
    expect(await salesIn(a.withPassword)).toBe(3);
    expect(await salesIn(b.withPassword)).toBe(4);

    // Saving the same database again (password left out: the saved one) keeps the worker as it is.
    const running = core.sync;
    const same = valueOf(await call('updateSettings', { shopDatabase: { url: b.url } }));
    expect(same.shopDatabase).toEqual({ url: b.url, passwordSaved: true, passwordEncrypted: false, host: null });
    expect(core.sync).toBe(running);

    const off = valueOf(await call('updateSettings', { shopDatabase: { url: null } }));
    expect(off.shopDatabase).toEqual({ url: null, passwordSaved: false, passwordEncrypted: false, host: null });
    expect(core.sync).toBeNull();
    expect(valueOf(await call('getStatus')).sync).toEqual({ state: 'off' });
    sell(till, 2);
    expect(core.ledger.outbox.waiting()).toBeGreaterThan(0);
  });

  it('encrypts the stored password with the host’s SecretBox, and a restart decrypts it to sync', async () => {
    const db = await shopDatabase();
    // A stand-in for safeStorage: reversible, and visibly not the password.
    const box: SecretBox & { used: number } = {
      used: 0,
      available: () => true,
      encrypt(text) {
        box.used += 1;
        return Buffer.from(`box:${[...text].reverse().join('')}`).toString('base64');
      },
      decrypt: (base64) => [...Buffer.from(base64, 'base64').toString().replace(/^box:/, '')].reverse().join(''),
    };
    const dataDir = tempDir();
    const first = await started({ dataDir, secretBox: box });
    const saved = valueOf(await first.call('updateSettings', { shopDatabase: { url: db.url, password: db.password } }));
    expect(saved.shopDatabase).toEqual({ url: db.url, passwordSaved: true, passwordEncrypted: true, host: null });
    const stored = first.core.ledger.getSetting('shopDatabasePassword') as string;
    expect(stored).not.toContain(db.password);
    expect(box.decrypt(stored)).toBe(db.password);
    expect(box.used).toBe(1);
    await first.core.close();

    // Reopened with the box: the worker gets the password back and syncs.
    const again = await startApiCore({ dataDir, secretBox: box, syncTiming: FAST });
    cleanups.push(() => again.core.close());
    expect(again.core.settings.get().shopDatabase).toEqual({ url: db.url, passwordSaved: true, passwordEncrypted: true, host: null });
    sell(openTill(again.core.ledger, prng(63)), 2);
    await waitFor('synced after the restart', () => again.core.sync?.status().state === 'synced' && again.core.ledger.outbox.waiting() === 0);
    expect(await salesIn(db.withPassword)).toBe(2);
  });

  it('a box that cannot encrypt now: the password is kept as typed, and Settings says so', async () => {
    const db = await shopDatabase();
    const box: SecretBox = { available: () => false, encrypt: () => expect.fail('not available'), decrypt: () => expect.fail('not available') };
    const { call, core } = await started({ secretBox: box });
    const saved = valueOf(await call('updateSettings', { shopDatabase: { url: db.url, password: db.password } }));
    expect(saved.shopDatabase.passwordEncrypted).toBe(false);
    expect(core.ledger.getSetting('shopDatabasePassword')).toBe(db.password);
  });
});

describe('testShopDatabase', () => {
  it('answers where, TLS, the schema and the tills, saving nothing; without a password it uses the saved one', async () => {
    const db = await shopDatabase();
    const { core, call, events, logger } = await started();
    const before = valueOf(await call('getSettings'));
    const tested = valueOf(await call('testShopDatabase', { url: db.url, password: db.password }));
    expect(tested).toEqual({ where: db.url, tls: false, schema: SHOP_SCHEMA_VERSION, tills: 0 });
    expect(valueOf(await call('getSettings'))).toEqual(before);
    expect(core.sync).toBeNull();

    // Saved and synced once: the till is counted, and the saved password serves a test without one.
    valueOf(await call('updateSettings', { shopDatabase: { url: db.url, password: db.password } }));
    sell(openTill(core.ledger, prng(64)), 1);
    await waitFor('synced', () => core.sync?.status().state === 'synced' && core.ledger.outbox.waiting() === 0);
    expect(valueOf(await call('testShopDatabase', { url: db.url }))).toEqual({ where: db.url, tls: false, schema: SHOP_SCHEMA_VERSION, tills: 1 });
    // Inline, the password is hidden in `where` too.
    expect(valueOf(await call('testShopDatabase', { url: db.withPassword })).where).toBe(db.url);
    expectNowhere(db.password, { events, lines: logger.lines, entries: logger.entries, audit: core.ledger.audit.page() });
  });

  it('refuses in words by field: a URL it cannot use, a wrong password, a remote server without TLS', async () => {
    const db = await shopDatabase();
    const { call } = await started();
    const bad = await call('testShopDatabase', { url: 'mysql://till@127.0.0.1/shop' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-settings', fields: { 'shopDatabase.url': expect.stringMatching(/postgres:\/\//) } } });
    const wrong = await call('testShopDatabase', { url: db.url, password: 'not-the-password-1234' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-settings', fields: { 'shopDatabase.password': expect.stringMatching(/refused the user name or password/) } } });
    const noTls = await call('testShopDatabase', { url: 'postgres://till@shop.example.com/shop?sslmode=disable' });
    expect(noTls).toMatchObject({ ok: false, error: { fields: { 'shopDatabase.url': expect.stringMatching(/unencrypted/) } } });
    const empty = await call('testShopDatabase', { url: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('is the owner’s only: a manager and a cashier are refused before it connects', async () => {
    const db = await shopDatabase();
    const { call, people } = await started();
    for (const who of [people.cleo, people.ben]) {
      await signInThrough(call, who);
      const answer = await call('testShopDatabase', { url: db.url, password: db.password });
      expect(answer, who.name).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/needs? the owner\.$/) } });
    }
  });
});

describe("this till's name", () => {
  it('refuses a name too long or with a control character, in words by field, saving nothing; a name is saved trimmed and audited', async () => {
    const { core, call } = await started();
    const before = valueOf(await call('getSettings'));
    const auditBefore = core.ledger.audit.page().entries.length;
    await expect(core.updateSettings({ tillName: 'x'.repeat(41) })).rejects.toMatchObject({
      code: 'invalid-settings',
      fields: { tillName: 'This till’s name: at most 40 characters.' },
    });
    await expect(core.updateSettings({ tillName: 'Front\ncounter' })).rejects.toMatchObject({
      code: 'invalid-settings',
      fields: { tillName: 'This till’s name: letters, digits and punctuation only, no tabs or line breaks.' },
    });
    // Through the API the contract refuses it before the core sees it.
    expect(await call('updateSettings', { tillName: 'Front\tcounter' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/tillName/) } });
    expect(valueOf(await call('getSettings'))).toEqual(before);
    expect(before.tillName).toBe('');
    expect(core.ledger.getSetting('tillName')).toBeUndefined();
    expect(core.ledger.audit.page().entries).toHaveLength(auditBefore);

    expect(valueOf(await call('updateSettings', { tillName: '  Front counter ' })).tillName).toBe('Front counter');
    expect(core.ledger.getSetting('tillName')).toBe('Front counter');
    const entry = core.ledger.audit.page().entries.find((e) => e.action === 'settings-changed');
    expect(entry?.summary).toBe('Ana changed the settings: till name');
    expect(entry?.detail).toMatchObject({ changes: { tillName: { from: '', to: 'Front counter' } } });
  });

  it("goes with the till's sales to the shop database, and the shop view labels the till by it (and by its id again once it has none)", async () => {
    const db = await shopDatabase();
    const { core, call } = await started();
    valueOf(await call('updateSettings', { shopName: 'Corner Café', tillName: 'Front counter', shopDatabase: { url: db.withPassword } }));
    const till = openTill(core.ledger, prng(67));
    const synced = () => waitFor('synced', () => core.sync?.status().state === 'synced' && core.ledger.outbox.waiting() === 0);
    sell(till, 3);
    await synced();
    const id = core.ledger.outbox.tillId();
    const named = { id, label: 'Corner Café · Front counter', thisTill: true };
    expect(valueOf(await call('shopTills'))).toEqual([expect.objectContaining({ ...named, shopName: 'Corner Café', tillName: 'Front counter' })]);
    const page = valueOf(await call('shopSales', { filter: { mode: 'all' } }));
    expect(page.sales.length).toBeGreaterThan(0);
    for (const sale of page.sales) expect(sale.till).toEqual(named);

    // The name goes with the next push: none again, and the label is the start of the id.
    valueOf(await call('updateSettings', { tillName: '' }));
    sell(till, 1);
    await synced();
    const unnamed = `Corner Café · ${id.slice(0, 8)}`;
    expect(valueOf(await call('shopTills'))).toEqual([expect.objectContaining({ id, tillName: '', label: unnamed })]);
    for (const sale of valueOf(await call('shopSales', { filter: { mode: 'all' } })).sales) expect(sale.till.label).toBe(unnamed);
  });
});
