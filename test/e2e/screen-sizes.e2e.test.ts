import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { horizontalOverflow, launchChromium, screenshot, scrollToTop, VIEWPORTS } from '../support/browser';
import { tempDir } from '../support/temp-dir';
import { openApp, RENDERER_DIR, typeAmount } from './e2e-preview';
import { DAY, seedHistory } from './seed-history';

// The same screens on a small old screen (1024×768) and a large monitor
// (1920×1080): nothing scrolls sideways on the small one, and on the large
// one the till fills the screen instead of sitting small in its middle.

let browser: Browser;
let preview: Preview;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.context().close();
  await preview?.close();
});

async function start(viewport: { width: number; height: number }) {
  const dir = tempDir('counter-e2e-sizes-');
  seedHistory(dir);
  preview = await startPreview({ dataDir: dir, rendererDir: RENDERER_DIR, tunnel: { binary: { envPath: '' } } });
  page = await openApp(browser, preview, viewport);
}

const SCROLLERS = ['.app-main', '.sales-log', '.log-view', '.log-rows', '.log-filters', '.log-summary'];

describe('screen sizes', () => {
  it('at 1024×768 the sales list and the page never scroll sideways; columns wrap or step aside', async () => {
    await start(VIEWPORTS.small);
    await page.getByTestId('sales-log-tab').click();
    await page.getByTestId('log-show-live').click();
    await page.getByTestId('log-from').fill(localDateOf(Date.now() - 14 * DAY, preview.core.ledger.timeZone));
    await page.getByTestId('log-apply').click();
    await expect.poll(() => page.getByTestId('log-row').count()).toBe(9);
    await page.getByTestId('log-chart').locator('canvas').first().waitFor();
    expect(await horizontalOverflow(page, SCROLLERS)).toEqual(Object.fromEntries(['document', ...SCROLLERS].map((k) => [k, 0])));
    // Every row's cells stay inside the row.
    const outside = await page.getByTestId('log-row').evaluateAll((rows) =>
      rows.flatMap((row) => {
        const box = row.getBoundingClientRect();
        return [...row.children].filter((c) => {
          const r = c.getBoundingClientRect();
          return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5);
        }).map((c) => c.className);
      }),
    );
    expect(outside).toEqual([]);
    await scrollToTop(page);
    await screenshot(page, 'size-1024-log');
    await page.locator('.app-main').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(page, 'size-1024-log-rows');
    await page.getByTestId('till-tab').click();
    await typeAmount(page, '2.5');
    expect(await horizontalOverflow(page, ['.app-main', '.till'])).toEqual({ document: 0, '.app-main': 0, '.till': 0 });
    await screenshot(page, 'size-1024-till');

    // A split sale, partly paid, with the cash form open: still nothing sideways, and the form's buttons in sight.
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    await page.getByTestId('simulate-payment').click();
    await expect.poll(() => page.getByTestId('code-payment-title').innerText(), { timeout: 15_000 }).toBe('Code payment 2 of 3 — $1.00');
    await page.getByTestId('open-cash').click();
    await page.getByTestId('cash-form').waitFor();
    expect(await horizontalOverflow(page, ['.app-main', '.till', '.tender-form', '.tenders'])).toEqual({ document: 0, '.app-main': 0, '.till': 0, '.tender-form': 0, '.tenders': 0 });
    const take = (await page.getByTestId('take-cash').boundingBox())!;
    expect(take.y + take.height).toBeLessThanOrEqual((await page.locator('.status-bar').boundingBox())!.y);
    await screenshot(page, 'size-1024-till-cash');
  });

  it('at 1920×1080 the till uses the screen: a larger amount, keypad and buttons', async () => {
    await start(VIEWPORTS.large);
    await typeAmount(page, '12.5');
    const box = async (testId: string) => (await page.getByTestId(testId).boundingBox())!;
    const amount = await page.locator('.amount').boundingBox();
    const keypad = await page.locator('.keypad').boundingBox();
    const charge = await box('charge');
    const key = await box('key-7');
    const { width, height } = VIEWPORTS.large;
    // Together they span most of the width and the height below the header.
    const left = Math.min(amount!.x, keypad!.x);
    const right = Math.max(amount!.x + amount!.width, keypad!.x + keypad!.width);
    const top = Math.min(amount!.y, keypad!.y);
    const bottom = Math.max(charge.y + charge.height, keypad!.y + keypad!.height);
    expect((right - left) / width).toBeGreaterThan(0.85);
    expect((bottom - top) / height).toBeGreaterThan(0.55);
    // Bigger than on the 1366×768 laptop (keys 64px tall, Charge 88px, the amount at 96px).
    expect(key.height).toBeGreaterThanOrEqual(96);
    expect(charge.height).toBeGreaterThanOrEqual(120);
    const fontSize = await page.getByTestId('amount').evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(140);
    expect(await horizontalOverflow(page, ['.app-main'])).toEqual({ document: 0, '.app-main': 0 });
    await screenshot(page, 'size-1920-till');
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
    await screenshot(page, 'size-1920-till-waiting');
  });
});
