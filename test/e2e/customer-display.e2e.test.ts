import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Preview } from '../../electron/preview/start-preview';
import { screenshot } from '../support/browser';
import {
  codePaymentTitle,
  customerState,
  customerStatesSeen,
  customerUrlOf,
  openApp,
  openCustomerPage,
  payEveryCodePayment,
  startSandboxPreview,
  typeAmount,
  useChromium,
} from './e2e-preview';

// The till and the customer display side by side in one Chromium, through
// the preview: the cashier rings up on one page, the customer chooses the
// tip and sees the code on the other, and both follow the ledger's word. The
// customer page holds no control but the tip and reaches nothing but its own
// small API.

const chromium = useChromium();
let preview: Preview | undefined;
let till: Page | undefined;
let customer: Page | undefined;

afterEach(async () => {
  await customer?.context().close();
  await till?.context().close();
  await preview?.close();
  customer = till = preview = undefined;
});

/**
 * A fresh sandbox till and its customer display. The sandbox takes up to
 * US$100.00 per payment and the till is told so (codeMaximum), so a tipped
 * 12.00 is one Code payment; `split` keeps Code's US$1.00 instead.
 */
async function begin(options: { tips?: boolean; split?: boolean; customerPaidShownMs?: number } = {}) {
  preview = await startSandboxPreview({ sandboxMaximum: 100, ...(options.customerPaidShownMs ? { customerPaidShownMs: options.customerPaidShownMs } : {}) });
  await preview.core.updateSettings({
    shopName: 'Corner Café',
    ...(options.split ? {} : { codeMaximum: 100_00 }),
    ...(options.tips ? { tips: { enabled: true, presets: [10, 15, 20], custom: true } } : {}),
  });
  till = await openApp(chromium.browser, preview);
  customer = await openCustomerPage(chromium.browser, preview);
  return { till, customer, preview };
}

const lastSale = () => preview!.core.reports.listSales({ mode: 'all' }).sales[0]!;
const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();
const intentOn = (page: Page) => page.getByTestId('scan-code').getAttribute('data-intent-id');

/** The cashier rings up `amount` on the till's keypad and presses Enter. */
async function charge(page: Page, amount: string) {
  await typeAmount(page, amount);
  await page.keyboard.press('Enter');
}

/** Every button on the customer page, by test id: the only controls it may have are the tip's. */
async function customerControls(page: Page) {
  const buttons = await page.locator('button').evaluateAll((list) => list.map((b) => b.getAttribute('data-testid') ?? `(no test id: ${b.textContent})`));
  const others = await page.locator('a, input, select, textarea, iframe, [contenteditable="true"], [tabindex]:not(button)').count();
  return { buttons, others };
}
/**
 * The states seen, without the sale shown for a moment while a payment's
 * code is being drawn (just before "code"), and one "code" for the several
 * payments of a split sale.
 */
const withoutDrawing = (seen: string[]) =>
  seen.filter((state, i) => !(state === 'sale' && seen[i + 1] === 'code')).filter((state, i, list) => state !== list[i - 1]);
const TIP_CONTROL = /^(tip-option-\d+|tip-custom|tip-none|tip-key-(\d|separator|back)|tip-custom-(back|confirm))$/;

describe('the customer display beside the till', () => {
  it('with tips on: the customer chooses 15 %, both pages draw the same code, and both say PAID for $13.80', async () => {
    const { till, customer } = await begin({ tips: true });
    expect(await text(customer, 'customer-idle')).toMatch(/Corner Café[\s\S]*Pay with Code/);
    expect(await text(customer, 'customer-sandbox')).toMatch(/SANDBOX/);

    await charge(till, '12');
    await customer.getByTestId('customer-tip').waitFor();
    expect(await text(customer, 'customer-amount')).toBe('$12.00');
    const option = async (percent: number) => (await text(customer, `tip-option-${percent}`)).replace(/\s+/g, ' ');
    expect([await option(10), await option(15), await option(20)]).toEqual(['10 % $1.20', '15 % $1.80', '20 % $2.40']);
    expect(await customer.getByTestId('tip-custom').isVisible()).toBe(true);
    expect(await customer.getByTestId('tip-none').isVisible()).toBe(true);
    // The ledger holds the sale waiting for its tip, and no Code payment yet.
    expect(lastSale()).toMatchObject({ amount: 1200, awaitingTip: true, tipAmount: 0, tenders: [] });

    await customer.getByTestId('tip-option-15').click();
    await customer.getByTestId('customer-code').waitFor();
    await till.getByTestId('scan-code').waitFor();
    const intent = lastSale().tenders[0]!.intentId;
    expect(intent).toBeTruthy();
    expect(await intentOn(customer)).toBe(intent);
    await expect.poll(() => intentOn(till)).toBe(intent);
    expect(await customer.getByTestId('scan-code').locator('path').count()).toBeGreaterThan(20);
    expect(await text(customer, 'customer-code-amount')).toBe('Pay $13.80');
    expect(await text(customer, 'customer-total')).toBe('Total $13.80');
    expect(await text(customer, 'customer-tip-line')).toMatch(/Tip\s+\$1\.80/);
    // One payment: no "Payment 1 of 1".
    expect(await customer.getByTestId('customer-code-part').count()).toBe(0);
    expect(lastSale()).toMatchObject({ amount: 1200, tipAmount: 180, tipPercent: 15, tipChosenBy: 'customer', awaitingTip: false });
    expect(await codePaymentTitle(till)).toMatch(/\$13\.80/);

    expect(await payEveryCodePayment(till)).toBe(1);
    await customer.getByTestId('customer-paid').waitFor();
    expect(await text(customer, 'customer-total')).toBe('$13.80');
    expect(await text(customer, 'customer-paid')).toMatch(/PAID[\s\S]*\$13\.80[\s\S]*\$1\.80 tip[\s\S]*Thank you/);
    expect(await text(till, 'paid')).toMatch(/PAID[\s\S]*\$13\.80/);
    expect(lastSale()).toMatchObject({ status: 'paid', paidAmount: 1380, tipAmount: 180 });
    expect(withoutDrawing(await customerStatesSeen(customer))).toEqual(['connecting', 'idle', 'tip', 'code', 'paid']);
    // The whole way through, the customer page ran under its policy without a violation.
    expect(await customer.evaluate('window.cspViolations')).toEqual([]);
  });

  it('with tips off: the customer page goes from the sale straight to the code, with no tip to choose', async () => {
    const { till, customer } = await begin({ split: true });
    await charge(till, '2.5');
    await customer.getByTestId('customer-code').waitFor();
    // Split at Code's US$1.00: the customer sees which part and what is left.
    expect(await text(customer, 'customer-code-part')).toBe('Payment 1 of 3');
    expect(await text(customer, 'customer-code-amount')).toBe('Pay $1.00');
    expect(await text(customer, 'customer-total')).toBe('Total $2.50');
    expect(await customer.getByTestId('customer-tip-line').count()).toBe(0);
    expect(await intentOn(customer)).toBe(lastSale().tenders[0]!.intentId);

    await till.getByTestId('simulate-payment').click();
    await expect.poll(() => customer.getByTestId('customer-code-part').innerText(), { timeout: 15_000 }).toBe('Payment 2 of 3');
    await expect.poll(() => intentOn(customer)).toBe(lastSale().tenders[1]!.intentId);
    expect(await text(customer, 'customer-paid-so-far')).toMatch(/Paid so far\s+\$1\.00/);
    expect(await text(customer, 'customer-left')).toMatch(/Left to pay\s+\$1\.50/);

    expect(await payEveryCodePayment(till)).toBe(2);
    await customer.getByTestId('customer-paid').waitFor();
    expect(await text(customer, 'customer-total')).toBe('$2.50');
    expect(await customer.getByTestId('customer-tip-line').count()).toBe(0);
    const seen = await customerStatesSeen(customer);
    expect(seen).not.toContain('tip');
    expect(withoutDrawing(seen)).toEqual(['connecting', 'idle', 'code', 'paid']);
    expect(lastSale()).toMatchObject({ status: 'paid', tipAmount: 0, tipChosenBy: null, awaitingTip: false });
  });

  it('"No tip" on the customer page: a tip of 0, chosen by the customer, and the total is the amount', async () => {
    const { till, customer } = await begin({ tips: true });
    await charge(till, '12');
    await customer.getByTestId('tip-none').click();
    await customer.getByTestId('customer-code').waitFor();
    expect(await text(customer, 'customer-code-amount')).toBe('Pay $12.00');
    expect(await text(customer, 'customer-total')).toBe('Total $12.00');
    expect(await customer.getByTestId('customer-tip-line').count()).toBe(0);
    expect(lastSale()).toMatchObject({ amount: 1200, tipAmount: 0, tipPercent: null, tipChosenBy: 'customer', awaitingTip: false });
    await payEveryCodePayment(till);
    await customer.getByTestId('customer-paid').waitFor();
    expect(await text(customer, 'customer-total')).toBe('$12.00');
    expect(lastSale()).toMatchObject({ status: 'paid', paidAmount: 1200 });
  });

  it('a custom tip is checked on the customer page (nothing typed, three decimals, above the maximum) before one is sent', async () => {
    const { till, customer } = await begin({ tips: true });
    await charge(till, '12');
    await customer.getByTestId('tip-custom').click();
    await customer.getByTestId('customer-tip-keypad').waitFor();
    const error = customer.getByTestId('tip-custom-error');
    const confirm = customer.getByTestId('tip-custom-confirm');
    const stillWaiting = () => expect(lastSale()).toMatchObject({ awaitingTip: true, tipAmount: 0, tenders: [] });
    expect(await error.isVisible()).toBe(false);
    expect(await text(customer, 'customer-custom-tip')).toMatch(/Up to \$12\.00/);

    // Nothing typed.
    await confirm.click();
    await expect.poll(() => error.innerText()).toBe('Type the tip amount, or go back.');
    stillWaiting();

    // Three decimals, on the keypad: said at once, and Add sends nothing.
    for (const key of ['1', 'separator', '2', '3', '4']) await customer.getByTestId(`tip-key-${key}`).click();
    expect(await text(customer, 'tip-custom-entry')).toMatch(/1\.234/);
    await expect.poll(() => error.innerText()).toBe('At most two decimals (cents), like 2.50.');
    expect(await customer.getByTestId('tip-custom-entry').getAttribute('aria-invalid')).toBe('true');
    await confirm.click();
    expect(await customer.getByTestId('customer-tip-keypad').isVisible()).toBe(true);
    stillWaiting();

    // Above the maximum (the sale's amount), typed on a keyboard; Enter sends nothing.
    for (let i = 0; i < 5; i++) await customer.getByTestId('tip-key-back').click();
    for (const key of '12.01') await customer.keyboard.press(key);
    await expect.poll(() => error.innerText()).toBe('The largest tip is $12.00.');
    await customer.keyboard.press('Enter');
    stillWaiting();

    // Escape goes back to the choices; Custom opens an empty keypad again.
    await customer.keyboard.press('Escape');
    await customer.getByTestId('tip-option-15').waitFor();
    await customer.getByTestId('tip-custom').click();
    expect(await text(customer, 'tip-custom-entry')).not.toMatch(/12/);

    // A right amount: Add says what it adds, and Enter sends it.
    for (const key of '2,5') await customer.keyboard.press(key);
    expect(await error.isVisible()).toBe(false);
    expect(await confirm.innerText()).toBe('Add $2.50 tip');
    await screenshot(customer, 'customer-e2e-custom-tip');
    await customer.keyboard.press('Enter');
    await customer.getByTestId('customer-code').waitFor();
    expect(await text(customer, 'customer-code-amount')).toBe('Pay $14.50');
    expect(lastSale()).toMatchObject({ amount: 1200, tipAmount: 250, tipPercent: null, tipChosenBy: 'customer', awaitingTip: false });
  });

  it('the customer page holds no cashier control, and its token opens nothing of the till', async () => {
    const { till, customer, preview } = await begin({ tips: true });
    const idle = await customerControls(customer);
    expect(idle).toEqual({ buttons: [], others: 0 });
    // Keys do nothing on the customer page outside the tip: no sale, no change.
    for (const key of ['Enter', 'Escape', '1', '2', 'Delete', 'F1', 'c']) await customer.keyboard.press(key);
    expect(await customerState(customer)).toBe('idle');
    expect(preview.core.reports.listSales({ mode: 'all' }).sales).toEqual([]);

    await charge(till, '12');
    await customer.getByTestId('customer-tip').waitFor();
    const tip = await customerControls(customer);
    expect(tip.others).toBe(0);
    expect(tip.buttons.length).toBeGreaterThan(0);
    expect(tip.buttons.filter((id) => !TIP_CONTROL.test(id))).toEqual([]);
    await customer.getByTestId('tip-custom').click();
    const keypad = await customerControls(customer);
    expect(keypad.others).toBe(0);
    expect(keypad.buttons.filter((id) => !TIP_CONTROL.test(id))).toEqual([]);
    await customer.getByTestId('tip-custom-back').click();
    await customer.getByTestId('tip-option-10').click();
    await customer.getByTestId('customer-code').waitFor();
    expect(await customerControls(customer)).toEqual({ buttons: [], others: 0 });

    // The customer's token, presented to the till's API and events (both headers, and as a query): refused.
    const customerToken = new URL(await customerUrlOf(preview)).searchParams.get('token')!;
    expect(customerToken).not.toBe(preview.token);
    const statuses = (await customer.evaluate(async (t) => {
      const post = (path: string, headers: Record<string, string>) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((r) => r.status);
      return [
        await post('/api/getSettings', { 'X-Counter-Token': t }),
        await post('/api/getSettings', { 'X-Counter-Customer-Token': t }),
        await post('/api/cancelSale', { 'X-Counter-Token': t }),
        await fetch(`/events?token=${encodeURIComponent(t)}`).then((r) => r.status),
      ];
    }, customerToken)) as number[];
    expect(statuses).toEqual([401, 401, 401, 401]);
    // And the till's token does not open the customer's routes either.
    const tillOnCustomer = (await customer.evaluate(async (t) => {
      const r = await fetch('/customer-api/customerView', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Counter-Customer-Token': t }, body: '{}' });
      return r.status;
    }, preview.token)) as number;
    expect(tillOnCustomer).toBe(401);

    // The customer page's scripts hold none of the cashier's API: its bundle is its own.
    const scripts = (await customer.locator('script[src]').evaluateAll((list) => list.map((s) => s.getAttribute('src')!))) as string[];
    expect(scripts.length).toBeGreaterThan(0);
    const code = (await customer.evaluate(async (srcs) => (await Promise.all(srcs.map((s) => fetch(s).then((r) => r.text())))).join('\n'), scripts)) as string;
    expect(code).not.toContain('X-Counter-Token');
    expect(code).not.toContain('/api/');
    expect(lastSale()).toMatchObject({ status: 'pending', tipAmount: 120 });
  });

  it('refuses the customer page without its token, or with a wrong one (or the till\'s), and shows no app', async () => {
    const { customer, preview } = await begin();
    const origin = new URL(preview.url).origin;
    for (const path of ['/customer', '/customer?token=wrong', `/customer?token=${encodeURIComponent(preview.token)}`, '/customer.html']) {
      const response = await customer.goto(`${origin}${path}`);
      expect(response?.status(), path).toBe(401);
      expect(await customer.getByTestId('customer-display').count(), path).toBe(0);
      expect(await customer.locator('script').count(), path).toBe(0);
    }
  });

  it('goes back to idle at once when the till cancels the sale, and after PAID once it has been shown', async () => {
    const { till, customer } = await begin({ tips: true, customerPaidShownMs: 1_500 });
    await charge(till, '12');
    await customer.getByTestId('customer-tip').waitFor();
    await till.getByTestId('cancel-sale').click();
    await customer.getByTestId('customer-idle').waitFor();
    expect(lastSale().status).toBe('cancelled');

    await till.getByTestId('next-sale').click();
    await charge(till, '3');
    await customer.getByTestId('tip-none').click();
    await customer.getByTestId('customer-code').waitFor();
    await payEveryCodePayment(till);
    // PAID is shown, then idle by itself (the core's timer; 1.5 s here).
    await customer.getByTestId('customer-idle').waitFor();
    expect(withoutDrawing(await customerStatesSeen(customer))).toEqual(['connecting', 'idle', 'tip', 'idle', 'tip', 'code', 'paid', 'idle']);
  });

  it('a tip for a sale the till no longer asks about is refused and said so; the page then catches up with the till', async () => {
    const { till, customer } = await begin({ tips: true });
    await charge(till, '12');
    await customer.getByTestId('customer-tip').waitFor();
    // The customer page loses its stream of views (a dropped connection; reloaded so the open stream goes too):
    // it reads the tip once at start, and still shows it when the cashier cancels.
    await customer.route('**/customer-events*', (route) => route.abort());
    await customer.reload();
    await customer.getByTestId('customer-tip').waitFor();
    await till.getByTestId('cancel-sale').click();
    await expect.poll(() => lastSale().status).toBe('cancelled');
    expect(await customerState(customer)).toBe('tip');

    await customer.getByTestId('tip-option-15').click();
    await expect.poll(() => customer.getByTestId('customer-tip-error').innerText()).toBe('No tip is being asked for now.');
    expect(lastSale()).toMatchObject({ status: 'cancelled', tipAmount: 0, tipChosenBy: null });
    // The buttons work again (nothing stays waiting), and once the stream is back the page shows the till's state.
    expect(await customer.getByTestId('tip-option-15').isEnabled()).toBe(true);
    await customer.unroute('**/customer-events*');
    await customer.getByTestId('customer-idle').waitFor();
  });
});
