import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import { createSyncWorker } from '../../electron/core/sync/sync-worker';
import type { CurrencyTotals, SalesFilter } from '../../electron/shared/contract';
import { formatMoney } from '../../electron/shared/domain/money';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { screenshot, scrollToTop } from '../support/browser';
import { prng } from '../support/prng';
import { waitFor } from '../support/sync-fixture';
import { openTill, sellOne } from '../support/sync-sales';
import { tempDir } from '../support/temp-dir';
import { usePostgres } from '../support/use-postgres';
import { cashSaleInUi, openShiftInUi, startSandboxPreview, tillCall, useSandboxTill } from './e2e-preview';
import { tillLabel } from '../../electron/shared/domain/shop-view';

// The owner's shop view (issue 16) in real Chromium against a real
// PostgreSQL: two other tills' ledgers push their sales to a fresh shop
// database, the preview's till syncs there too, and the sales log shows the
// whole shop, one till, and the shop's end of day, each figure checked
// against the tills' own ledgers. A manager gets no choice; with the server
// away the shop scope says so and This till keeps working.

const SHOP = 'Corner Café';
const postgres = usePostgres();

interface OtherTill {
  ledger: Ledger;
  id: string;
  /** Its name in Settings ('' for none: labelled by its id). */
  name: string;
}

let shopUrl = '';
let others: OtherTill[] = [];

/** Another till of the shop: its own ledger in a temp folder, `sales` sales of every shape, all pushed to the shop database. */
async function otherTill(url: string, timeZone: string, seed: number, sales: number, name = ''): Promise<OtherTill> {
  const ledger = createLedger({ dir: tempDir('counter-e2e-other-till-'), timeZone });
  const till = openTill(ledger, prng(seed));
  for (let i = 0; i < sales; i++) sellOne(till);
  const worker = createSyncWorker({
    outbox: ledger.outbox,
    connect: () => connectShopDatabase({ url, connectTimeoutMs: 5_000 }),
    shopName: () => SHOP,
    tillName: () => name,
    timing: { idleMs: 10, backoff: { baseMs: 20, capMs: 200 } },
  });
  worker.start();
  try {
    await waitFor('the other till synced', () => worker.status().state === 'synced' && ledger.outbox.waiting() === 0, 30_000);
  } finally {
    await worker.stop();
  }
  return { ledger, id: ledger.outbox.tillId(), name };
}

const till = useSandboxTill({
  owner: true,
  // Before the page opens: the shop database with two other tills' sales in it, and this till set to sync there.
  startPreview: async () => {
    shopUrl = await postgres().database();
    const preview = await startSandboxPreview();
    const timeZone = preview.core.ledger.timeZone;
    others = [await otherTill(shopUrl, timeZone, 11, 7, 'Patio bar'), await otherTill(shopUrl, timeZone, 29, 5)];
    const u = new URL(shopUrl);
    const password = decodeURIComponent(u.password);
    u.password = '';
    await preview.core.updateSettings({ shopName: SHOP, shopDatabase: { url: u.toString(), password } });
    return preview;
  },
});

afterEach(() => {
  for (const other of others) other.ledger.close();
  others = [];
});

const page = (): Page => till.page;
const text = (testId: string) => page().getByTestId(testId).innerText();
/** A radio of the "Sales of" choice is drawn as its label: click that. */
const chooseScope = (testId: string) => page().locator(`label:has([data-testid="${testId}"])`).click();
const rows = () => page().getByTestId('log-row');
const rowTills = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-till-id')));

/** The status bar says synced and the till's outbox is empty: every sale of this till is in the shop database. */
async function thisTillSynced(): Promise<void> {
  await expect
    .poll(async () => (await page().getByTestId('status-sync').getAttribute('data-state')) === 'synced' && till.preview.core.ledger.outbox.waiting() === 0, { timeout: 30_000 })
    .toBe(true);
}

/** The sales log, every mode (the other tills sell live, this sandbox till sells sandbox), on the scope given. */
async function openLogOfAllModes(): Promise<SalesFilter> {
  await page().getByTestId('sales-log-tab').click();
  await page().getByTestId('log-scope').waitFor();
  await page().getByTestId('log-mode').selectOption('all');
  await page().getByTestId('log-apply').click();
  return { mode: 'all', from: await page().getByTestId('log-from').inputValue(), to: await page().getByTestId('log-to').inputValue() };
}

/** Totals added up across ledgers, currency by currency, every count and amount (nested ones too). */
function addTotals(lists: CurrencyTotals[][]): CurrencyTotals[] {
  const add = (a: unknown, b: unknown): unknown => {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      return Object.fromEntries(Object.keys({ ...a, ...b }).map((k) => [k, add((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])]));
    }
    return a ?? b;
  };
  const byCurrency = new Map<string, CurrencyTotals>();
  for (const t of lists.flat()) {
    const had = byCurrency.get(t.currency);
    byCurrency.set(t.currency, had ? (add(had, t) as CurrencyTotals) : t);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

const byCurrency = (totals: CurrencyTotals[]) => [...totals].sort((a, b) => a.currency.localeCompare(b.currency));

/** What the totals panel shows for a currency: what was taken, and how many sales. */
async function shownTotals(scope: string, currency: string): Promise<{ taken: string; counts: string }> {
  const card = page().locator(`${scope} [data-testid="currency-totals"][data-currency="${currency}"]`);
  return { taken: await card.locator('[data-total="paid"] strong').innerText(), counts: (await card.locator('[data-total="paid-count"]').innerText()).replace(/\s+/g, ' ') };
}

const countsText = (t: CurrencyTotals) => `${t.paidCount} paid ${t.paidCount === 1 ? 'sale' : 'sales'}, of ${t.count} rung up`;

describe('the owner’s shop view in Chromium', () => {
  it('shows the whole shop, one till and the shop’s end of day from PostgreSQL, matching each till’s own ledger', { timeout: 180_000 }, async () => {
    await openShiftInUi(page());
    await cashSaleInUi(page(), '3');
    await cashSaleInUi(page(), '4');
    await thisTillSynced();

    const filter = await openLogOfAllModes();
    const ledgers = [till.preview.core.ledger, ...others.map((o) => o.ledger)];
    const thisTillId = till.preview.core.ledger.outbox.tillId();
    // This till, from its own ledger, as before: its two sales.
    expect(await page().getByTestId('log-scope-this-till').isChecked()).toBe(true);
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rowTills()).toEqual([null, null]);

    // Whole shop, chosen from the keyboard: the radios move with the arrow keys.
    await page().getByTestId('log-scope-this-till').focus();
    await page().keyboard.press('ArrowRight');
    expect(await page().getByTestId('log-scope-shop').isChecked()).toBe(true);
    const counts = ledgers.map((l) => l.queries.rangeTotals(filter).reduce((n, t) => n + t.count, 0));
    const everySale = counts.reduce((a, b) => a + b, 0);
    expect(counts[0]).toBe(2);
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(everySale);
    await expect.poll(() => text('log-shown')).toMatch(new RegExp(`^${everySale} of ${everySale} shown`));
    // Each row says its till; each till's rows are as many as its ledger holds.
    const tillsOfRows = await rowTills();
    const tillIds = [thisTillId, ...others.map((o) => o.id)];
    expect(tillIds.map((id) => tillsOfRows.filter((t) => t === id).length)).toEqual(counts);
    // A named till by its name, the others by the start of their id.
    const names = ['', ...others.map((o) => o.name)];
    expect(names).toContain('Patio bar');
    for (const [i, id] of tillIds.entries()) {
      const row = rows().and(page().locator(`[data-till-id="${id}"]`)).first();
      const tillCell = row.getByTestId('log-row-till');
      const label = tillLabel(SHOP, names[i]!, id);
      expect(label).toBe(names[i] ? `${SHOP} · ${names[i]}` : `${SHOP} · ${id.slice(0, 8)}`);
      expect(await tillCell.getAttribute('title')).toBe(label);
      expect((await tillCell.locator('.log-till-name').innerText()) + (await tillCell.locator('.log-till-id').innerText())).toBe(label);
      expect(await row.locator('.log-sale-line').innerText()).toMatch(i === 0 ? /^#\d+\s+this till$/ : /^#\d+$/);
    }
    // The totals are the three ledgers' own, added up.
    const shopTotals = addTotals(ledgers.map((l) => l.queries.rangeTotals(filter)));
    expect(byCurrency(await tillCall(till.preview, 'shopTotals', { filter, tillId: null }))).toEqual(shopTotals);
    for (const t of shopTotals) {
      await expect.poll(() => shownTotals('[data-testid="log-totals"]', t.currency)).toEqual({ taken: formatMoney(t.paidAmount, t.currency), counts: countsText(t) });
    }
    // The CSV stays this till's: not offered here, and it says why.
    expect(await page().getByTestId('export-csv').isDisabled()).toBe(true);
    expect(await text('export-csv-note')).toBe('Exports this till’s sales only: choose This till.');
    await page().getByTestId('log-chart').locator('canvas').first().waitFor();
    await scrollToTop(page());
    await screenshot(page(), 'shop-view-01-whole-shop');
    // The list itself: every row names its till ("#12 · Corner Café · 3f2a9c1d"), this till's marked.
    await page().locator('#log-list-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page(), 'shop-view-01b-whole-shop-list');
    // A 1024px window: columns step aside, the list never scrolls sideways, the till's label stays.
    await page().setViewportSize({ width: 1024, height: 768 });
    await page().locator('#log-list-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    expect(await page().locator('.log-rows').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page().getByTestId('log-row-till').first().isVisible()).toBe(true);
    await screenshot(page(), 'shop-view-01c-whole-shop-list-1024');
    await page().setViewportSize({ width: 1366, height: 768 });

    // Another till's sale opens read only, from the shop database: its tenders, and where its reprints, refunds and voids are made.
    const elsewhere = rows().and(page().locator(`[data-till-id="${others[0]!.id}"][data-status="paid"]`)).first();
    const elsewhereId = Number(await elsewhere.getAttribute('data-sale-id'));
    const otherLabel = (await elsewhere.getByTestId('log-row-till').getAttribute('title'))!;
    expect(await elsewhere.getAttribute('title')).toBeNull();
    await elsewhere.press('Enter');
    const detail = page().getByTestId('sale-detail');
    await detail.getByTestId('sale-facts').waitFor();
    expect(await detail.getAttribute('data-till-id')).toBe(others[0]!.id);
    expect(await page().locator('#sales-log-title').innerText()).toBe(`Sale #${elsewhereId} · ${otherLabel}`);
    expect(await text('detail-other-till')).toBe(`Rung up on ${otherLabel}: reprints, refunds and voids are made on that till.`);
    const tenders = await detail.getByTestId('detail-tender').evaluateAll((els) => els.map((el) => [Number(el.getAttribute('data-tender-id')), el.getAttribute('data-kind')]));
    expect(tenders).toEqual(others[0]!.ledger.getSale(elsewhereId).tenders.map((t) => [t.id, t.kind]));
    for (const action of ['open-receipt', 'detail-print-printer', 'refund-sale', 'void-sale']) expect(await detail.getByTestId(action).count(), action).toBe(0);
    await scrollToTop(page());
    await screenshot(page(), 'shop-view-05-other-till-sale');
    await page().getByTestId('detail-back').click();
    await expect.poll(() => page().locator(':focus').getAttribute('data-row-key')).toBe(`${others[0]!.id}/${elsewhereId}`);
    // This till's opens as before, from its own ledger.
    const mine = rows().and(page().locator(`[data-till-id="${thisTillId}"]`)).first();
    const mineId = Number(await mine.getAttribute('data-sale-id'));
    await mine.click();
    await page().getByTestId('sale-detail').waitFor();
    expect(await page().locator('#sales-log-title').innerText()).toBe(`Sale #${mineId}`);
    await page().getByTestId('detail-back').click();
    await expect.poll(() => page().locator(':focus').getAttribute('data-row-key')).toBe(`${thisTillId}/${mineId}`);

    // One till: only its sales, and its own ledger's totals.
    const one = others[0]!;
    await chooseScope(`log-scope-till-${one.id}`);
    await expect.poll(async () => [...new Set(await rowTills())]).toEqual([one.id]);
    await expect.poll(() => rows().count()).toBe(counts[1]);
    const oneTotals = byCurrency(one.ledger.queries.rangeTotals(filter));
    expect(byCurrency(await tillCall(till.preview, 'shopTotals', { filter, tillId: one.id }))).toEqual(oneTotals);
    for (const t of oneTotals) {
      await expect.poll(() => shownTotals('[data-testid="log-totals"]', t.currency)).toEqual({ taken: formatMoney(t.paidAmount, t.currency), counts: countsText(t) });
    }
    // The list heading says whose they are; the chosen till is marked in the choice.
    expect(await page().getByTestId(`log-scope-till-${one.id}`).isChecked()).toBe(true);
    await scrollToTop(page());
    await screenshot(page(), 'shop-view-02-one-till');

    // The shop's end of day: every till's day, from the shop database.
    await chooseScope('log-scope-shop');
    await expect.poll(() => rows().count()).toBe(everySale);
    await page().getByTestId('open-end-of-day').click();
    await page().getByTestId('eod-summary').waitFor();
    expect(await page().locator('#sales-log-title').innerText()).toBe('End of day · Whole shop');
    expect(await text('eod-scope')).toBe('Whole shop · from the shop database');
    expect(await page().getByTestId('eod-mode').inputValue()).toBe('all');
    const today = localDateOf(Date.now(), till.preview.core.ledger.timeZone);
    const days = ledgers.map((l) => l.queries.daySummary(today, 'all'));
    const dayCount = days.reduce((n, d) => n + d.count, 0);
    await expect.poll(() => page().locator('[data-figure="count"] .eod-figure-value').innerText()).toBe(String(dayCount));
    for (const status of ['paid', 'cancelled'] as const) {
      const expected = days.reduce((n, d) => n + d.byStatus[status], 0);
      expect(await page().locator(`[data-figure="status-${status}"] .eod-figure-value`).innerText()).toBe(String(expected));
    }
    for (const t of addTotals(days.map((d) => d.totals))) {
      expect(await shownTotals('[data-testid="eod-summary"]', t.currency)).toEqual({ taken: formatMoney(t.paidAmount, t.currency), counts: countsText(t) });
    }
    await scrollToTop(page());
    await screenshot(page(), 'shop-view-03-end-of-day');
    await page().getByTestId('eod-back').click();

    // Back to This till: the ledger's two sales, and the CSV offered again.
    await chooseScope('log-scope-this-till');
    await expect.poll(async () => (await rowTills()).length === 2 && (await rowTills()).every((t) => t === null)).toBe(true);
    expect(await page().getByTestId('export-csv').isDisabled()).toBe(false);
    expect(await page().getByTestId('export-csv-note').count()).toBe(0);
  });

  it('with the shop database away the shop scope shows the error and This till keeps working; a manager gets no choice', { timeout: 180_000 }, async () => {
    await openShiftInUi(page());
    await cashSaleInUi(page(), '5');
    await thisTillSynced();
    await openLogOfAllModes();
    await chooseScope('log-scope-shop');
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBeGreaterThan(1);

    if (postgres().embedded) {
      await postgres().down();
      try {
        await page().getByTestId('log-apply').click();
        const error = page().getByTestId('log-error');
        await expect.poll(() => error.isVisible(), { timeout: 30_000 }).toBe(true);
        expect(await error.innerText()).toMatch(/\S/);
        expect(await page().getByTestId('log-totals').innerText()).toMatch(/Not available\./);
        expect(await page().locator('.log-chart-panel').innerText()).toMatch(/Not available\./);
        expect(await rows().count()).toBe(0);
        await scrollToTop(page());
        await screenshot(page(), 'shop-view-04-error');

        // This till reads its own ledger: its sale, and the error gone.
        await chooseScope('log-scope-this-till');
        await expect.poll(() => rows().count()).toBe(1);
        expect(await page().getByTestId('log-error').isVisible()).toBe(false);
        expect(await rowTills()).toEqual([null]);
      } finally {
        await postgres().up();
      }
    }

    // A manager: the log as before, with no choice of tills.
    await page().getByTestId('settings-tab').click();
    await page().getByTestId('add-person').click();
    const dialog = page().getByTestId('add-person-dialog');
    await dialog.getByTestId('person-name').fill('Ben');
    await dialog.getByTestId('person-role').selectOption('manager');
    await dialog.getByTestId('person-pin').fill('4826');
    await dialog.getByTestId('person-pin-again').fill('4826');
    await dialog.getByTestId('add-person-save').click();
    await expect.poll(() => text('people-note')).toBe('Ben added as manager.');
    await page().getByTestId('lock-till').click();
    const lock = page().getByTestId('lock-screen');
    await lock.waitFor();
    await lock.getByTestId('sign-in-person').filter({ has: page().getByText('Ben', { exact: true }) }).click();
    await page().keyboard.type('4826');
    await page().keyboard.press('Enter');
    await expect
      .poll(async () => (await page().getByTestId('sign-in-notices').isVisible().catch(() => false)) || (await lock.count()) === 0, { timeout: 15_000 })
      .toBe(true);
    if (await page().getByTestId('sign-in-notices').isVisible().catch(() => false)) await page().getByTestId('notices-ack').click();
    await lock.waitFor({ state: 'detached' });
    await page().getByTestId('sales-log-tab').click();
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    expect(await page().getByTestId('log-scope').count()).toBe(0);
    expect((await rowTills()).every((t) => t === null)).toBe(true);
  });
});
