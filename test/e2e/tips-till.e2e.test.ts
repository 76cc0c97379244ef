import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { horizontalOverflow, laptopPage, screenshot, VIEWPORTS } from '../support/browser';
import { codePaymentTitle, createOwnerInSettings, openApp, openShiftInUi, typeAmount, useSandboxTill } from './e2e-preview';

// Tips on the cashier's till in real Chromium through the preview (SPEC §7):
// the sale waits for its tip, the cashier chooses for the customer with the
// keyboard, the first Code payment is for the tipped total, and the tip is
// shown wherever the sale is (log, detail, receipt, totals, end of day). And
// the chime when a payment is confirmed, counted where Web Audio starts it.

/** Tips on, as the owner sets them in Settings (the settings test drives that form): 10, 15 and 20 %, another amount allowed. */
const TIPS = { enabled: true, presets: [10, 15, 20], custom: true };

const till = useSandboxTill({ settings: { tips: TIPS } });

const lastSale = () => till.preview.core.reports.listSales({ mode: 'all' }).sales[0]!;
const text = (testId: string) => till.page.getByTestId(testId).innerText();

/** Rings up `amount` and waits for the tip choice. */
async function chargeForTip(amount: string): Promise<void> {
  await typeAmount(till.page, amount);
  await till.page.keyboard.press('Enter');
  await till.page.getByTestId('tip-panel').waitFor();
}

describe('tips on the till in Chromium', () => {
  it('waits for the tip, the cashier picks 15 % with the key 2, and the Code payment is for the tipped total, then PAID with it', async () => {
    await chargeForTip('0.8');
    expect(await till.page.getByTestId('tip-panel').innerText()).toMatch(/Waiting for the customer's tip/);
    expect(await till.page.getByTestId('tip-option').allInnerTexts()).toEqual([
      expect.stringMatching(/^10 %\s+\$0\.08\s+1$/),
      expect.stringMatching(/^15 %\s+\$0\.12\s+2$/),
      expect.stringMatching(/^20 %\s+\$0\.16\s+3$/),
    ]);
    // No tender is offered, and no Code payment started, before the total is known; Cancel stays.
    expect(await till.page.getByTestId('open-cash').count()).toBe(0);
    expect(await till.page.getByTestId('open-other').count()).toBe(0);
    expect(await till.page.getByTestId('code-payment').count()).toBe(0);
    expect(await till.page.getByTestId('cancel-sale').isEnabled()).toBe(true);
    expect(lastSale()).toMatchObject({ amount: 80, awaitingTip: true, tenders: [] });
    await screenshot(till.page, 'tips-01-till-waiting-for-tip');

    await till.page.keyboard.press('2');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.92');
    expect(await till.page.getByTestId('tip-panel').count()).toBe(0);
    expect(await text('amount')).toBe('$0.92');
    expect(await text('sale-tip')).toBe('Sale $0.80 + Tip 15 % $0.12');
    expect(lastSale()).toMatchObject({ amount: 80, tipAmount: 12, tipPercent: 15, tipChosenBy: 'cashier', awaitingTip: false });
    await till.page.getByTestId('scan-code').waitFor();
    await screenshot(till.page, 'tips-02-till-tipped-code');

    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await text('paid-amount')).toBe('$0.92');
    expect(await text('paid-tip')).toBe('Sale $0.80 + Tip 15 % $0.12');
    expect(lastSale()).toMatchObject({ status: 'paid', paidAmount: 92, tipAmount: 12 });
    await screenshot(till.page, 'tips-03-till-paid');
  });

  it('splits a tipped total above Code’s maximum: $1.00 + 20 % is two Code payments', async () => {
    await chargeForTip('1');
    await till.page.keyboard.press('3');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment 1 of 2 — $1.00');
    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(() => codePaymentTitle(till.page), { timeout: 15_000 }).toBe('Code payment 2 of 2 — $0.20');
    expect(await text('partly-paid')).toBe('Partly paid: $1.00 of $1.20');
  });

  it('takes No tip with N: the Code payment is for the sale’s own amount', async () => {
    await chargeForTip('0.5');
    await till.page.keyboard.press('n');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.50');
    expect(await text('sale-tip')).toBe('No tip');
    expect(lastSale()).toMatchObject({ amount: 50, tipAmount: 0, tipPercent: null, tipChosenBy: 'cashier', awaitingTip: false });
  });

  it('checks a custom tip as it is typed (C opens it, Escape closes it without cancelling), then takes it', async () => {
    await chargeForTip('0.6');
    await till.page.keyboard.press('c');
    const form = till.page.getByTestId('custom-tip-form');
    await form.waitFor();
    const input = till.page.getByTestId('custom-tip-amount');
    const take = till.page.getByTestId('custom-tip-take');
    // Typing goes into the field, never to the till's keys (no preset is picked by the digits).
    await till.page.keyboard.type('1');
    expect(await input.inputValue()).toBe('1');
    expect(await text('custom-tip-preview')).toBe("At most $0.60, the sale's own amount.");
    expect(await take.isDisabled()).toBe(true);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('0.255');
    expect(await text('custom-tip-preview')).toMatch(/at most two decimals/);
    await input.fill('-1');
    expect(await text('custom-tip-preview')).toBe('A tip is never negative: type 0 or No tip for none.');
    await input.fill('0.15');
    expect(await text('custom-tip-preview')).toBe('Total with the tip: $0.75');
    await screenshot(till.page, 'tips-04-till-custom-tip');
    // Escape closes the form; the sale still waits for its tip.
    await till.page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await till.page.getByTestId('tip-panel').isVisible()).toBe(true);
    expect(lastSale()).toMatchObject({ status: 'pending', awaitingTip: true });

    await till.page.getByTestId('tip-custom').click();
    await form.waitFor();
    await till.page.keyboard.type('0.15');
    await till.page.keyboard.press('Enter');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.75');
    expect(await text('sale-tip')).toBe('Sale $0.60 + Tip $0.15');
    expect(lastSale()).toMatchObject({ tipAmount: 15, tipPercent: null, tipChosenBy: 'cashier' });
  });

  it('shows the main process’s refusal of a choice: a preset taken off the offer while the sale waited', async () => {
    await chargeForTip('0.8');
    // The owner drops 15 % meanwhile; the till still shows what it was offered.
    await till.preview.core.updateSettings({ tips: { ...TIPS, presets: [10, 20] } });
    await till.page.keyboard.press('2');
    await expect.poll(() => text('till-error')).toMatch(/^15 % is not a tip on offer/);
    expect(await till.page.getByTestId('tip-panel').isVisible()).toBe(true);
    expect(lastSale()).toMatchObject({ awaitingTip: true, tipAmount: 0, tenders: [] });
    await till.page.keyboard.press('n');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.80');
  });

  it('lets the tip panel go when the customer chooses on their display', async () => {
    await chargeForTip('0.4');
    // The customer display's own call, as the customer page makes it.
    await till.preview.core.payments.chooseTip(lastSale().id, { kind: 'percent', percent: 20 }, 'customer');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.48');
    expect(await till.page.getByTestId('tip-panel').count()).toBe(0);
    expect(await text('sale-tip')).toBe('Sale $0.40 + Tip 20 % $0.08');
  });

  it('shows the tip in the sales log row and detail, on the receipt, in the totals and at the end of the day', async () => {
    await chargeForTip('0.8');
    await till.page.keyboard.press('2');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment — $0.92');
    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    await till.page.getByTestId('next-sale').click();
    const saleId = lastSale().id;

    await till.page.getByTestId('sales-log-tab').click();
    const row = till.page.locator(`[data-testid="log-row"][data-sale-id="${saleId}"]`);
    await row.waitFor();
    expect(await row.locator('.log-cell--amount').innerText()).toMatch(/^tip\s*\$0\.92\s*USD$/);
    expect(await row.getByTestId('log-tip').count()).toBe(1);
    await expect.poll(() => text('log-totals')).toMatch(/Taken\s+USD\s+\$0\.92[\s\S]*Tips \$0\.12 on 1 sale/);
    await screenshot(till.page, 'tips-05-log');
    // At 1024 wide the total and its tip mark still fit their cell, whole.
    await till.page.setViewportSize(VIEWPORTS.small);
    expect(await horizontalOverflow(till.page, ['.log-cell--amount'])).toEqual({ document: 0, '.log-cell--amount': 0 });
    await till.page.setViewportSize(VIEWPORTS.laptop);

    await row.click();
    await till.page.getByTestId('sale-detail').waitFor();
    await expect.poll(() => till.page.locator('[data-fact="tip"]').innerText()).toMatch(/Tip\s+\$0\.12 \(15 %\) · chosen by the cashier/);
    expect(await till.page.locator('[data-fact="amount"]').innerText()).toMatch(/\$0\.80/);
    expect(await text('detail-total')).toBe('$0.92');
    await expect.poll(() => till.page.locator('[data-testid="sale-event"][data-outcome="tipped"]').count()).toBe(1);
    await screenshot(till.page, 'tips-06-sale-detail');

    await till.page.getByTestId('open-receipt').click();
    await till.page.getByTestId('receipt').waitFor();
    expect(await text('receipt-amount')).toBe('$0.92');
    expect(await text('receipt-subtotal')).toMatch(/^Subtotal\s+\$0\.80$/);
    expect(await text('receipt-tip')).toMatch(/^Tip 15 %\s+\$0\.12$/);
    expect(await text('receipt-total')).toMatch(/^Total\s+\$0\.92 USD$/);
    await screenshot(till.page, 'tips-07-receipt');

    await till.page.getByTestId('receipt-back').click();
    await till.page.getByTestId('detail-back').click();
    await till.page.getByTestId('open-end-of-day').click();
    await till.page.getByTestId('eod-mode').selectOption('sandbox');
    await expect.poll(() => text('eod-summary')).toMatch(/Tips \$0\.12 on 1 sale/);
    await screenshot(till.page, 'tips-08-end-of-day');
  });
});

describe('the tip choice on other screens', () => {
  for (const size of ['small', 'large'] as const) {
    it(`fits ${VIEWPORTS[size].width}×${VIEWPORTS[size].height} without sideways scrolling, with large amounts and the custom form open`, async () => {
      const sized = await openApp(till.browser, till.preview, VIEWPORTS[size]);
      try {
        for (const key of '987.65') await sized.keyboard.press(key);
        await sized.keyboard.press('Enter');
        await sized.getByTestId('tip-panel').waitFor();
        await sized.keyboard.press('c');
        await sized.getByTestId('custom-tip-form').waitFor();
        await sized.keyboard.type('148.15');
        await screenshot(sized, `tips-09-till-${size}`);
        const parts = ['.app-main', '.till', '.tip-panel', '.tip-option', '.tender-form'];
        expect(await horizontalOverflow(sized, parts)).toEqual({ document: 0, ...Object.fromEntries(parts.map((p) => [p, 0])) });
        // The choice's buttons are all in sight above the status bar.
        const bar = (await sized.locator('.status-bar').boundingBox())!;
        for (const box of await Promise.all((await sized.locator('.tip-option').all()).map((b) => b.boundingBox()))) {
          expect(box!.y + box!.height).toBeLessThanOrEqual(bar.y);
        }
      } finally {
        await sized.context().close();
      }
    });
  }
});

describe('the paid chime', () => {
  /** Counts every Web Audio oscillator started in the page, before the app's own scripts run. */
  async function countingPage(): Promise<Page> {
    const counted = await laptopPage(till.browser);
    await counted.addInitScript(`
      window.oscillatorStarts = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function () {
        const node = create.call(this);
        const start = node.start.bind(node);
        node.start = (...args) => { window.oscillatorStarts += 1; return start(...args); };
        return node;
      };
    `);
    await counted.goto(till.preview.url);
    await counted.getByTestId('charge').and(counted.locator(':enabled')).waitFor();
    return counted;
  }
  const starts = (p: Page) => p.evaluate('window.oscillatorStarts') as Promise<number>;

  /** One sale, tipped with N, paid by the sandbox's customer: PAID on the till. */
  async function payOneSale(p: Page): Promise<void> {
    for (const key of '0.3') await p.keyboard.press(key);
    await p.keyboard.press('Enter');
    await p.getByTestId('tip-panel').waitFor();
    await p.keyboard.press('n');
    await p.getByTestId('simulate-payment').click();
    await p.getByTestId('paid').waitFor({ timeout: 10_000 });
  }
  /** Next sale: back at the entry, so everything PAID set off has run. */
  async function nextSale(p: Page): Promise<void> {
    await p.getByTestId('next-sale').click();
    await expect.poll(() => p.getByTestId('amount').innerText()).toBe('$0.00');
  }

  it('sounds once per paid sale (two notes), and not at all once the owner turns it off', async () => {
    const counted = await countingPage();
    try {
      await expect.poll(() => counted.locator('.till').getAttribute('data-paid-sound')).toBe('true');
      expect(await starts(counted)).toBe(0);
      await payOneSale(counted);
      await nextSale(counted);
      expect(await starts(counted)).toBe(2);
      await payOneSale(counted);
      await nextSale(counted);
      expect(await starts(counted)).toBe(4);
      // A paid sale shown again after a reload is not news: no chime (the count starts again with the page).
      await payOneSale(counted);
      await counted.reload();
      await counted.getByTestId('paid').waitFor();
      await nextSale(counted);
      expect(await starts(counted)).toBe(0);

      // Settings are the owner's: created first; then a sale needs an open shift.
      await createOwnerInSettings(counted);
      await counted.getByTestId('settings-paid-sound').uncheck();
      await counted.getByTestId('settings-save').click();
      await expect.poll(() => counted.getByTestId('settings-message').innerText()).toMatch(/saved/i);
      expect(till.preview.core.settings.get().paidSound).toBe(false);
      await openShiftInUi(counted);
      await expect.poll(() => counted.locator('.till').getAttribute('data-paid-sound')).toBe('false');
      await payOneSale(counted);
      await nextSale(counted);
      expect(await starts(counted)).toBe(0);
    } finally {
      await counted.context().close();
    }
  });
});
