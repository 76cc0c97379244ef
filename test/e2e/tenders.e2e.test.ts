import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { codePaymentTitle, createOwnerInSettings, openShiftInUi, payEveryCodePayment, typeAmount, useSandboxTill } from './e2e-preview';

// A sale paid by tenders, in real Chromium through the preview: Code
// payments within Code's per-payment maximum (the sandbox enforces Code's
// table by default: US$1.00), cash with change, another tender, and Code's
// payment service down. What the till shows comes from the ledger: each step
// waits for the main process's word, never for the Code button's.

const till = useSandboxTill();

const lastSale = () => till.preview.core.reports.listSales({ mode: 'all' }).sales[0]!;
const tendersOf = () => lastSale().tenders.map((t) => ({ kind: t.kind, amount: t.amount, status: t.status }));
const title = () => codePaymentTitle(till.page);
const text = (testId: string) => till.page.getByTestId(testId).innerText();

describe('tenders in Chromium', () => {
  it('takes 2.50 with a 1.00 maximum as three Code payments: 2 of 3 appears by itself, PAID after the third', async () => {
    await typeAmount(till.page, '2.5');
    await till.page.keyboard.press('Enter');
    await expect.poll(title).toBe('Code payment 1 of 3 — $1.00');
    expect(await text('owed')).toBe('$2.50');
    expect(tendersOf()).toEqual([{ kind: 'code', amount: 100, status: 'pending' }]);
    // Nothing is paid yet: the sale can still be cancelled.
    expect(await till.page.getByTestId('cancel-sale').isEnabled()).toBe(true);

    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(title, { timeout: 15_000 }).toBe('Code payment 2 of 3 — $1.00');
    expect(await text('partly-paid')).toBe('Partly paid: $1.00 of $2.50');
    expect(await text('owed')).toBe('$1.50');
    expect(await text('tenders')).toMatch(/Code payment 1 of 3\s+\$1\.00\s+Paid[\s\S]*Code payment 2 of 3\s+\$1\.00\s+Waiting/);
    // Money is taken: Cancel is off, and says why.
    expect(await till.page.getByTestId('cancel-sale').isDisabled()).toBe(true);
    expect(await text('cancel-blocked')).toMatch(/\$1\.00 of this sale is paid, so it cannot be cancelled here/);
    // The second payment's own code: another intent than the first's.
    await expect.poll(() => till.page.getByTestId('scan-code').getAttribute('data-intent-id')).toBe(lastSale().tenders[1]!.intentId);
    await screenshot(till.page, 'tenders-01-split-2-of-3');

    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(title, { timeout: 15_000 }).toBe('Code payment 3 of 3 — $0.50');
    expect(await text('partly-paid')).toBe('Partly paid: $2.00 of $2.50');
    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 15_000 });
    expect(await text('paid')).toMatch(/PAID[\s\S]*\$2\.50[\s\S]*Code payment 1 of 3\s+\$1\.00\s+Paid[\s\S]*Code payment 3 of 3\s+\$0\.50\s+Paid/);
    expect(await till.page.getByTestId('change-due').count()).toBe(0);
    expect(lastSale()).toMatchObject({ status: 'paid', paidAmount: 250 });
    expect(tendersOf()).toEqual([
      { kind: 'code', amount: 100, status: 'paid' },
      { kind: 'code', amount: 100, status: 'paid' },
      { kind: 'code', amount: 50, status: 'paid' },
    ]);
    await screenshot(till.page, 'tenders-02-split-paid');
    await till.page.keyboard.press('Enter');
    await expect.poll(() => till.page.getByTestId('amount').innerText()).toBe('$0.00');
  });

  it('takes a Code payment, then cash for the rest: the change shows before and after, and the sales log lists the tenders', async () => {
    await typeAmount(till.page, '2.5');
    await till.page.keyboard.press('Enter');
    await expect.poll(title).toBe('Code payment 1 of 3 — $1.00');
    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(title, { timeout: 15_000 }).toBe('Code payment 2 of 3 — $1.00');

    await till.page.getByTestId('open-cash').click();
    const tendered = till.page.getByTestId('cash-tendered');
    await tendered.waitFor();
    // Prefilled with what is owed, selected: typing replaces it, and never reaches the till's keypad.
    expect(await tendered.inputValue()).toBe('1.50');
    expect(await text('cash-exact')).toBe('Exact $1.50');
    expect(await till.page.getByTestId('cash-quick').allInnerTexts()).toEqual(['$2.00', '$5.00', '$10.00']);
    await till.page.keyboard.type('5');
    expect(await tendered.inputValue()).toBe('5');
    expect(await text('cash-preview')).toBe('Change to give: $3.50');
    expect(await text('amount')).toBe('$2.50');
    await screenshot(till.page, 'tenders-03-cash-form');
    // Escape closes the form and leaves the sale as it was (it does not cancel it).
    await till.page.keyboard.press('Escape');
    await till.page.getByTestId('cash-form').waitFor({ state: 'detached' });
    expect(lastSale().status).toBe('partly_paid');
    await till.page.getByTestId('open-cash').click();
    await till.page.keyboard.type('4');
    await till.page.getByTestId('cash-quick').filter({ hasText: '$5.00' }).click();
    expect(await tendered.inputValue()).toBe('5.00');
    await till.page.keyboard.press('Enter');

    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await text('change-due')).toBe('Change: $3.50');
    expect(await text('paid')).toMatch(/Code payment\s+\$1\.00\s+Paid[\s\S]*Cash\s+\$1\.50\s+Paid[\s\S]*tendered \$5\.00 · change \$3\.50/);
    await screenshot(till.page, 'tenders-04-change');
    expect(lastSale()).toMatchObject({ status: 'paid', paidAmount: 250, firstProof: 'manual' });
    // The waiting Code payment was cancelled when the cash was taken.
    expect(lastSale().tenders.map((t) => [t.kind, t.amount, t.status, t.tendered, t.change])).toEqual([
      ['code', 100, 'paid', null, null],
      ['code', 100, 'cancelled', null, null],
      ['cash', 150, 'paid', 500, 350],
    ]);

    const saleId = lastSale().id;
    await till.page.getByTestId('next-sale').click();
    await till.page.getByTestId('sales-log-tab').click();
    const row = till.page.locator(`[data-testid="log-row"][data-sale-id="${saleId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/\$2\.50[\s\S]*Paid[\s\S]*Code \+ Cash/);
    const totals = await text('log-totals');
    expect(totals).toMatch(/Taken\s+USD\s+\$2\.50/);
    expect(totals).toMatch(/Code \$1\.00 · Cash \$1\.50\n/);
    expect(totals).toMatch(/Change given: \$3\.50/);

    await row.click();
    await till.page.getByTestId('sale-detail').waitFor();
    await expect.poll(() => till.page.getByTestId('detail-tender').count()).toBe(3);
    const cards = await till.page.getByTestId('detail-tender').allInnerTexts();
    expect(cards[0]).toMatch(/Code payment 1\s+\$1\.00\s+Paid[\s\S]*Intent id\s+\w{20,}/);
    expect(cards[1]).toMatch(/Code payment 2\s+\$1\.00\s+Cancelled/);
    expect(cards[2]).toMatch(/Cash\s+\$1\.50\s+Paid[\s\S]*Tendered\s+\$5\.00[\s\S]*Change\s+\$3\.50/);
    // The timeline, tender by tender.
    expect(await text('sale-events')).toMatch(/Code payment 1 · \$1\.00[\s\S]*Credited[\s\S]*Cash · \$1\.50[\s\S]*Tendered/);
    await screenshot(till.page, 'tenders-05-sale-detail');

    await till.page.getByTestId('open-receipt').click();
    const receipt = till.page.getByTestId('receipt');
    await receipt.waitFor();
    const printed = await receipt.innerText();
    expect(printed).toMatch(/Paid with Code and cash/);
    expect(await text('receipt-tenders')).toMatch(/Code payment\s+\$1\.00[\s\S]*Cash\s+\$5\.00[\s\S]*Change\s+\$3\.50/);
    expect(printed).not.toMatch(/Kin|intent/i);
    await screenshot(till.page, 'tenders-06-receipt');
  });

  it('takes part by another tender, then asks Code for the rest when told to', async () => {
    await typeAmount(till.page, '2.5');
    await till.page.keyboard.press('Enter');
    await expect.poll(title).toBe('Code payment 1 of 3 — $1.00');
    await till.page.getByTestId('open-other').click();
    await till.page.getByTestId('other-form').waitFor();
    expect(await till.page.getByTestId('other-amount').inputValue()).toBe('2.50');
    // More than is owed is refused before anything is sent; a label is needed.
    await till.page.getByTestId('other-amount').fill('3');
    expect(await text('other-problem')).toBe('At most $2.50, what the sale still owes.');
    await till.page.getByTestId('other-amount').fill('1');
    await till.page.getByTestId('take-other').click();
    expect(await text('other-problem')).toMatch(/Say what it was/);
    await till.page.getByTestId('other-label').fill('Card');
    await till.page.keyboard.press('Enter');

    // A partly paid sale with no Code payment waiting: the till says so and offers Code again.
    await till.page.getByTestId('no-code-payment').waitFor();
    expect(await text('partly-paid')).toBe('Partly paid: $1.00 of $2.50');
    expect(await text('tenders')).toMatch(/Code payment\s+\$1\.00\s+Cancelled[\s\S]*Card \(other\)\s+\$1\.00\s+Paid/);
    expect(await till.page.getByTestId('code-payment').count()).toBe(0);
    await screenshot(till.page, 'tenders-07-partly-paid');

    await till.page.getByTestId('request-code').click();
    await expect.poll(title).toBe('Code payment 1 of 2 — $1.00');
    expect(await payEveryCodePayment(till.page)).toBe(2);
    expect(await text('paid')).toMatch(/Card \(other\)\s+\$1\.00\s+Paid/);
    expect(lastSale().tenders.filter((t) => t.status === 'paid').map((t) => [t.kind, t.amount, t.label])).toEqual([
      ['other', 100, 'Card'],
      ['code', 100, null],
      ['code', 50, null],
    ]);
  });

  it('with Code’s payment service down, says so, offers no Code payment, and takes the sale in cash', async () => {
    const rail = till.page.getByTestId('status-rail');
    await expect.poll(() => rail.innerText()).toMatch(/Code payments\s+available/);
    // Settings are the owner's: created first on the Settings screen; then a sale needs an open shift.
    await createOwnerInSettings(till.page);
    const outage = till.page.getByTestId('settings-sandbox-outage');
    expect(await outage.isChecked()).toBe(false);
    await outage.check();
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => text('settings-message')).toMatch(/saved/i);
    await expect.poll(() => rail.innerText(), { timeout: 10_000 }).toMatch(/Code payments\s+unavailable \(.+\)/);
    expect(await rail.getAttribute('class')).toMatch(/status-item--bad/);
    expect(await text('settings-rail')).toMatch(/Code payments \(sandbox\): unavailable/);
    await till.page.getByTestId('settings-code-payments').scrollIntoViewIfNeeded();
    await screenshot(till.page, 'settings-04-code-payments');

    await openShiftInUi(till.page);
    await typeAmount(till.page, '3');
    await till.page.keyboard.press('Enter');
    await expect.poll(() => text('code-note')).toMatch(/^Code payments are unavailable \(.+\): take cash or another tender\.$/);
    expect(await till.page.getByTestId('code-button').count()).toBe(0);
    expect(await till.page.getByTestId('request-code').count()).toBe(0);
    expect(await till.page.getByTestId('simulate-payment').count()).toBe(0);
    expect(lastSale()).toMatchObject({ amount: 300, status: 'pending', tenders: [] });
    await screenshot(till.page, 'tenders-08-code-unavailable');

    await till.page.getByTestId('open-cash').click();
    await till.page.keyboard.type('3');
    expect(await text('cash-preview')).toBe('Exact: no change.');
    await till.page.getByTestId('take-cash').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await till.page.getByTestId('change-due').count()).toBe(0);
    expect(tendersOf()).toEqual([{ kind: 'cash', amount: 300, status: 'paid' }]);

    // Service back: "Check now" in Settings reads it again.
    await till.page.getByTestId('next-sale').click();
    await till.page.getByTestId('settings-tab').click();
    await outage.uncheck();
    await till.page.getByTestId('settings-save').click();
    await till.page.getByTestId('check-rail').click();
    await expect.poll(() => text('settings-rail'), { timeout: 10_000 }).toBe('Code payments (sandbox): available');
    await expect.poll(() => rail.innerText()).toMatch(/Code payments\s+available/);
  });
});
