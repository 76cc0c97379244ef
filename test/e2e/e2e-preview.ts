// The browser preview the till and settings end-to-end tests drive: a fresh
// data directory (so a fresh install, in sandbox mode), the fast sandbox
// sequencer, and the cloudflared stand-in with its public hostname routed to
// the real webhook listener.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { FAKE_CLOUDFLARED, loopbackFetch } from '../support/cloudflared-harness';
import { tempDir } from '../support/temp-dir';
import { laptopPage } from '../support/browser';

export const RENDERER_DIR = resolve(__dirname, '../../out/renderer');

export async function startSandboxPreview(): Promise<Preview> {
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
    sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
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
