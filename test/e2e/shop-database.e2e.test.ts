import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import { freePort } from '../support/postgres';
import { usePostgres } from '../support/use-postgres';
import { cashSaleInUi, openShiftInUi, tillCall, typeAmount, useSandboxTill } from './e2e-preview';

// The shop database (issue 16) through the screens, against a real
// PostgreSQL: the owner types its address and password in Settings, tests the
// connection, saves, sells a cash sale, and the status bar says "synced" once
// the sale is in the shop database.

const postgres = usePostgres();
const till = useSandboxTill({ owner: true });
const text = (testId: string) => till.page.getByTestId(testId).innerText();

/** The test server's database as the owner would type it: the address without the password, and the password apart. */
async function shopDatabase(): Promise<{ full: string; address: string; password: string }> {
  const full = await postgres().database();
  const u = new URL(full);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { full, address: u.toString(), password };
}

async function shopRows<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the shop database in Chromium', () => {
  it('is set, tested and saved in Settings; a cash sale reaches it and the status bar says synced', async () => {
    const db = await shopDatabase();
    expect(db.password).not.toBe('');
    const page = till.page;
    // No shop database yet: the status bar says nothing about one.
    expect(await page.getByTestId('status-sync').count()).toBe(0);

    const section = page.getByTestId('settings-shop-database');
    await section.scrollIntoViewIfNeeded();
    await page.getByTestId('settings-shop-database-url').fill(db.address);
    await page.getByTestId('settings-shop-database-password').fill(`${db.password}-wrong`);
    await page.getByTestId('shop-database-test').click();
    const result = page.getByTestId('shop-database-result');
    await expect.poll(() => result.getAttribute('data-tone'), { timeout: 20_000 }).toBe('bad');
    expect(await result.innerText()).toMatch(/^Not connected: \S/);
    expect(await result.innerText()).not.toContain(db.password);

    await page.getByTestId('settings-shop-database-password').fill(db.password);
    // Editing clears the last answer.
    expect(await result.innerText()).toBe('');
    await page.getByTestId('shop-database-test').click();
    await expect.poll(() => result.getAttribute('data-tone'), { timeout: 20_000 }).toBe('ok');
    expect(await result.innerText()).toMatch(/^Connected: schema \d+, 0 tills, TLS off\s+postgres:\/\/\S+$/);
    expect(await result.innerText()).not.toContain(db.password);
    // Testing saves nothing.
    expect((await tillCall(till.preview, 'getSettings')).shopDatabase).toEqual({ url: null, passwordSaved: false, passwordEncrypted: false, host: null });
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'shop-database-01-tested');

    await page.getByTestId('settings-save').click();
    await expect.poll(() => text('settings-message'), { timeout: 20_000 }).toBe('Settings saved.');
    const saved = await tillCall(till.preview, 'getSettings');
    expect(saved.shopDatabase).toMatchObject({ url: expect.stringMatching(/^postgres:\/\//), passwordSaved: true });
    expect(JSON.stringify(saved)).not.toContain(db.password);
    // The password is never shown again: the field is empty, and says one is saved.
    expect(await page.getByTestId('settings-shop-database-password').inputValue()).toBe('');
    expect(await text('shop-database-password-hint')).toMatch(/^A password is saved.*leave empty to keep it \(it is used only with this same address\)\.$/);
    expect(await page.content()).not.toContain(db.password);

    await openShiftInUi(page);
    await typeAmount(page, '3');
    await page.keyboard.press('Enter');
    await page.getByTestId('open-cash').click();
    await page.keyboard.type('3');
    await page.getByTestId('take-cash').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });

    const sync = page.getByTestId('status-sync');
    await expect.poll(() => sync.getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    expect(await sync.innerText()).toMatch(/^Shop database\s+synced$/);
    const sales = await shopRows<{ amount: string; status: string; cash_amount: string }>(db.full, 'SELECT amount, status, cash_amount FROM sales');
    expect(sales).toEqual([{ amount: '300', status: 'paid', cash_amount: '300' }]);
    expect(await shopRows(db.full, 'SELECT id FROM tills')).toHaveLength(1);
    expect(await page.content()).not.toContain(db.password);
    await screenshot(page, 'shop-database-02-status-synced');

    // The server away: the next sale waits, and the status bar says why in words; back, it syncs.
    if (!postgres().embedded) return;
    await postgres().down();
    await page.getByTestId('next-sale').click();
    await typeAmount(page, '2');
    await page.keyboard.press('Enter');
    await page.getByTestId('open-cash').click();
    await page.keyboard.type('2');
    await page.getByTestId('take-cash').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
    await expect.poll(() => sync.getAttribute('data-state'), { timeout: 30_000 }).toBe('error');
    expect(await sync.innerText()).toMatch(/^Shop database\s+[1-9]\d* waiting: \S/);
    expect(await sync.innerText()).not.toContain(db.password);
    await screenshot(page, 'shop-database-03-status-error');
    await postgres().up();
    await expect.poll(() => sync.getAttribute('data-state'), { timeout: 60_000 }).toBe('synced');
    expect(await shopRows(db.full, 'SELECT amount FROM sales ORDER BY amount')).toEqual([{ amount: '200' }, { amount: '300' }]);
  }, 120_000);
});

describe('hosting the shop database in Chromium', () => {
  it('starts on this till from Settings, shows what the other tills type (the password on request), syncs to itself, and stops after a confirmation', async () => {
    const page = till.page;
    const section = page.getByTestId('settings-shop-database');
    await section.scrollIntoViewIfNeeded();
    const port = await freePort();
    await page.getByTestId('shop-host-port').fill(String(port));
    await page.getByTestId('shop-host-start').click();
    await expect.poll(() => text('shop-host-state'), { timeout: 60_000 }).toBe('Running: the other tills can connect.');
    const joinUrl = new URL(await text('shop-host-join-url'));
    expect(joinUrl.port).toBe(String(port));
    expect(joinUrl.password).toBe('');
    expect(joinUrl.searchParams.get('certsha256')).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The address field is gone: the till's own server is its shop database.
    expect(await page.getByTestId('settings-shop-database-url').count()).toBe(0);
    expect(await text('shop-host-password')).not.toMatch(/[A-Za-z0-9_-]{43}/);
    await page.getByTestId('shop-host-show-password').click();
    const password = /[A-Za-z0-9_-]{43}/.exec(await text('shop-host-password'))?.[0];
    expect(password).toBeDefined();
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'shop-database-03-hosting');

    // A sale on this till reaches its own server.
    await openShiftInUi(page);
    await cashSaleInUi(page, '3');
    await expect.poll(() => text('status-sync'), { timeout: 20_000 }).toMatch(/synced/i);
    const other = Object.assign(new URL(joinUrl.toString()), { hostname: '127.0.0.1', password: password! }).toString();
    const probe = await connectShopDatabase({ url: other, connectTimeoutMs: 5_000 });
    try {
      expect(probe.tls).toBe(true);
      expect(await probe.rows('sale')).toHaveLength(1);
    } finally {
      await probe.close();
    }

    await page.getByTestId('settings-tab').click();
    await section.scrollIntoViewIfNeeded();
    await page.getByTestId('shop-host-stop').click();
    await page.getByTestId('shop-host-stop-confirm').click();
    await page.getByTestId('settings-shop-database-url').waitFor();
    expect(await page.getByTestId('settings-shop-database-url').inputValue()).toBe('');
    expect((await tillCall(till.preview, 'getSettings')).shopDatabase).toEqual({ url: null, passwordSaved: false, passwordEncrypted: false, host: null });
  });
});
