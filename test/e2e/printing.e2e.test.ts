import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Preview } from '../../electron/preview/start-preview';
import type { PrinterSettings } from '../../electron/shared/contract';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import { launchChromium, screenshot } from '../support/browser';
import { startStandInPrinter, type DecodedJob, type StandInPrinter } from '../support/escpos-printer';
import { createOwnerInSettings, openApp, openShiftInUi, payEveryCodePayment, startSandboxPreview, tillCall, typeAmount } from './e2e-preview';

// The receipt printer end to end: the till in real Chromium through the
// browser preview, the main process's print queue, and the stand-in receipt
// printer (a real TCP server on loopback that decodes the ESC/POS it gets).
// Each step waits for the word of the printer or of the ledger; a job
// counted "exactly once" is counted once the queue has nothing left to send.

let browser: Browser;
let preview: Preview;
let page: Page;
let printer: StandInPrinter;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  printer = await startStandInPrinter();
  preview = await startSandboxPreview();
  page = await openApp(browser, preview);
});
afterEach(async () => {
  await page?.context().close();
  await preview?.close();
  await printer?.close();
});

const text = (testId: string) => page.getByTestId(testId).innerText();
const lastSale = () => preview.core.reports.listSales({ mode: 'all' }).sales[0]!;
/** The queue has sent (or failed) everything it was given: what the stand-in holds now is all it will get. */
const queueSettled = async () =>
  expect.poll(async () => (await tillCall(preview, 'printJobs', { limit: 100 })).every((j) => j.state === 'printed' || j.state === 'failed'), { timeout: 15_000 }).toBe(true);
const printedJobs = async () => (await tillCall(preview, 'printJobs', { limit: 100 })).filter((j) => j.state === 'printed');
const kicks = (jobs: DecodedJob[]) => jobs.filter((j) => j.commands.some((c) => c.name === 'drawer-kick'));

/** The stand-in as the shop's network printer, set straight through the API (the settings screen is driven in the first test). */
async function usePrinter(p: Partial<PrinterSettings>): Promise<void> {
  await preview.core.updateSettings({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: printer.host, port: printer.port, ...p } });
  await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);
}

/** Scrolls the screen so `section` starts at its top (a tall section is shown from its beginning). */
async function showFromTop(section: Locator): Promise<void> {
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

/** Rings up `amount` and takes it all in cash: PAID. */
async function cashSale(amount: string): Promise<void> {
  await typeAmount(page, amount);
  await page.keyboard.press('Enter');
  await page.getByTestId('open-cash').click();
  await page.getByTestId('cash-tendered').fill(amount);
  await page.getByTestId('take-cash').click();
  await page.getByTestId('paid').waitFor({ timeout: 10_000 });
}

describe('the receipt printer in Chromium', () => {
  it('is set up in Settings, prints a test receipt, and prints a paid sandbox sale’s receipt by itself, once', async () => {
    // Settings are the owner's: created first on the Settings screen; then a sale needs an open shift.
    await createOwnerInSettings(page);
    await page.getByTestId('settings-shop-name').fill('Corner Café');
    await page.getByTestId('settings-printer-kind').selectOption('network');
    await page.getByTestId('settings-printer-host').fill(printer.host);
    // A port that is no port is refused before anything is sent.
    await page.getByTestId('settings-printer-port').fill('91OO');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => text('field-error-printerAddress')).toMatch(/whole number from 1 to 65535/);
    expect(preview.core.settings.get().printer.kind).toBe('none');
    await page.getByTestId('settings-printer-port').fill(String(printer.port));
    expect(await page.getByTestId('field-error-printerAddress').isHidden()).toBe(true);
    await page.getByTestId('settings-printer-auto').check();
    await page.getByTestId('settings-printer-footer').fill('Thank you!\nSee you soon');
    // The test receipt prints with the saved printer: not before the save.
    expect(await page.getByTestId('settings-printer-test').isDisabled()).toBe(true);
    expect(await text('settings-printer-test-message')).toMatch(/Save first/);
    await showFromTop(page.getByTestId('settings-printer'));
    await screenshot(page, 'printing-01-settings');

    await page.getByTestId('settings-save').click();
    await expect.poll(() => text('settings-message')).toBe('Settings saved.');
    expect(preview.core.settings.get().printer).toMatchObject({ kind: 'network', host: '127.0.0.1', port: printer.port, autoPrint: true, footer: ['Thank you!', 'See you soon'] });
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);

    await page.getByTestId('settings-printer-test').click();
    await expect.poll(() => text('settings-printer-test-message'), { timeout: 10_000 }).toBe('Test receipt printed.');
    const [test] = await printer.waitForJobs(1);
    expect(test!.text).toMatch(/Corner Café/);
    expect(test!.text).toMatch(/Test receipt/);
    expect(test!.commands.map((c) => c.name)).toContain('cut');
    await page.getByTestId('settings-printer-test').scrollIntoViewIfNeeded();
    await screenshot(page, 'printing-01b-settings-test-printed');

    // A sandbox sale paid with Code: its receipt comes out by itself.
    await openShiftInUi(page);
    await typeAmount(page, '0.75');
    await page.keyboard.press('Enter');
    expect(await payEveryCodePayment(page)).toBe(1);
    const saleId = lastSale().id;
    const jobs = await printer.waitForJobs(2, 15_000);
    const receipt = jobs[1]!;
    expect(receipt.text).toMatch(/Corner Café/);
    expect(receipt.text).toMatch(/\$0\.75/);
    expect(receipt.text).toMatch(/Paid with Code/);
    expect(receipt.text).toMatch(/SANDBOX/);
    expect(receipt.text).toMatch(new RegExp(`#${saleId}\\b`));
    expect(receipt.text).toMatch(/See you soon/);
    expect(kicks(jobs)).toEqual([]);
    // PAID says so, and offers the receipt again.
    await expect.poll(() => text('paid-print-receipt-message'), { timeout: 10_000 }).toBe('Receipt printed.');
    expect(await text('paid-print-receipt')).toBe('Print again');
    await screenshot(page, 'printing-04-paid-printed');
    // Exactly once: nothing else is left to send, and the stand-in got the test and this one.
    await queueSettled();
    expect(printer.jobs).toHaveLength(2);
    expect((await printedJobs()).filter((j) => j.kind === 'receipt' && j.saleId === saleId)).toHaveLength(1);
  });

  it('kicks the drawer for cash, opens it for No sale, and the end of day counts both and prints', async () => {
    await usePrinter({ autoPrint: false, drawerOnCash: true });

    // The idle till offers No sale.
    await page.getByTestId('open-drawer').click();
    await expect.poll(() => text('open-drawer-message'), { timeout: 10_000 }).toBe('Drawer opened.');
    const [noSale] = await printer.waitForJobs(1);
    expect(noSale!.commands.map((c) => c.name)).toContain('drawer-kick');
    // A bare kick: nothing printed, no paper cut.
    expect(noSale!.lines.filter((l) => l.trim() !== '')).toEqual([]);
    expect(noSale!.commands.map((c) => c.name)).not.toContain('cut');
    await screenshot(page, 'printing-03-no-sale');

    await cashSale('3');
    const jobs = await printer.waitForJobs(2, 10_000);
    expect(kicks(jobs)).toHaveLength(2);
    // Auto-print is off: PAID offers the receipt, and prints it when asked.
    expect(await text('paid-print-receipt')).toBe('Print receipt');
    await page.getByTestId('paid-print-receipt').click();
    await expect.poll(() => text('paid-print-receipt-message'), { timeout: 10_000 }).toBe('Receipt printed.');
    await screenshot(page, 'printing-07-paid-cash-printed');
    const [, , receipt] = await printer.waitForJobs(3);
    expect(receipt!.text).toMatch(/Cash/);
    expect(receipt!.text).toMatch(/\$3\.00/);
    await page.getByTestId('next-sale').click();
    // No sale is for the idle till only.
    await typeAmount(page, '1');
    await page.keyboard.press('Enter');
    await page.getByTestId('cancel-sale').waitFor();
    expect(await page.getByTestId('open-drawer').count()).toBe(0);
    await page.getByTestId('cancel-sale').click();
    await page.getByTestId('next-sale').click();

    await page.getByTestId('sales-log-tab').click();
    await page.getByTestId('open-end-of-day').click();
    await page.getByTestId('eod-mode').selectOption('sandbox');
    await expect.poll(() => text('eod-summary')).toMatch(/Drawer opened for cash\s+1\b/);
    expect(await text('eod-summary')).toMatch(/No sale \(drawer\)\s+1\b/);
    await page.getByTestId('eod-print-printer').click();
    await expect.poll(() => text('eod-print-printer-message'), { timeout: 10_000 }).toBe('End-of-day report printed.');
    await screenshot(page, 'printing-06-end-of-day');
    const [, , , report] = await printer.waitForJobs(4);
    expect(report!.text).toMatch(/SANDBOX/);
    await queueSettled();
    expect(printer.jobs).toHaveLength(4);
  });

  it('a printer that refuses: the sale stays paid, the till and the log show the fault with Retry, and Retry prints once', async () => {
    await usePrinter({ autoPrint: false, drawerOnCash: false, header: ['12 Main Street'], footer: ['Thank you!', 'Open 8–6'] });
    await cashSale('2.5');
    const sale = lastSale();
    await page.getByTestId('next-sale').click();

    await printer.setMode('refuse');
    await page.getByTestId('sales-log-tab').click();
    await page.locator(`[data-testid="log-row"][data-sale-id="${sale.id}"]`).click();
    await page.getByTestId('sale-detail').waitFor();
    await page.getByTestId('detail-print-printer').click();
    await expect.poll(() => text('detail-print-printer-message'), { timeout: 10_000 }).toMatch(/^Receipt not printed: .*127\.0\.0\.1/);
    expect(await page.getByTestId('detail-print-printer-retry').isVisible()).toBe(true);
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+error/);
    await screenshot(page, 'printing-05-log-print-error');

    // The till says it too, at once, and the sale is as it was.
    await page.getByTestId('till-tab').click();
    const fault = page.getByTestId('printer-fault');
    await fault.waitFor();
    expect(await fault.innerText()).toMatch(new RegExp(`Receipt not printed:[\\s\\S]*Sale #${sale.id}, customer copy`));
    expect(await page.getByTestId('printer-retry').isEnabled()).toBe(true);
    expect(await page.getByTestId('charge').isVisible()).toBe(true);
    expect(lastSale()).toMatchObject({ id: sale.id, status: 'paid', paidAmount: 250, updatedAt: sale.updatedAt });
    await screenshot(page, 'printing-02-till-error-retry');
    expect(printer.jobs).toHaveLength(0);

    await printer.setMode('ok');
    await page.getByTestId('printer-retry').click();
    await fault.waitFor({ state: 'detached', timeout: 10_000 });
    const [reprinted] = await printer.waitForJobs(1);
    expect(reprinted!.text).toMatch(/\$2\.50/);
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);
    // The log's own line follows the same job.
    await page.getByTestId('sales-log-tab').click();
    await expect.poll(() => text('detail-print-printer-message')).toBe('Receipt printed.');
    await queueSettled();
    expect(printer.jobs).toHaveLength(1);
    expect((await tillCall(preview, 'printJobs', { limit: 100 })).map((j) => [j.kind, j.state, j.attempts])).toEqual([['receipt', 'printed', 2]]);

    // The receipt screen prints on the receipt printer too: a new job, printed once.
    await page.getByTestId('open-receipt').click();
    await page.getByTestId('receipt').waitFor();
    // The receipt on screen says what the printed one says: the owner's header and footer lines.
    await expect.poll(() => page.getByTestId('receipt-header-line').allInnerTexts()).toEqual(['12 Main Street']);
    expect(await page.getByTestId('receipt-footer-line').allInnerTexts()).toEqual(['Thank you!', 'Open 8–6']);
    expect(reprinted!.lines).toEqual(expect.arrayContaining([expect.stringMatching(/12 Main Street/), expect.stringMatching(/Open 8-6|Open 8–6/)]));
    await page.getByTestId('receipt-print-printer').click();
    await expect.poll(() => text('receipt-print-printer-message'), { timeout: 10_000 }).toBe('Receipt printed.');
    await screenshot(page, 'printing-08-receipt-screen');
    await printer.waitForJobs(2);
    await queueSettled();
    expect(printer.jobs).toHaveLength(2);
  });
});
