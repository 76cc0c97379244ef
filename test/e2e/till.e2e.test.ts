import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Preview } from '../../electron/preview/start-preview';
import { laptopPage, launchChromium, screenshot } from '../support/browser';
import { randomAddress } from '../support/temp-dir';
import { openApp, startSandboxPreview, typeAmount } from './e2e-preview';

// The whole till in real Chromium, through the browser preview: the same
// renderer, the same handler table, the same core as the Electron app.

let browser: Browser;
let preview: Preview;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  preview = await startSandboxPreview();
  page = await openApp(browser, preview);
});
afterEach(async () => {
  await page?.context().close();
  await preview?.close();
});

const sales = () => preview.core.reports.listSales({ mode: 'all' }).sales;
const amountShown = () => page.getByTestId('amount').innerText();

describe('the till in Chromium', () => {
  it('takes a full sandbox sale: "12.5", Enter, Code button, simulated payment, PAID, next sale', async () => {
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/sandbox/i);
    await screenshot(page, 'till-01-empty');
    await typeAmount(page, '12.5');
    await expect.poll(amountShown).toBe('$12.50');
    await screenshot(page, 'till-02-amount');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    expect(sales()[0]).toMatchObject({ amount: 1250, currency: 'usd', status: 'pending' });
    // The Code button mounts (its iframe is served by Code and cannot load here).
    await expect.poll(() => page.getByTestId('code-button').evaluate((el) => el.childElementCount)).toBeGreaterThan(0);
    await screenshot(page, 'till-03-waiting');
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('paid').innerText()).toMatch(/PAID[\s\S]*\$12\.50/);
    await screenshot(page, 'till-04-paid');
    expect(sales()[0]).toMatchObject({ amount: 1250, status: 'paid', firstProof: 'webhook' });
    await page.getByTestId('next-sale').click();
    await expect.poll(amountShown).toBe('$0.00');
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/paid/i);
  });

  it('types a decimal amount on the keypad: one separator, at most two decimals, Backspace over the separator', async () => {
    for (const key of ['1', '2', 'separator', 'separator', '5']) await page.getByTestId(`key-${key}`).click();
    await expect.poll(amountShown).toBe('$12.50');
    await page.getByTestId('key-7').click();
    await page.getByTestId('key-9').click(); // a third decimal is refused
    await expect.poll(amountShown).toBe('$12.57');
    for (let i = 0; i < 3; i++) await page.getByTestId('key-back').click(); // 7, 5, then the separator
    await page.getByTestId('key-0').click();
    await expect.poll(amountShown).toBe('$120.00');
    await page.keyboard.press(',');
    await page.keyboard.press('5');
    await expect.poll(amountShown).toBe('$120.50');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    expect(sales()[0]).toMatchObject({ amount: 120_50 });
  });

  it('asks before charging a large amount: Go back keeps the amount, Charge charges it', async () => {
    // A fresh install asks above about US$1,000.
    await typeAmount(page, '1500');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('confirm-charge');
    await dialog.waitFor();
    expect(await page.getByTestId('confirm-charge-amount').innerText()).toBe('$1,500.00');
    expect(await dialog.innerText()).toMatch(/more than \$1,000\.00/);
    await screenshot(page, 'till-07-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await amountShown()).toBe('$1,500.00');
    expect(sales()).toEqual([]);
    // Typing while the question is open does nothing; asking again and Go back does the same as Escape.
    await page.getByTestId('charge').click();
    await dialog.waitFor();
    await page.keyboard.press('9');
    await page.getByTestId('confirm-charge-back').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await amountShown()).toBe('$1,500.00');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    expect(sales()).toMatchObject([{ amount: 1_500_00, status: 'pending' }]);
    expect(await dialog.isVisible()).toBe(false);
  });

  it('shows the waiting sale again after the window reloads, and takes its payment', async () => {
    await typeAmount(page, '6.40');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    await page.reload();
    await page.getByTestId('waiting').waitFor();
    expect(await amountShown()).toBe('$6.40');
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
  });

  it('cancels a waiting sale', async () => {
    await typeAmount(page, '5');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('cancel-sale').click();
    await expect.poll(() => sales()[0]?.status).toBe('cancelled');
    await expect.poll(() => page.getByTestId('waiting').count()).toBe(0);
    await screenshot(page, 'till-05-cancelled');
  });

  it('shows PAID for a payment whose webhook was lost, recorded by status polling', async () => {
    await preview.core.listener.close();
    await typeAmount(page, '9.9');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 15_000 });
    expect(sales()[0]).toMatchObject({ amount: 990, status: 'paid', firstProof: 'status_poll' });
  });

  it('refuses an amount below the minimum with a clear message and keeps the amount', async () => {
    await typeAmount(page, '0.04');
    await page.getByTestId('charge').click();
    await expect.poll(() => page.getByTestId('till-error').innerText()).toMatch(/Code payments start at \$0\.05/);
    expect(await amountShown()).toBe('$0.04');
    expect(sales()).toEqual([]);
    await screenshot(page, 'till-06-error');
  });

  it('takes whole yen after the currency is switched to JPY, and logs the sale at ¥1,250', async () => {
    await page.getByTestId('settings-tab').click();
    await page.getByTestId('settings-currency').selectOption('jpy');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-message').innerText()).toMatch(/saved/i);
    await page.getByTestId('till-tab').click();
    await expect.poll(() => page.locator('.amount-currency').innerText()).toBe('JPY');
    // No separator key for a currency without minor units; "." from the keyboard is ignored.
    expect(await page.getByTestId('key-separator').count()).toBe(0);
    await page.getByTestId('key-00').waitFor();
    await typeAmount(page, '12.50');
    await expect.poll(amountShown).toBe('¥1,250');
    await screenshot(page, 'till-08-jpy');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    expect(sales()[0]).toMatchObject({ amount: 1250_00, currency: 'jpy' });
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('paid').innerText()).toMatch(/¥1,250/);
    await page.getByTestId('next-sale').click();
    await page.getByTestId('sales-log-tab').click();
    const row = page.getByTestId('log-row').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/¥1,250\s*JPY/);
    expect(await page.getByTestId('log-totals').innerText()).toMatch(/Taken\s+JPY\s+¥1,250/);
  });

  it('opens the sales log on the app’s mode (sandbox: the first sale of a fresh install is there), and follows it until the owner picks one', async () => {
    await typeAmount(page, '3');
    await page.keyboard.press('Enter');
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
    await page.getByTestId('next-sale').click();
    await page.getByTestId('sales-log-tab').click();
    await page.getByTestId('log-row').first().waitFor();
    expect(await page.getByTestId('log-mode').inputValue()).toBe('sandbox');
    expect(await page.getByTestId('log-row').count()).toBe(1);
    expect(await page.getByTestId('log-row').first().innerText()).toMatch(/\$3\.00[\s\S]*Paid[\s\S]*Sandbox/);
    expect(await page.getByTestId('log-totals').innerText()).toMatch(/Taken\s+USD\s+\$3\.00[\s\S]*1 paid sale/);
    await screenshot(page, 'log-06-sandbox-first-day');

    // The app goes live: the log follows, as the owner has not picked a mode.
    const switchMode = async (mode: 'live' | 'sandbox') => {
      await page.getByTestId('settings-tab').click();
      if (mode === 'live') await page.getByTestId('settings-deposit-address').fill(randomAddress());
      await page.getByTestId('settings-mode').selectOption(mode);
      await page.getByTestId('settings-save').click();
      await expect.poll(() => page.getByTestId('settings-message').innerText()).toMatch(/saved/i);
      await page.getByTestId('sales-log-tab').click();
    };
    await switchMode('live');
    await expect.poll(() => page.getByTestId('log-mode').inputValue()).toBe('live');
    await page.getByTestId('log-empty').waitFor();
    expect(await page.getByTestId('log-empty').innerText()).toMatch(/No live sales[\s\S]*Show sandbox sales/);

    // Once the owner picks a mode, it stays put.
    await page.getByTestId('log-mode').selectOption('all');
    await page.getByTestId('log-apply').click();
    await expect.poll(() => page.getByTestId('log-row').count()).toBe(1);
    await switchMode('sandbox');
    await page.getByTestId('log-row').first().waitFor();
    expect(await page.getByTestId('log-mode').inputValue()).toBe('all');
  });

  it('runs under its Content-Security-Policy without a single violation (no eval, no inline script)', async () => {
    const watched = await laptopPage(browser);
    // Runs before the app's own scripts (injected by the browser, so the policy does not apply to it).
    await watched.addInitScript(`
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber));
    `);
    await watched.goto(preview.url);
    await watched.getByTestId('charge').and(watched.locator(':enabled')).waitFor();
    for (const key of '2.5') await watched.keyboard.press(key);
    await watched.keyboard.press('Enter');
    await watched.getByTestId('waiting').waitFor();
    // The settings form checks a tunnel with shared's schema; the log's search hint comes from shared too.
    await watched.getByTestId('settings-tab').click();
    await watched.getByTestId('settings-tunnel-kind').selectOption('fixed');
    await watched.getByTestId('settings-tunnel-url').fill('not a url');
    await watched.getByTestId('settings-save').click();
    await watched.getByTestId('field-error-tunnel').waitFor();
    await watched.getByTestId('sales-log-tab').click();
    await watched.getByTestId('log-row').first().waitFor();
    expect(await watched.evaluate('window.cspViolations')).toEqual([]);
    await watched.context().close();
  });

  it('refuses a bridge request without the token', async () => {
    const origin = new URL(preview.url).origin;
    const status = await page.evaluate(async (o) => {
      const res = await fetch(`${o}/api/charge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: { amount: 500 } }) });
      return res.status;
    }, origin);
    expect(status).toBe(401);
    expect(sales()).toEqual([]);
  });
});
