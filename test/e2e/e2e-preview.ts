// The browser preview the till and settings end-to-end tests drive: a fresh
// data directory (so a fresh install, in sandbox mode), the fast sandbox
// sequencer, and the cloudflared stand-in with its public hostname routed to
// the real webhook listener.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { FAKE_CLOUDFLARED, loopbackFetch } from '../support/cloudflared-harness';
import { tempDir } from '../support/temp-dir';
import { laptopPage } from '../support/browser';

export const RENDERER_DIR = resolve(__dirname, '../../out/renderer');

/** `sandboxMaximum`: the largest single payment the sandbox takes, in decimal units (Code's table unless told: US$1.00). */
export async function startSandboxPreview(options: { sandboxMaximum?: number } = {}): Promise<Preview> {
  let listenerPort = 0;
  const preview = await startPreview({
    dataDir: tempDir('counter-e2e-'),
    rendererDir: RENDERER_DIR,
    tunnel: {
      binary: { configuredPath: FAKE_CLOUDFLARED, envPath: '' },
      spawn: { env: { FAKE_CLOUDFLARED_SCENARIO: 'ok' } },
      timing: { healthIntervalMs: 60_000 },
      fetchImpl: (input, init) => loopbackFetch(listenerPort)(input, init),
    },
    sandbox: {
      timeScale: 0.001,
      webhookTimeoutMs: 1_000,
      ...(options.sandboxMaximum !== undefined ? { maximumFor: () => options.sandboxMaximum! } : {}),
    },
  });
  listenerPort = preview.core.listener.port;
  return preview;
}

/** The preview's page at a viewport (the 1366×768 laptop unless told), once the app is up. */
export async function openApp(browser: Browser, preview: Preview, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await laptopPage(browser, viewport);
  await page.goto(preview.url);
  await page.getByTestId('sandbox-banner').waitFor();
  await page.getByTestId('charge').and(page.locator(':enabled')).waitFor();
  return page;
}

/** Presses each character as a key, as a cashier types an amount ("12.5"). */
export async function typeAmount(page: Page, keys: string): Promise<void> {
  await page.getByTestId('amount').waitFor();
  for (const key of keys) await page.keyboard.press(key);
}

/** The title of the Code payment on screen ("Code payment 2 of 3 — $1.00"), or null when none is. */
export async function codePaymentTitle(page: Page): Promise<string | null> {
  const title = page.getByTestId('code-payment-title');
  return (await title.count()) > 0 ? title.innerText() : null;
}

/**
 * Plays the customer for every Code payment of the sale on screen (the
 * sandbox's Simulate payment), waiting each time for the ledger's word: the
 * next payment shown, or PAID. Returns how many payments it took.
 */
export async function payEveryCodePayment(page: Page, limit = 20): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    const before = await codePaymentTitle(page);
    if (before === null) throw new Error('no Code payment is waiting on the till');
    await page.getByTestId('simulate-payment').click();
    await expect
      .poll(async () => (await page.getByTestId('paid').count()) > 0 || ((await codePaymentTitle(page)) ?? before) !== before, { timeout: 15_000 })
      .toBe(true);
    if ((await page.getByTestId('paid').count()) > 0) return n;
  }
  throw new Error(`the sale was not paid after ${limit} Code payments`);
}
