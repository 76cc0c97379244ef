import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { startPreview } from '../../electron/preview/start-preview';
import { tempDir } from '../support/temp-dir';
import { laptopPage, screenshot, scrollToTop } from '../support/browser';
import { createOwnerInSettings, RENDERER_DIR, useSandboxTill } from './e2e-preview';
import { DAY, seedHistory, type SeededSales } from './seed-history';

// The owner's half in real Chromium through the preview: filter a range,
// open a sale and its receipt, export CSV, the end-of-day summary.

let ids: SeededSales;
let dir: string;

const till = useSandboxTill({
  // The seeded history in a fresh data directory, without the fast sandbox or the tunnel stand-in.
  startPreview: () => {
    dir = tempDir('counter-e2e-log-');
    ids = seedHistory(dir);
    return startPreview({ dataDir: dir, rendererDir: RENDERER_DIR, tunnel: { binary: { envPath: '' } } });
  },
  // Straight to the sales log, showing live sales.
  openPage: async (browser, preview) => {
    const page = await laptopPage(browser);
    await page.goto(preview.url);
    await page.getByTestId('sales-log-tab').click();
    // A fresh install is in sandbox mode, so the log opens on sandbox sales: none yet.
    await page.getByTestId('log-empty').waitFor();
    await page.getByTestId('log-show-live').click();
    await page.getByTestId('log-row').first().waitFor();
    return page;
  },
});

const rowIds = async () => (await till.page.getByTestId('log-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sale-id')))));
const day = (msAgo: number) => localDateOf(Date.now() - msAgo, till.preview.core.ledger.timeZone);

describe('the sales log in Chromium', () => {
  it('filters a date range and a status, newest first, with totals per currency', async () => {
    // The default range is the last 7 days.
    const recent = [ids.partly, ids.card, ids.mixed, ids.late, ids.cancelled, ids.croissant, ids.coffee];
    await expect.poll(rowIds).toEqual(recent);
    await till.page.getByTestId('log-from').fill(day(14 * DAY));
    await till.page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([...recent, ids.oldExpired, ids.oldPaid]);
    // Each row says what the sale was paid with.
    const tenders = async (id: number) => till.page.locator(`[data-testid="log-row"][data-sale-id="${id}"] .log-cell--tenders`).innerText();
    expect([await tenders(ids.coffee), await tenders(ids.mixed), await tenders(ids.card), await tenders(ids.partly), await tenders(ids.cancelled)]).toEqual([
      'Code',
      'Code + Cash',
      'Card',
      'Code',
      '—',
    ]);
    expect(await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.partly}"]`).innerText()).toMatch(/Partly paid/);
    await till.page.getByTestId('log-chart').locator('canvas').first().waitFor();
    await scrollToTop(till.page);
    await screenshot(till.page, 'log-01-sales-log');
    for (const status of ['pending', 'cancelled', 'expired']) await till.page.getByTestId(`log-status-${status}`).uncheck();
    await till.page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.partly, ids.card, ids.mixed, ids.late, ids.croissant, ids.coffee, ids.oldPaid]);
    await till.page.getByTestId('log-status-paid').uncheck();
    await till.page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.partly]);
    await till.page.getByTestId('log-status-paid').check();
    await till.page.getByTestId('log-search').fill('12.50');
    await till.page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.coffee]);
  });

  it('leads the totals with what was taken; what was rung up but not paid is a figure of its own', async () => {
    await till.page.getByTestId('log-from').fill(day(14 * DAY));
    await till.page.getByTestId('log-apply').click();
    await expect.poll(async () => (await rowIds()).length).toBe(9);
    const usd = till.page.locator('[data-testid="log-totals"] [data-currency="usd"]');
    // 12.50 + 8.75 + 9.99 by Code, 2.50 (1.00 Code, 1.50 cash), 4.00 by card, and the 1.00 Code payment of the partly paid sale.
    await expect.poll(() => usd.innerText()).toMatch(/^Taken\s+USD\s+\$38\.74/);
    const text = await usd.innerText();
    expect(text).toMatch(/5 paid sales, of 8 rung up/);
    expect(text).toMatch(/1 paid late/);
    expect(text).toMatch(/Code \$33\.24 · Cash \$1\.50 · Other \$4\.00/);
    expect(text).toMatch(/Change given: \$3\.50/);
    // Still owed: 2.00 of the partly paid sale, 3.00 cancelled, 1.00 expired.
    expect(text).toMatch(/Rung up, not paid:\s+\$6\.00 · 1 partly paid · 1 cancelled · 1 expired/);
    expect(text).not.toMatch(/gross/i);
    const eur = await till.page.locator('[data-testid="log-totals"] [data-currency="eur"]').innerText();
    expect(eur).toMatch(/^Taken\s+EUR\s+€5\.00[\s\S]*Rung up, not paid:\s+none/);
  });

  it('finds a sale by its number ("#N"), and shows the main process’s words for a search it refuses', async () => {
    await till.page.getByTestId('log-from').fill(day(14 * DAY));
    expect(await till.page.getByTestId('log-search').getAttribute('placeholder')).toMatch(/#52/);
    expect(await till.page.getByTestId('log-search').getAttribute('title')).toMatch(/sale number \(#52\), an amount \(12\.50\) or the start of an intent id/);
    await till.page.getByTestId('log-search').fill(`#${ids.cancelled}`);
    await till.page.getByTestId('log-apply').click();
    await expect.poll(rowIds).toEqual([ids.cancelled]);
    // A bare number is the sale of that number or an amount of that many dollars.
    await till.page.getByTestId('log-search').fill(String(ids.oldPaid));
    await till.page.getByTestId('log-apply').click();
    await expect.poll(async () => (await rowIds()).includes(ids.oldPaid)).toBe(true);
    await till.page.getByTestId('log-search').fill('what?');
    await till.page.getByTestId('log-apply').click();
    await expect.poll(() => till.page.getByTestId('log-error').innerText()).toMatch(/search for a sale number \(#52\)/);
  });

  it('opens a sale with its event timeline', async () => {
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.late}"]`).click();
    const detail = till.page.getByTestId('sale-detail');
    await detail.waitFor();
    await expect.poll(() => till.page.getByTestId('sale-event').count()).toBeGreaterThanOrEqual(2);
    expect(await till.page.getByTestId('sale-events').innerText()).toMatch(/cancel[\s\S]*webhook/i);
    await till.page.getByTestId('detail-paid-late').waitFor();
    expect(await till.page.getByTestId('detail-tender').innerText()).toMatch(/Code payment\s+\$8\.75\s+Paid late[\s\S]*Kin amount\s+1,?234\.56789 Kin/);
    await screenshot(till.page, 'log-02-sale-detail');
  });

  it('opens a sale paid by Code and cash with each tender, and a partly paid one with what it still owes', async () => {
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.mixed}"]`).click();
    await expect.poll(() => till.page.getByTestId('detail-tender').count()).toBe(2);
    const [code, cash] = await till.page.getByTestId('detail-tender').allInnerTexts();
    expect(code).toMatch(/Code payment\s+\$1\.00\s+Paid[\s\S]*Intent id\s+\w{20,}[\s\S]*Exchange rate\s+1 Kin = 0\.0000101 USD/);
    expect(cash).toMatch(/Cash\s+\$1\.50\s+Paid[\s\S]*Tendered\s+\$5\.00[\s\S]*Change\s+\$3\.50/);
    await screenshot(till.page, 'log-08-sale-detail-tenders');
    await till.page.getByTestId('open-receipt').click();
    const receipt = till.page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await receipt.innerText()).toMatch(/Paid with Code and cash/);
    expect(await till.page.getByTestId('receipt-tenders').innerText()).toMatch(/Code payment\s+\$1\.00\s+Cash\s+\$5\.00\s+Change\s+\$3\.50/);
    await screenshot(till.page, 'log-09-receipt-tenders');

    await till.page.getByTestId('receipt-back').click();
    await till.page.getByTestId('detail-back').click();
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.card}"]`).click();
    await till.page.getByTestId('open-receipt').click();
    await expect.poll(() => till.page.getByTestId('receipt-tenders').innerText()).toMatch(/Card \(other\)\s+\$4\.00/);
    expect(await receipt.innerText()).toMatch(/Paid with Card/);

    await till.page.getByTestId('receipt-back').click();
    await till.page.getByTestId('detail-back').click();
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.partly}"]`).click();
    await expect.poll(() => till.page.locator('[data-fact="taken"]').innerText()).toMatch(/\$1\.00 · still owed \$2\.00/);
    expect(await till.page.locator('[data-fact="status"]').innerText()).toMatch(/Partly paid/);
    await till.page.getByTestId('open-receipt').click();
    await expect.poll(() => till.page.getByTestId('receipt-unpaid').innerText()).toMatch(/NOT PAID · Partly paid/);
    expect(await till.page.getByTestId('receipt-tenders').innerText()).toMatch(/Code payment\s+\$1\.00\s+Still owed\s+\$2\.00/);
  });

  it('prints a receipt in the customer’s words, with the payment details only when Settings asks for them', async () => {
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${ids.coffee}"]`).click();
    await till.page.getByTestId('open-receipt').click();
    const receipt = till.page.getByTestId('receipt');
    await receipt.waitFor();
    const plain = await receipt.innerText();
    expect(plain).toMatch(/My shop/);
    expect(plain).toMatch(/\$12\.50/);
    expect(plain).toMatch(/Paid with Code/);
    expect(plain).toMatch(new RegExp(`Sale number\\s+#${ids.coffee}`));
    expect(plain).toMatch(/Date\s+\w+day \d+ \w+ \d{4}|Date\s+\w+day, \w+ \d+, \d{4}/);
    expect(plain).toMatch(/Time\s+\d\d:\d\d:\d\d/);
    expect(plain).not.toMatch(/Kin|Exchange rate|intent/i);
    expect(plain).not.toMatch(/SANDBOX/);
    expect(await till.page.getByTestId('receipt-details').count()).toBe(0);
    await screenshot(till.page, 'log-03-receipt');

    // Settings are the owner's: created first on the Settings screen.
    await createOwnerInSettings(till.page);
    await till.page.getByTestId('settings-receipt-details').check();
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('settings-message').innerText()).toMatch(/saved/i);
    await till.page.getByTestId('sales-log-tab').click();
    const details = till.page.getByTestId('receipt-details');
    await details.waitFor();
    const text = await details.innerText();
    expect(text).toMatch(/1,?234\.56789 Kin/); // 123,456,789 quarks
    expect(text).toMatch(/Exchange rate\s+1 Kin = 0\.0000101 USD/);
    expect(text).toContain(till.preview.core.ledger.getSale(ids.coffee).tenders[0]!.intentId!);
    await screenshot(till.page, 'log-04-receipt-details');
    // Printed, only the receipt is left: no header, banner, status bar, buttons or log behind it.
    await till.page.emulateMedia({ media: 'print' });
    expect(await receipt.isVisible()).toBe(true);
    for (const hidden of ['.app-header', '.status-bar', '.sandbox-banner', '.log-view', '[data-testid="print-receipt"]']) {
      expect(await till.page.locator(hidden).first().isVisible(), hidden).toBe(false);
    }
    await screenshot(till.page, 'log-04b-receipt-print');
    await till.page.emulateMedia({ media: 'screen' });
    await till.page.getByTestId('save-receipt-pdf').click();
    await expect.poll(() => till.page.getByTestId('receipt-message').innerText()).toMatch(/Save as PDF/);
  });

  it('marks a sandbox sale’s receipt SANDBOX', async () => {
    await till.page.getByTestId('till-tab').click();
    // Within Code's US$1.00 maximum: one Code payment.
    for (const key of '0.7') await till.page.keyboard.press(key);
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    const saleId = till.preview.core.reports.listSales({ mode: 'sandbox' }).sales[0]!.id;
    await till.page.getByTestId('next-sale').click();
    await till.page.getByTestId('sales-log-tab').click();
    await till.page.getByTestId('log-mode').selectOption('sandbox');
    await till.page.getByTestId('log-apply').click();
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${saleId}"]`).click();
    await till.page.getByTestId('open-receipt').click();
    await expect.poll(() => till.page.getByTestId('receipt-sandbox').innerText()).toMatch(/SANDBOX\s+test sale, no real money/);
    await screenshot(till.page, 'log-07-receipt-sandbox');
  });

  it('exports the filtered range to a CSV file', async () => {
    await till.page.getByTestId('log-from').fill(day(14 * DAY));
    await till.page.getByTestId('log-apply').click();
    await expect.poll(async () => (await rowIds()).length).toBe(9);
    const [download] = await Promise.all([till.page.waitForEvent('download'), till.page.getByTestId('export-csv').click()]);
    const file = join(dir, 'export.csv');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^counter-sales-\d{4}-\d\d-\d\d\.csv$/);
    const [header, ...rows] = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
    // Read by column name: the export's columns are the main process's to arrange.
    expect(header).toEqual(expect.arrayContaining(['sale_id', 'created_at', 'status', 'mode', 'amount', 'currency']));
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => Number(r[column('sale_id')]))).toEqual([
      ids.oldPaid,
      ids.oldExpired,
      ids.coffee,
      ids.croissant,
      ids.cancelled,
      ids.late,
      ids.mixed,
      ids.card,
      ids.partly,
    ]);
    const coffee = rows.find((r) => Number(r[column('sale_id')]) === ids.coffee)!;
    expect(['status', 'mode', 'amount', 'currency'].map((c) => coffee[column(c)])).toEqual(['paid', 'live', '12.50', 'USD']);
    // The tender columns on the sale's row (README: the CSV's shape).
    const mixed = rows.find((r) => Number(r[column('sale_id')]) === ids.mixed)!;
    expect(['status', 'paid_amount', 'code_amount', 'cash_amount', 'change_given', 'tenders'].map((c) => mixed[column(c)])).toEqual(['paid', '2.50', '1.00', '1.50', '3.50', '2']);
    const partly = rows.find((r) => Number(r[column('sale_id')]) === ids.partly)!;
    expect(['status', 'paid_amount'].map((c) => partly[column(c)])).toEqual(['partly_paid', '1.00']);
    await expect.poll(() => till.page.getByTestId('export-message').innerText()).toMatch(/Exported 9 sales/);
  });

  it('summarises a chosen day for the end of day, leading with what was taken', async () => {
    await till.page.getByTestId('open-end-of-day').click();
    // It opens on the log's mode: live, as the owner chose.
    expect(await till.page.getByTestId('eod-mode').inputValue()).toBe('live');
    await till.page.getByTestId('eod-date').fill(day(2 * DAY));
    await expect.poll(() => till.page.getByTestId('eod-summary').innerText()).toMatch(/Sales rung up\s+7\b/);
    const sheet = await till.page.getByTestId('eod-summary').innerText();
    // USD rung up 12.50 + 3.00 + 8.75 + 2.50 + 4.00 + 3.00; taken 12.50 + 8.75 + 2.50 + 4.00 and 1.00 of the partly paid sale.
    // EUR 5.00 taken. Takings come first, by tender, with the change given back.
    expect(sheet).toMatch(
      /Taken\s+USD\s+\$28\.75\s+4 paid sales, of 6 rung up[\s\S]*Code \$23\.25 · Cash \$1\.50 · Other \$4\.00\s+Change given: \$3\.50[\s\S]*Rung up, not paid:\s+\$5\.00 · 1 partly paid · 1 cancelled/,
    );
    expect(sheet).toMatch(/Taken\s+EUR\s+€5\.00\s+1 paid sale, of 1 rung up[\s\S]*Rung up, not paid:\s+none/);
    expect(sheet.indexOf('Taken')).toBeLessThan(sheet.indexOf('Sales rung up'));
    expect(sheet).toMatch(/Partly paid\s+1\b[\s\S]*Paid\s+5\b[\s\S]*Cancelled\s+1\b/);
    expect(sheet).toMatch(/First sale\s+\d\d:\d\d:\d\d[\s\S]*Last sale\s+\d\d:\d\d:\d\d/);
    expect(sheet).not.toMatch(/gross/i);
    await screenshot(till.page, 'log-05-end-of-day');
  });
});
