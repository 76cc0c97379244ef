import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PrinterSettings } from '../../electron/shared/contract';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import { screenshot } from '../support/browser';
import type { DecodedJob } from '../support/escpos-printer';
import { cashSaleInUi, createOwnerInSettings, openShiftInUi, payEveryCodePayment, tillCall, typeAmount, useSandboxTill } from './e2e-preview';

// The receipt printer end to end: the till in real Chromium through the
// browser preview, the main process's print queue, and the stand-in receipt
// printer (a real TCP server on loopback that decodes the ESC/POS it gets).
// Each step waits for the word of the printer or of the ledger; a job
// counted "exactly once" is counted once the queue has nothing left to send.

const till = useSandboxTill({ printer: true });

const text = (testId: string) => till.page.getByTestId(testId).innerText();
const lastSale = () => till.preview.core.reports.listSales({ mode: 'all' }).sales[0]!;
/** The queue has sent (or failed) everything it was given: what the stand-in holds now is all it will get. */
const queueSettled = async () =>
  expect.poll(async () => (await tillCall(till.preview, 'printJobs', { limit: 100 })).every((j) => j.state === 'printed' || j.state === 'failed'), { timeout: 15_000 }).toBe(true);
const printedJobs = async () => (await tillCall(till.preview, 'printJobs', { limit: 100 })).filter((j) => j.state === 'printed');
const kicks = (jobs: DecodedJob[]) => jobs.filter((j) => j.commands.some((c) => c.name === 'drawer-kick'));

/** The stand-in as the shop's network printer, set straight through the API (the settings screen is driven in the first test). */
async function usePrinter(p: Partial<PrinterSettings>): Promise<void> {
  await till.preview.core.updateSettings({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: till.printer.host, port: till.printer.port, ...p } });
  await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);
}

/** Scrolls the screen so `section` starts at its top (a tall section is shown from its beginning). */
async function showFromTop(section: Locator): Promise<void> {
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

describe('the receipt printer in Chromium', () => {
  it('is set up in Settings, prints a test receipt, and prints a paid sandbox sale’s receipt by itself, once', async () => {
    // Settings are the owner's: created first on the Settings screen; then a sale needs an open shift.
    await createOwnerInSettings(till.page);
    await till.page.getByTestId('settings-shop-name').fill('Corner Café');
    await till.page.getByTestId('settings-printer-kind').selectOption('network');
    await till.page.getByTestId('settings-printer-host').fill(till.printer.host);
    // A port that is no port is refused before anything is sent.
    await till.page.getByTestId('settings-printer-port').fill('91OO');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => text('field-error-printerAddress')).toMatch(/whole number from 1 to 65535/);
    expect(till.preview.core.settings.get().printer.kind).toBe('none');
    await till.page.getByTestId('settings-printer-port').fill(String(till.printer.port));
    expect(await till.page.getByTestId('field-error-printerAddress').isHidden()).toBe(true);
    await till.page.getByTestId('settings-printer-auto').check();
    await till.page.getByTestId('settings-printer-footer').fill('Thank you!\nSee you soon');
    // The test receipt prints with the saved printer: not before the save.
    expect(await till.page.getByTestId('settings-printer-test').isDisabled()).toBe(true);
    expect(await text('settings-printer-test-message')).toMatch(/Save first/);
    await showFromTop(till.page.getByTestId('settings-printer'));
    await screenshot(till.page, 'printing-01-settings');

    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => text('settings-message')).toBe('Settings saved.');
    expect(till.preview.core.settings.get().printer).toMatchObject({ kind: 'network', host: '127.0.0.1', port: till.printer.port, autoPrint: true, footer: ['Thank you!', 'See you soon'] });
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);

    await till.page.getByTestId('settings-printer-test').click();
    await expect.poll(() => text('settings-printer-test-message'), { timeout: 10_000 }).toBe('Test receipt printed.');
    const [test] = await till.printer.waitForJobs(1);
    expect(test!.text).toMatch(/Corner Café/);
    expect(test!.text).toMatch(/Test receipt/);
    expect(test!.commands.map((c) => c.name)).toContain('cut');
    await till.page.getByTestId('settings-printer-test').scrollIntoViewIfNeeded();
    await screenshot(till.page, 'printing-01b-settings-test-printed');

    // A sandbox sale paid with Code: its receipt comes out by itself.
    await openShiftInUi(till.page);
    await typeAmount(till.page, '0.75');
    await till.page.keyboard.press('Enter');
    expect(await payEveryCodePayment(till.page)).toBe(1);
    const saleId = lastSale().id;
    const jobs = await till.printer.waitForJobs(2, 15_000);
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
    await screenshot(till.page, 'printing-04-paid-printed');
    // Exactly once: nothing else is left to send, and the stand-in got the test and this one.
    await queueSettled();
    expect(till.printer.jobs).toHaveLength(2);
    expect((await printedJobs()).filter((j) => j.kind === 'receipt' && j.saleId === saleId)).toHaveLength(1);
  });

  it('kicks the drawer for cash, opens it for No sale, and the end of day counts both and prints', async () => {
    await usePrinter({ autoPrint: false, drawerOnCash: true });

    // The idle till offers No sale.
    await till.page.getByTestId('open-drawer').click();
    await expect.poll(() => text('open-drawer-message'), { timeout: 10_000 }).toBe('Drawer opened.');
    const [noSale] = await till.printer.waitForJobs(1);
    expect(noSale!.commands.map((c) => c.name)).toContain('drawer-kick');
    // A bare kick: nothing printed, no paper cut.
    expect(noSale!.lines.filter((l) => l.trim() !== '')).toEqual([]);
    expect(noSale!.commands.map((c) => c.name)).not.toContain('cut');
    await screenshot(till.page, 'printing-03-no-sale');

    await cashSaleInUi(till.page, '3');
    const jobs = await till.printer.waitForJobs(2, 10_000);
    expect(kicks(jobs)).toHaveLength(2);
    // Auto-print is off: PAID offers the receipt, and prints it when asked.
    expect(await text('paid-print-receipt')).toBe('Print receipt');
    await till.page.getByTestId('paid-print-receipt').click();
    await expect.poll(() => text('paid-print-receipt-message'), { timeout: 10_000 }).toBe('Receipt printed.');
    await screenshot(till.page, 'printing-07-paid-cash-printed');
    const [, , receipt] = await till.printer.waitForJobs(3);
    expect(receipt!.text).toMatch(/Cash/);
    expect(receipt!.text).toMatch(/\$3\.00/);
    await till.page.getByTestId('next-sale').click();
    // No sale is for the idle till only.
    await typeAmount(till.page, '1');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('cancel-sale').waitFor();
    expect(await till.page.getByTestId('open-drawer').count()).toBe(0);
    await till.page.getByTestId('cancel-sale').click();
    await till.page.getByTestId('next-sale').click();

    await till.page.getByTestId('sales-log-tab').click();
    await till.page.getByTestId('open-end-of-day').click();
    await till.page.getByTestId('eod-mode').selectOption('sandbox');
    await expect.poll(() => text('eod-summary')).toMatch(/Drawer opened for cash\s+1\b/);
    expect(await text('eod-summary')).toMatch(/No sale \(drawer\)\s+1\b/);
    await till.page.getByTestId('eod-print-printer').click();
    await expect.poll(() => text('eod-print-printer-message'), { timeout: 10_000 }).toBe('End-of-day report printed.');
    await screenshot(till.page, 'printing-06-end-of-day');
    const [, , , report] = await till.printer.waitForJobs(4);
    expect(report!.text).toMatch(/SANDBOX/);
    await queueSettled();
    expect(till.printer.jobs).toHaveLength(4);
  });

  it('a printer that refuses: the sale stays paid, the till and the log show the fault with Retry, and Retry prints once', async () => {
    await usePrinter({ autoPrint: false, drawerOnCash: false, header: ['12 Main Street'], footer: ['Thank you!', 'Open 8–6'] });
    await cashSaleInUi(till.page, '2.5');
    const sale = lastSale();
    await till.page.getByTestId('next-sale').click();

    await till.printer.setMode('refuse');
    await till.page.getByTestId('sales-log-tab').click();
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${sale.id}"]`).click();
    await till.page.getByTestId('sale-detail').waitFor();
    await till.page.getByTestId('detail-print-printer').click();
    await expect.poll(() => text('detail-print-printer-message'), { timeout: 10_000 }).toMatch(/^Receipt not printed: .*127\.0\.0\.1/);
    expect(await till.page.getByTestId('detail-print-printer-retry').isVisible()).toBe(true);
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+error/);
    await screenshot(till.page, 'printing-05-log-print-error');

    // The till says it too, at once, and the sale is as it was.
    await till.page.getByTestId('till-tab').click();
    const fault = till.page.getByTestId('printer-fault');
    await fault.waitFor();
    expect(await fault.innerText()).toMatch(new RegExp(`Receipt not printed:[\\s\\S]*Sale #${sale.id}, customer copy`));
    expect(await till.page.getByTestId('printer-retry').isEnabled()).toBe(true);
    expect(await till.page.getByTestId('charge').isVisible()).toBe(true);
    expect(lastSale()).toMatchObject({ id: sale.id, status: 'paid', paidAmount: 250, updatedAt: sale.updatedAt });
    await screenshot(till.page, 'printing-02-till-error-retry');
    expect(till.printer.jobs).toHaveLength(0);

    await till.printer.setMode('ok');
    await till.page.getByTestId('printer-retry').click();
    await fault.waitFor({ state: 'detached', timeout: 10_000 });
    const [reprinted] = await till.printer.waitForJobs(1);
    expect(reprinted!.text).toMatch(/\$2\.50/);
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);
    // The log's own line follows the same job.
    await till.page.getByTestId('sales-log-tab').click();
    await expect.poll(() => text('detail-print-printer-message')).toBe('Receipt printed.');
    await queueSettled();
    expect(till.printer.jobs).toHaveLength(1);
    expect((await tillCall(till.preview, 'printJobs', { limit: 100 })).map((j) => [j.kind, j.state, j.attempts])).toEqual([['receipt', 'printed', 2]]);

    // The receipt screen prints on the receipt printer too: a new job, printed once.
    await till.page.getByTestId('open-receipt').click();
    await till.page.getByTestId('receipt').waitFor();
    // The receipt on screen says what the printed one says: the owner's header and footer lines.
    await expect.poll(() => till.page.getByTestId('receipt-header-line').allInnerTexts()).toEqual(['12 Main Street']);
    expect(await till.page.getByTestId('receipt-footer-line').allInnerTexts()).toEqual(['Thank you!', 'Open 8–6']);
    expect(reprinted!.lines).toEqual(expect.arrayContaining([expect.stringMatching(/12 Main Street/), expect.stringMatching(/Open 8-6|Open 8–6/)]));
    await till.page.getByTestId('receipt-print-printer').click();
    await expect.poll(() => text('receipt-print-printer-message'), { timeout: 10_000 }).toBe('Receipt printed.');
    await screenshot(till.page, 'printing-08-receipt-screen');
    await till.printer.waitForJobs(2);
    await queueSettled();
    expect(till.printer.jobs).toHaveLength(2);
  });
});
