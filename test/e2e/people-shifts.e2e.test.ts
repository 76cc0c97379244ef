import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import { screenshot, scrollToTop } from '../support/browser';
import { randomAddress } from '../support/temp-dir';
import { createOwnerInSettings, openShiftInUi, payEveryCodePayment, typeAmount, useSandboxTill } from './e2e-preview';

// People, PINs, roles, a shift and a refund end to end: the till in real
// Chromium through the browser preview, the main process enforcing every
// role on the bridge, and the stand-in receipt printer (a real TCP server on
// loopback decoding the ESC/POS it gets) for the refund receipt and the
// Z-report. Each step waits for the word of the screen, the ledger or the
// printer; nothing waits a fixed time.

const till = useSandboxTill({ printer: true });

const OWNER = { name: 'Ana', pin: '2580' };
const MANAGER = { name: 'Ben', pin: '4826' };
const CASHIER = { name: 'Cleo', pin: '7391' };

const text = (testId: string) => till.page.getByTestId(testId).innerText();
const tabShown = async (testId: string) => (await till.page.getByTestId(testId).count()) > 0;
const sales = () => till.preview.core.reports.listSales({ mode: 'all' }).sales;

/** The owner's People section: a cashier or a manager with a PIN. */
async function addPerson(p: { name: string; pin: string }, role: 'cashier' | 'manager'): Promise<void> {
  await till.page.getByTestId('add-person').click();
  const dialog = till.page.getByTestId('add-person-dialog');
  await dialog.getByTestId('person-name').fill(p.name);
  await dialog.getByTestId('person-role').selectOption(role);
  await dialog.getByTestId('person-pin').fill(p.pin);
  await dialog.getByTestId('person-pin-again').fill(p.pin);
  await dialog.getByTestId('add-person-save').click();
  await expect.poll(() => text('people-note')).toBe(`${p.name} added as ${role}.`);
}

/** On the lock screen: the person's name, then the PIN typed on the keyboard and Enter. */
async function signIn(p: { name: string; pin: string }): Promise<void> {
  const lock = till.page.getByTestId('lock-screen');
  await lock.waitFor();
  await lock.getByTestId('sign-in-person').filter({ has: till.page.getByText(p.name, { exact: true }) }).click();
  await till.page.keyboard.type(p.pin);
  await till.page.keyboard.press('Enter');
}

/** Signed in: the header names them (after any notice they must read, acknowledged by `acknowledge`). */
async function signedInAs(name: string): Promise<void> {
  await till.page.getByTestId('lock-screen').waitFor({ state: 'detached' });
  await expect.poll(() => text('signed-in-name')).toBe(name);
}

async function acknowledgeNotices(): Promise<string[]> {
  const dialog = till.page.getByTestId('sign-in-notices');
  await dialog.waitFor();
  const notices = await dialog.getByTestId('sign-in-notice').allInnerTexts();
  await dialog.getByTestId('notices-ack').click();
  await dialog.waitFor({ state: 'hidden' });
  return notices;
}

async function lock(): Promise<void> {
  await till.page.getByTestId('lock-till').click();
  await till.page.getByTestId('lock-screen').waitFor();
}

describe('people, shifts and refunds in Chromium', () => {
  it('creates the owner and staff, signs in with PINs, sells on a shift, refunds as a manager, closes the shift and prints its Z-report', { timeout: 240_000 }, async () => {
    await till.preview.core.updateSettings({
      shopName: 'Corner Café',
      printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: till.printer.host, port: till.printer.port, autoPrint: false, drawerOnCash: false },
    });
    await expect.poll(() => text('status-printer')).toMatch(/Printer\s+ready/);

    // Setup: the till sells with no sign-in; no Shift or Audit log yet.
    expect(await tabShown('sales-log-tab')).toBe(true);
    expect(await tabShown('shift-tab')).toBe(false);
    expect(await tabShown('audit-tab')).toBe(false);
    expect(await tabShown('lock-till')).toBe(false);

    // Settings start with "Create the owner".
    await till.page.getByTestId('settings-tab').click();
    await till.page.getByTestId('create-owner').waitFor();
    expect(await till.page.getByTestId('settings-save').count()).toBe(0);
    await till.page.getByTestId('owner-name').fill(OWNER.name);
    await till.page.getByTestId('owner-pin').fill(OWNER.pin);
    await till.page.getByTestId('owner-pin-again').fill('2581');
    await till.page.getByTestId('create-owner-save').click();
    await expect.poll(() => text('create-owner-error')).toMatch(/The two PINs differ/);
    await screenshot(till.page, 'people-01-create-owner');
    expect(till.preview.core.people.hasOwner()).toBe(false);
    await till.page.getByTestId('owner-pin-again').fill(OWNER.pin);
    await till.page.getByTestId('create-owner-save').click();
    await till.page.getByTestId('settings-save').waitFor();
    await expect.poll(() => text('signed-in-name')).toBe(OWNER.name);
    expect(await text('signed-in-role')).toMatch(/Owner/);
    expect(await tabShown('audit-tab')).toBe(true);

    // The owner adds a manager and a cashier.
    await addPerson(MANAGER, 'manager');
    await addPerson(CASHIER, 'cashier');
    const rows = till.page.getByTestId('person-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((els) => els.map((e) => [e.querySelector('.people-name')?.textContent, e.getAttribute('data-role')]))).toEqual(
      expect.arrayContaining([
        ['Ana', 'owner'],
        ['Ben', 'manager'],
        ['Cleo', 'cashier'],
      ]),
    );
    await screenshot(till.page, 'people-02-people');

    // The deposit address changes only with the last four typed back and the owner's PIN.
    const address = randomAddress();
    await till.page.getByTestId('change-payment-setup').click();
    const change = till.page.getByTestId('payment-setup-dialog');
    await change.getByTestId('payment-new-address').fill(address);
    await change.getByTestId('payment-last-four').fill(address.slice(-4) === 'zzzz' ? 'yyyy' : 'zzzz');
    await change.getByTestId('payment-owner-pin').fill(OWNER.pin);
    await change.getByTestId('payment-setup-save').click();
    await expect.poll(() => change.getByTestId('payment-setup-error').innerText()).toMatch(/last four characters do not match/);
    await change.getByTestId('payment-last-four').fill(address.slice(-4));
    // A wrong PIN: the main process refuses it, nothing changes.
    await change.getByTestId('payment-owner-pin').fill('1357');
    await change.getByTestId('payment-setup-save').click();
    await expect.poll(() => change.getByTestId('payment-setup-error').innerText()).toMatch(/Wrong PIN/);
    expect(till.preview.core.settings.get().depositAddress).toBeNull();
    await change.getByTestId('payment-owner-pin').fill(OWNER.pin);
    await screenshot(till.page, 'people-03-deposit-change');
    await change.getByTestId('payment-setup-save').click();
    await till.page.getByTestId('payment-setup-done').waitFor();
    expect(till.preview.core.settings.get()).toMatchObject({ depositAddress: address, mode: 'sandbox' });
    expect(await text('payment-address')).toBe(address);

    // Lock: the lock screen lists the people; a wrong PIN is said in words.
    await lock();
    await expect.poll(() => till.page.getByTestId('sign-in-person').count()).toBe(3);
    await screenshot(till.page, 'people-04-lock-screen');
    await signIn({ name: CASHIER.name, pin: '1397' });
    await expect.poll(() => text('sign-in-error')).toMatch(/^Wrong PIN/);
    expect(await till.page.getByTestId('pin-display').getAttribute('data-length')).toBe('0');
    await screenshot(till.page, 'people-05-pin-error');

    // The right PIN: first the notice of the changed deposit address.
    await signIn(CASHIER);
    await till.page.getByTestId('sign-in-notices').waitFor();
    await screenshot(till.page, 'people-12-sign-in-notice');
    const notices = await acknowledgeNotices();
    expect(notices).toEqual([expect.stringMatching(new RegExp(`^Deposit address changed at .+ by Ana \\(owner\\): none → …${address.slice(-4)}`))]);
    await signedInAs(CASHIER.name);

    // A cashier: the till and the shift, not the sales log, the audit log or the settings.
    expect(await tabShown('shift-tab')).toBe(true);
    expect(await tabShown('sales-log-tab')).toBe(false);
    expect(await tabShown('audit-tab')).toBe(false);
    expect(await tabShown('settings-tab')).toBe(false);
    // No shift open: no charging, but the way to open one.
    await till.page.getByTestId('till-no-shift').waitFor();
    expect(await till.page.getByTestId('charge').count()).toBe(0);
    await screenshot(till.page, 'people-13-till-no-shift');
    await till.page.getByTestId('go-open-shift').click();
    await till.page.getByTestId('shift-open-form').waitFor();
    await till.page.getByTestId('shift-float').fill('150');
    await screenshot(till.page, 'people-06-shift-open');
    await till.page.getByTestId('open-shift').click();
    await till.page.getByTestId('shift-close-form').waitFor();
    const shift = till.preview.core.shifts.current();
    expect(shift).toMatchObject({ floatAmount: 150_00, openedBy: { name: CASHIER.name } });

    // Cash with change.
    await till.page.getByTestId('till-tab').click();
    await expect.poll(() => text('till-who')).toMatch(/Selling as Cleo \(cashier\)/);
    await typeAmount(till.page, '12.5');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('open-cash').click();
    await till.page.getByTestId('cash-tendered').fill('20');
    await till.page.getByTestId('take-cash').click();
    await till.page.getByTestId('paid').waitFor();
    expect(await text('change-due')).toBe('Change: $7.50');
    const cashSale = sales()[0]!;
    expect(cashSale).toMatchObject({ status: 'paid', paidAmount: 12_50, soldBy: { name: CASHIER.name }, shiftId: shift!.id });
    await till.page.getByTestId('next-sale').click();

    // A Code payment (the sandbox's Simulate payment).
    await typeAmount(till.page, '0.75');
    await till.page.keyboard.press('Enter');
    expect(await payEveryCodePayment(till.page)).toBe(1);
    await till.page.getByTestId('next-sale').click();

    // The live Z-report follows the sales.
    await till.page.getByTestId('shift-tab').click();
    const live = till.page.getByTestId('z-report');
    await expect.poll(() => live.locator('[data-line="taken-code"] dd').innerText()).toBe('$0.75');
    expect(await live.locator('[data-line="taken-cash"] dd').innerText()).toBe('$12.50');
    expect(await live.locator('[data-line="expected"] dd').innerText()).toBe('$162.50');
    await scrollToTop(till.page);
    await screenshot(till.page, 'people-07-z-live');

    // The manager signs in (the same notice), and refunds part of the cash sale from the sales log.
    await lock();
    await signIn(MANAGER);
    expect(await acknowledgeNotices()).toHaveLength(1);
    await signedInAs(MANAGER.name);
    await till.page.getByTestId('sales-log-tab').click();
    await till.page.locator(`[data-testid="log-row"][data-sale-id="${cashSale.id}"]`).click();
    await till.page.getByTestId('sale-detail').waitFor();
    expect(await text('detail-sold-by')).toBe(CASHIER.name);
    expect(await till.page.locator('[data-testid="detail-tender"][data-kind="cash"] [data-testid="tender-taken-by"]').innerText()).toBe(CASHIER.name);
    await till.page.getByTestId('refund-sale').click();
    const refund = till.page.getByTestId('refund-dialog');
    expect(await refund.getByTestId('refund-amount').inputValue()).toBe('12.50');
    expect(await refund.getByTestId('refund-method-cash').isChecked()).toBe(true);
    // More than was taken is refused before anything is sent.
    await refund.getByTestId('refund-amount').fill('13');
    await refund.getByTestId('refund-next').click();
    await expect.poll(() => refund.getByTestId('refund-error').innerText()).toMatch(/At most \$12\.50 can still be refunded/);
    await refund.getByTestId('refund-amount').fill('5');
    await screenshot(till.page, 'people-08-refund-dialog');
    await refund.getByTestId('refund-next').click();
    expect(await refund.getByTestId('refund-question').innerText()).toBe('Refund $5.00 on sale #' + cashSale.id + ': cash back?');
    await refund.getByTestId('refund-confirm').click();
    await expect.poll(() => text('detail-done')).toMatch(/^Refunded \$5\.00: cash back\. Hand the cash to the customer\./);
    await expect.poll(() => till.page.getByTestId('detail-refund').count()).toBe(1);
    expect(await text('detail-refunded')).toBe('$5.00');
    expect(await till.page.getByTestId('detail-refund').innerText()).toMatch(/by Ben/);
    // Its receipt prints by itself on the stand-in printer.
    const [refundReceipt] = await till.printer.waitForJobs(1, 15_000);
    expect(refundReceipt!.text).toMatch(/REFUND/);
    expect(refundReceipt!.text).toMatch(/\$5\.00/);
    expect(refundReceipt!.text).toMatch(new RegExp(`#${cashSale.id}\\b`));
    await scrollToTop(till.page);
    await screenshot(till.page, 'people-09-sale-refund');
    await till.page.getByTestId('detail-back').click();
    await expect.poll(() => till.page.locator(`[data-testid="log-row"][data-sale-id="${cashSale.id}"] [data-testid="log-refunded"]`).innerText()).toBe('Part refunded');

    // The manager closes the shift with the counted cash: 150 + 12.50 − 5.00 expected, 157.00 counted.
    await till.page.getByTestId('shift-tab').click();
    await till.page.getByTestId('shift-counted').fill('157');
    await till.page.getByTestId('close-shift').click();
    await till.page.getByTestId('close-shift-dialog').getByTestId('close-shift-yes').click();
    const closed = till.page.getByTestId('z-report');
    await expect.poll(() => closed.getAttribute('data-state')).toBe('closed');
    expect(await closed.getByTestId('z-over-short').innerText()).toBe('Short by $0.50');
    expect(await closed.locator('[data-line="expected"] dd').innerText()).toBe('$157.50');
    expect(await closed.locator('[data-line="counted"] dd').innerText()).toBe('$157.00');
    expect(await closed.locator('[data-line="cash-refunded"] dd').innerText()).toBe('$5.00');
    await scrollToTop(till.page);
    await screenshot(till.page, 'people-10-z-closed');
    // The Z-report prints by itself at the close, and again when asked.
    const [, zAuto] = await till.printer.waitForJobs(2, 15_000);
    for (const figure of [/150\.00/, /157\.50/, /157\.00/, /0\.50/, /12\.50/, /0\.75/]) expect(zAuto!.text).toMatch(figure);
    await till.page.getByTestId('print-z-report').click();
    await expect.poll(() => text('print-z-report-message'), { timeout: 15_000 }).toBe('Z-report printed.');
    const [, , zAgain] = await till.printer.waitForJobs(3, 15_000);
    expect(zAgain!.text).toBe(zAuto!.text);

    // The kept shifts list it; its Z-report opens from there.
    await till.page.getByTestId('shift-done').click();
    await till.page.getByTestId('shift-open-form').waitFor();
    await expect.poll(() => till.page.getByTestId('kept-shift').count()).toBe(1);
    await till.page.getByTestId('open-kept-shift').click();
    await expect.poll(() => till.page.getByTestId('z-report').getAttribute('data-state')).toBe('closed');
    expect(await till.page.getByTestId('z-over-short').innerText()).toBe('Short by $0.50');
    await till.page.getByTestId('shift-done').click();

    // The owner reads the audit log.
    await lock();
    await signIn(OWNER);
    // The owner too reads of the change made since her last sign-in (her own, here).
    expect(await acknowledgeNotices()).toHaveLength(1);
    await signedInAs(OWNER.name);
    await till.page.getByTestId('audit-tab').click();
    const entries = till.page.getByTestId('audit-entry');
    await expect.poll(() => entries.count()).toBeGreaterThan(8);
    const actions = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['owner-created', 'person-added', 'payment-setup-changed', 'pin-failed', 'sign-in', 'shift-opened', 'refund', 'shift-closed']));
    // Newest first: the owner's own sign-in leads.
    expect(actions[0]).toBe('sign-in');
    await till.page.getByTestId('audit-filter').selectOption('payment-setup-changed');
    await expect.poll(() => entries.count()).toBe(1);
    await entries.first().locator('summary').click();
    expect(await entries.first().getByTestId('audit-detail').innerText()).toContain(address);
    await till.page.getByTestId('audit-filter').selectOption('');
    await expect.poll(() => entries.count()).toBeGreaterThan(8);
    await till.page.locator('[data-testid="audit-entry"][data-action="refund"] summary').click();
    await screenshot(till.page, 'people-11-audit-log');
    // Export CSV: the preview's download link carries the token; the file holds every entry.
    const [download] = await Promise.all([till.page.waitForEvent('download'), till.page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^counter-audit-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('payment-setup-changed');
    expect(csv).toContain(address);
    expect(csv).not.toContain(OWNER.pin);
    await expect.poll(() => text('audit-export-message')).toMatch(/^(Downloading|Exported) \d+ entries (as|to) CSV/);
  });

  it('a cashier cannot cancel a manager’s open sale (the main process says so), and wrong PINs bring a wait', { timeout: 120_000 }, async () => {
    await createOwnerInSettings(till.page, OWNER);
    await addPerson(MANAGER, 'manager');
    await addPerson(CASHIER, 'cashier');
    await lock();

    // The manager opens a shift and rings up a sale that stays waiting for its Code payment.
    await signIn(MANAGER);
    await signedInAs(MANAGER.name);
    await openShiftInUi(till.page, '50');
    await typeAmount(till.page, '2');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    const open = sales()[0]!;
    expect(open).toMatchObject({ status: 'pending', soldBy: { name: MANAGER.name } });

    // The cashier finds it on the till; Cancel is refused in words, and the sale stays open.
    await lock();
    await signIn(CASHIER);
    await signedInAs(CASHIER.name);
    await till.page.getByTestId('waiting').waitFor();
    await till.page.getByTestId('cancel-sale').click();
    await expect.poll(() => text('till-error')).toMatch(/^Only a manager can cancel another person[’']s sale\./);
    expect(till.preview.core.ledger.getSale(open.id).status).toBe('pending');
    await screenshot(till.page, 'people-14-cancel-refused');
    // No "No sale" for a cashier: the drawer is a manager's.
    expect(await till.page.getByTestId('open-drawer').count()).toBe(0);

    // Three wrong PINs in a row: the third brings a wait, counted down on the pad with Sign in held.
    await lock();
    for (const wrong of ['1397', '1398', '1399']) {
      await signIn({ name: MANAGER.name, pin: wrong });
      await expect.poll(() => till.page.getByTestId('sign-in-error').innerText()).toMatch(/Wrong PIN|Wait/);
    }
    await expect.poll(() => text('sign-in-error')).toMatch(/Wait \d+ s/);
    await till.page.keyboard.type(MANAGER.pin);
    expect(await till.page.getByTestId('pin-submit').isDisabled()).toBe(true);
    await screenshot(till.page, 'people-15-pin-wait');
    expect(till.preview.core.people.list().find((p) => p.name === MANAGER.name)).toMatchObject({ failedPins: 3, lockedUntil: null });
  });
});
