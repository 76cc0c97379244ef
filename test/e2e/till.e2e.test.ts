import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { FAKE_CLOUDFLARED, loopbackFetch } from '../support/cloudflared-harness';
import { tempDir } from '../support/temp-dir';
import { laptopPage, launchChromium, screenshot } from '../support/browser';

// The whole till in real Chromium, through the browser preview: the same
// renderer, the same handler table, the same core as the Electron app.

const RENDERER_DIR = resolve(__dirname, '../../out/renderer');
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
  let listenerPort = 0;
  preview = await startPreview({
    dataDir: tempDir('counter-e2e-'),
    rendererDir: RENDERER_DIR,
   
    // The cloudflared stand-in, its public hostname routed to the real listener.
    tunnel: {
      binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
      spawn: { env: { FAKE_CLOUDFLARED_SCENARIO: 'ok' } },
      timing: { healthIntervalMs: 60_000 },
      // The stand-in's public hostname, routed to the real listener once its port is known.
      fetchImpl: (input, init) => loopbackFetch(listenerPort)(input, init),
    },
    sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
  });
  listenerPort = preview.core.listener.port;
  page = await laptopPage(browser);
  await page.goto(preview.url);
  await page.getByTestId('sandbox-banner').waitFor();
});
afterEach(async () => {
  await page?.context().close();
  await preview?.close();
});

async function typeAmount(keys: string) {
  await page.getByTestId('amount').waitFor();
  for (const key of keys) await page.keyboard.press(key);
}

describe('the till in Chromium', () => {
  it('takes a full sandbox sale: amount, Charge, Code button, simulated payment, PAID, next sale', async () => {
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/sandbox/i);
    await screenshot(page, '01-till-empty');
    await typeAmount('1250');
    await expect.poll(() => page.getByTestId('amount').innerText()).toBe('$12.50');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    // The Code button mounts (its iframe is served by Code and cannot load here).
    await expect.poll(() => page.getByTestId('code-button').evaluate((el) => el.childElementCount)).toBeGreaterThan(0);
    await screenshot(page, '02-till-waiting');
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('paid').innerText()).toMatch(/PAID[\s\S]*\$12\.50/);
    await screenshot(page, '03-till-paid');
    const [sale] = preview.core.ledger.listSales({ mode: 'sandbox' }).sales;
    expect(sale).toMatchObject({ amount: 1250, status: 'paid', firstProof: 'webhook' });
    await page.getByTestId('next-sale').click();
    await expect.poll(() => page.getByTestId('amount').innerText()).toBe('$0.00');
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/paid/i);
  });

  it('shows the waiting sale again after the window reloads, and takes its payment', async () => {
    await typeAmount('640');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    await page.reload();
    await page.getByTestId('waiting').waitFor();
    expect(await page.getByTestId('amount').innerText()).toBe('$6.40');
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 10_000 });
  });

  it('cancels a waiting sale', async () => {
    await typeAmount('500');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('cancel-sale').click();
    await expect.poll(() => preview.core.ledger.listSales({ mode: 'sandbox' }).sales[0]?.status).toBe('cancelled');
    await expect.poll(() => page.getByTestId('waiting').count()).toBe(0);
    await screenshot(page, '04-till-cancelled');
  });

  it('shows PAID for a payment whose webhook was lost, recorded by status polling', async () => {
    await preview.core.listener.close();
    await typeAmount('990');
    await page.getByTestId('charge').click();
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('simulate-payment').click();
    await page.getByTestId('paid').waitFor({ timeout: 15_000 });
    const [sale] = preview.core.ledger.listSales({ mode: 'sandbox' }).sales;
    expect(sale).toMatchObject({ status: 'paid', firstProof: 'status_poll' });
  });

  it('refuses an amount below the minimum with a clear message and keeps the amount', async () => {
    await typeAmount('4');
    await page.getByTestId('charge').click();
    await expect.poll(() => page.getByTestId('till-error').innerText()).toMatch(/Code payments start at \$0\.05/);
    expect(await page.getByTestId('amount').innerText()).toBe('$0.04');
    expect(preview.core.ledger.listSales({ mode: 'all' }).sales).toEqual([]);
    await screenshot(page, '05-till-error');
  });

  it('validates settings: a bad deposit address, and live mode without one', async () => {
    await page.getByTestId('settings-tab').click();
    await page.getByTestId('settings-deposit-address').fill('not-a-code-address');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('field-error-depositAddress').innerText()).toMatch(/“-” cannot appear in a Code deposit address/);
    await page.getByTestId('settings-deposit-address').fill('3yZe7dBq');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('field-error-depositAddress').innerText()).toMatch(/32 bytes/);
    await page.getByTestId('settings-deposit-address').fill('');
    await page.getByTestId('settings-mode').selectOption('live');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('field-error-mode').innerText()).toMatch(/deposit address/i);
    await screenshot(page, '06-settings-errors');
    expect(preview.core.settings.get()).toMatchObject({ mode: 'sandbox', depositAddress: null });
  });

  it('refuses a bridge request without the token', async () => {
    const origin = new URL(preview.url).origin;
    const status = await page.evaluate(async (o) => {
      const res = await fetch(`${o}/api/charge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: { amount: 500 } }) });
      return res.status;
    }, origin);
    expect(status).toBe(401);
    expect(preview.core.ledger.listSales({ mode: 'all' }).sales).toEqual([]);
  });
});
