import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import bs58 from 'bs58';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { randomAddress, tempDir } from '../support/temp-dir';
import { laptopPage, launchChromium, screenshot } from '../support/browser';

// The owner's half in real Chromium through the preview: filter a range,
// open a sale and its receipt, export CSV, the end-of-day summary.

const RENDERER_DIR = resolve(__dirname, '../../out/renderer');
const DAY = 86_400_000;
let browser: Browser;
let preview: Preview;
let page: Page;
let ids: Record<string, number>;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Live sales from the last two weeks, written before the app starts, as an earlier day's trading would. */
function seedHistory(dataDir: string): Record<string, number> {
  let clock = Date.now() - 2 * DAY;
  const ledger = createLedger({ dir: dataDir, now: () => clock });
  const destination = randomAddress();
  const sale = (amount: number, currency: string, at: number, end: (id: number) => void) => {
    clock = at;
    const s = ledger.createSale({ amount, currency, mode: 'live', destination });
    ledger.attachIntent(s.id, { intentId: bs58.encode(Buffer.from(randomAddress().slice(0, 32))) });
    clock += 30_000;
    end(s.id);
    return s.id;
  };
  const paid = (id: number) => ledger.recordProof({ saleId: id, source: 'webhook', quarks: 123_456_789, exchangeRate: 0.0000101, payload: 'eyJhbGciOiJFZERTQSJ9.e30.sig' });
  const twoDaysAgo = Date.now() - 2 * DAY;
  const seeded = {
    coffee: sale(1250, 'usd', twoDaysAgo, paid),
    croissant: sale(500, 'eur', twoDaysAgo + 60_000, paid),
    cancelled: sale(300, 'usd', twoDaysAgo + 120_000, (id) => ledger.cancel(id)),
    late: sale(875, 'usd', twoDaysAgo + 180_000, (id) => {
      ledger.cancel(id);
      paid(id);
    }),
    oldPaid: sale(999, 'usd', Date.now() - 12 * DAY, paid),
    oldExpired: sale(100, 'usd', Date.now() - 12 * DAY + 60_000, (id) => ledger.expire(id)),
  };
  ledger.close();
  return seeded;
}

beforeEach(async () => {
  dir = tempDir('counter-e2e-log-');
  ids = seedHistory(dir);
  preview = await startPreview({ dataDir: dir, rendererDir: RENDERER_DIR, tunnel: { binary: { envPath: '' } } });
  page = await laptopPage(browser);
  await page.goto(preview.url);
  await page.getByTestId('sales-log-tab').click();
  await page.getByTestId('log-row').first().waitFor();
});
afterEach(async () => {
  await page?.context().close();
  await preview?.close();
});

const rowIds = async () => (await page.getByTestId('log-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sale-id')))));
const day = (msAgo: number) => localDateOf(Date.now() - msAgo, preview.core.ledger.timeZone);

describe('the sales log in Chromium', () => {
  it('filters a date range and a status, newest first, with totals per currency', async () => {
    // The default range is the last 7 days of live sales.
    await expect.poll(rowIds).toEqual([ids.late, ids.cancelled, ids.croissant, ids.coffee]);
    await page.getByTestId('log-from').fill(day(14 * DAY));
    await page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.late, ids.cancelled, ids.croissant, ids.coffee, ids.oldExpired, ids.oldPaid]);
    const totals = await page.getByTestId('log-totals').innerText();
    expect(totals).toMatch(/\$31\.24/); // paid USD: 12.50 + 8.75 + 9.99
    expect(totals).toMatch(/5\.00/); // paid EUR
    await page.getByTestId('log-chart').locator('canvas').first().waitFor();
    await screenshot(page, '07-sales-log');
    for (const status of ['pending', 'cancelled', 'expired']) await page.getByTestId(`log-status-${status}`).uncheck();
    await page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.late, ids.croissant, ids.coffee, ids.oldPaid]);
    await page.getByTestId('log-search').fill('12.50');
    await page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.coffee]);
  });

  it('opens a sale with its event timeline, and its receipt', async () => {
    await page.locator(`[data-testid="log-row"][data-sale-id="${ids.late}"]`).click();
    const detail = page.getByTestId('sale-detail');
    await detail.waitFor();
    await expect.poll(() => page.getByTestId('sale-event').count()).toBe(2);
    expect(await page.getByTestId('sale-events').innerText()).toMatch(/cancel[\s\S]*webhook/i);
    await page.getByTestId('detail-paid-late').waitFor();
    await screenshot(page, '08-sale-detail');
    await page.getByTestId('detail-back').click();
    await page.locator(`[data-testid="log-row"][data-sale-id="${ids.coffee}"]`).click();
    await page.getByTestId('open-receipt').click();
    const receipt = await page.getByTestId('receipt').innerText();
    expect(receipt).toMatch(/My shop/);
    expect(receipt).toMatch(/\$12\.50/);
    expect(receipt).toMatch(/1,?234\.56789/); // Kin: 123,456,789 quarks
    expect(receipt).toContain(preview.core.ledger.getSale(ids.coffee).intentId!);
    await screenshot(page, '09-receipt');
    await page.getByTestId('save-receipt-pdf').click();
    await expect.poll(() => page.getByTestId('receipt-message').innerText()).toMatch(/Save as PDF/);
  });

  it('exports the filtered range to a CSV file', async () => {
    await page.getByTestId('log-from').fill(day(14 * DAY));
    await page.getByTestId('log-apply').click();
    await expect.poll(async () => (await rowIds()).length).toBe(6);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const file = join(dir, 'export.csv');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^counter-sales-\d{4}-\d\d-\d\d\.csv$/);
    const [header, ...rows] = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
    expect(header!.slice(0, 6)).toEqual(['sale_id', 'created_at', 'status', 'mode', 'amount', 'currency']);
    expect(rows.map((r) => Number(r[0]))).toEqual([ids.oldPaid, ids.oldExpired, ids.coffee, ids.croissant, ids.cancelled, ids.late]);
    expect(rows.find((r) => Number(r[0]) === ids.coffee)!.slice(2, 6)).toEqual(['paid', 'live', '12.50', 'USD']);
    await expect.poll(() => page.getByTestId('export-message').innerText()).toMatch(/Exported 6 sales/);
  });

  it('summarises a chosen day for the end of day', async () => {
    await page.getByTestId('open-end-of-day').click();
    await page.getByTestId('eod-date').fill(day(2 * DAY));
    await expect.poll(() => page.getByTestId('eod-summary').innerText()).toMatch(/Sales\s+4\b/);
    const sheet = await page.getByTestId('eod-summary').innerText();
    expect(sheet).toMatch(/Paid\s+3\b[\s\S]*Cancelled\s+1\b/);
    expect(sheet).toMatch(/First sale\s+\d\d:\d\d:\d\d[\s\S]*Last sale\s+\d\d:\d\d:\d\d/);
    // USD rung up 12.50 + 3.00 + 8.75, of which 12.50 + 8.75 paid; EUR 5.00 paid.
    expect(sheet).toMatch(/USD\s+3\s+\$3\.00\s+2\s+\$21\.25/);
    expect(sheet).toMatch(/EUR\s+1\s+€0\.00\s+1\s+€5\.00/);
    await screenshot(page, '10-end-of-day');
  });
});
