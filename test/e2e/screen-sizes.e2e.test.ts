import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import { localDateOf } from '../../electron/shared/domain/local-days';
import { horizontalOverflow, screenshot, scrollToTop, VIEWPORTS } from '../support/browser';
import { tempDir } from '../support/temp-dir';
import { createOwnerInSettings, customerState, openApp, openCustomerPage, RENDERER_DIR, startSandboxPreview, tillCall, typeAmount, useChromium } from './e2e-preview';
import { DAY, seedHistory } from './seed-history';

// The same screens on a small old screen (1024×768) and a large monitor
// (1920×1080): nothing scrolls sideways on the small one, and on the large
// one the till fills the screen instead of sitting small in its middle.

const chromium = useChromium();
let preview: Preview;
let page: Page;
let customer: Page | undefined;

afterEach(async () => {
  await customer?.context().close();
  customer = undefined;
  await page?.context().close();
  await preview?.close();
});

async function start(viewport: { width: number; height: number }) {
  const dir = tempDir('counter-e2e-sizes-');
  seedHistory(dir);
  preview = await startPreview({ dataDir: dir, rendererDir: RENDERER_DIR, tunnel: { binary: { envPath: '' } } });
  page = await openApp(chromium.browser, preview, viewport);
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

  it('at 1024×768 the owner’s header (every tab, the customer display, the name and Lock) fits without scrolling', async () => {
    await start(VIEWPORTS.small);
    await createOwnerInSettings(page);
    const header = page.locator('.app-header');
    expect(await header.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    const inside = async (testId: string) => {
      const box = (await page.getByTestId(testId).boundingBox())!;
      return box.x >= 0 && box.x + box.width <= VIEWPORTS.small.width;
    };
    for (const testId of ['till-tab', 'shift-tab', 'sales-log-tab', 'audit-tab', 'settings-tab', 'open-customer-display', 'lock-till']) {
      expect(await inside(testId), testId).toBe(true);
    }
    await screenshot(page, 'size-1024-owner-header');
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

/**
 * Every element of the customer display that reaches outside the screen
 * (cut off: the display never scrolls), past its own box (overflowing
 * text), or out of the box of the element holding it (over its
 * neighbours), by class name; empty when all is in sight.
 */
async function cutOff(page: Page): Promise<string[]> {
  return page.locator('.customer').evaluate((root) => {
    const view = root.ownerDocument.defaultView!;
    const out: string[] = [];
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const name = el.getAttribute('class') ?? el.getAttribute('data-testid') ?? el.tagName;
      if (r.left < -0.5 || r.top < -0.5 || r.right > view.innerWidth + 0.5 || r.bottom > view.innerHeight + 0.5) out.push(`${name}: outside the screen`);
      // The scan code's own drawing (SVG) is checked as one picture.
      if (!(el instanceof view.HTMLElement) || el === root) continue;
      // A long shop name ends in "…" on purpose; anything else wider than its box is a fault. (Not
      // taller: a tight line height lets accents reach past the line box, and the checks below see height.)
      if (el.scrollWidth > el.clientWidth + 1 && view.getComputedStyle(el).textOverflow !== 'ellipsis') {
        out.push(`${name}: overflows`);
      }
      let parent = el.parentElement;
      // A box-less parent (display: contents) holds nothing itself: its own parent's box counts.
      while (parent && parent !== root && view.getComputedStyle(parent).display === 'contents') parent = parent.parentElement;
      if (parent && parent !== root) {
        const p = parent.getBoundingClientRect();
        // Sideways for all; up and down for boxes only (an inline run's glyphs may reach past a tight line).
        const inline = view.getComputedStyle(el).display === 'inline';
        if (r.left < p.left - 1 || r.right > p.right + 1 || (!inline && (r.top < p.top - 1 || r.bottom > p.bottom + 1))) {
          out.push(`${name}: out of ${parent.getAttribute('class')}`);
        }
      }
    }
    // The shop's name and the SANDBOX mark sit in the top corners: the state's own content starts below them.
    const section = root.querySelector(':scope > section')?.getBoundingClientRect();
    for (const corner of root.querySelectorAll(':scope > .customer-shop, :scope > .sandbox-mark')) {
      if (section && section.top < corner.getBoundingClientRect().bottom) out.push(`${corner.className}: over the content`);
    }
    return out;
  });
}

const fontSize = (page: Page, testId: string) =>
  page.getByTestId(testId).first().evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).fontSize));

describe('the customer display at 1920×1080 and 1280×800', () => {
  // A customer reads it from one or two metres: each state fills the screen, nothing is cut off, and the type is large.
  it.each([
    { name: 1920, viewport: VIEWPORTS.large, minBody: 40, minAmount: 200, minCode: 750 },
    { name: 1280, viewport: { width: 1280, height: 800 }, minBody: 26, minAmount: 140, minCode: 500 },
  ])('at $name px wide: idle, sale, tip, custom tip, code (split), PAID, each in sight and large', async ({ name, viewport, minBody, minAmount, minCode }) => {
    // PAID stays up until the till moves on (10 minutes here), so it can be looked at.
    preview = await startSandboxPreview({ sandboxMaximum: 100, customerPaidShownMs: 600_000 });
    await preview.core.updateSettings({
      shopName: 'Corner Café',
      codeMaximum: 5_00,
      tips: { enabled: true, presets: [10, 15, 20], custom: true },
      // Code's payment service down first: the sale shows without a code to scan.
      sandboxPaymentService: false,
    });
    page = await openApp(chromium.browser, preview);
    customer = await openCustomerPage(chromium.browser, preview, viewport);
    const shot = async (state: string, file: string) => {
      await expect.poll(() => customerState(customer!)).toBe(state);
      // The pointer off every button: a hovered option would look chosen in the picture.
      await customer!.mouse.move(viewport.width - 1, viewport.height - 1);
      expect(await cutOff(customer!), `${file} cut off`).toEqual([]);
      await screenshot(customer!, `customer-${name}-${file}`);
    };

    await shot('idle', '1-idle');
    expect(await fontSize(customer, 'customer-idle')).toBeGreaterThanOrEqual(minBody);

    // The sale, tipped, partly paid in cash: what it is made of and what is left.
    await typeAmount(page, '12');
    await page.keyboard.press('Enter');
    await customer.getByTestId('tip-option-15').click();
    await customer.getByTestId('customer-sale').waitFor();
    const saleId = preview.core.reports.listSales({ mode: 'all' }).sales[0]!.id;
    await tillCall(preview, 'takeCash', { saleId, tendered: 5_00 });
    await customer.getByTestId('customer-paid-so-far').waitFor();
    await shot('sale', '2-sale');
    expect(await fontSize(customer, 'customer-total')).toBeGreaterThanOrEqual(minAmount);
    expect(await fontSize(customer, 'customer-sale')).toBeGreaterThanOrEqual(minBody);
    await tillCall(preview, 'takeCash', { saleId, tendered: 8_80 });
    await shot('paid', '3-paid-cash');
    await page.getByTestId('next-sale').click();
    await shot('idle', '1-idle');

    // Code back: the tip, the custom keypad (with a mistake, then right), the code 1 and 2 of 3, PAID.
    await preview.core.updateSettings({ sandboxPaymentService: true });
    await typeAmount(page, '12');
    await page.keyboard.press('Enter');
    await shot('tip', '4-tip');
    for (const percent of [10, 15, 20]) expect(await fontSize(customer, `tip-option-${percent}`)).toBeGreaterThanOrEqual(minBody);
    await customer.getByTestId('tip-custom').click();
    for (const key of '12.345') await customer.keyboard.press(key);
    await customer.getByTestId('tip-custom-error').waitFor();
    await shot('tip', '5-custom-tip-error');
    for (let i = 0; i < 6; i++) await customer.keyboard.press('Backspace');
    for (const key of '2.5') await customer.keyboard.press(key);
    await shot('tip', '6-custom-tip');
    await customer.getByTestId('tip-custom-back').click();
    await customer.getByTestId('tip-option-15').click();
    await customer.getByTestId('customer-code').waitFor();
    await shot('code', '7-code-1-of-3');
    const code = (await customer.getByTestId('scan-code').boundingBox())!;
    expect(code.width).toBeGreaterThanOrEqual(minCode);
    expect(await fontSize(customer, 'customer-code-amount')).toBeGreaterThanOrEqual(minBody * 2);
    await page.getByTestId('simulate-payment').click();
    await expect.poll(() => customer!.getByTestId('customer-code-part').innerText(), { timeout: 15_000 }).toBe('Payment 2 of 3');
    await shot('code', '8-code-2-of-3');
    await page.getByTestId('simulate-payment').click();
    await expect.poll(() => customer!.getByTestId('customer-code-part').innerText(), { timeout: 15_000 }).toBe('Payment 3 of 3');
    await page.getByTestId('simulate-payment').click();
    await shot('paid', '9-paid');
    expect(await customer.getByTestId('customer-total').innerText()).toBe('$13.80');
  });

  it('at 1280×800, a sale of $9,999,999.99 with four presets still fits: tip, custom keypad, code, PAID', async () => {
    const viewport = { width: 1280, height: 800 };
    preview = await startSandboxPreview({ sandboxMaximum: 100_000_000, customerPaidShownMs: 600_000 });
    await preview.core.updateSettings({
      shopName: 'The Long Named Neighbourhood Hardware and Garden Supply Store',
      codeMaximum: 100_000_000_00,
      confirmAbove: 0,
      tips: { enabled: true, presets: [5, 10, 15, 20], custom: true },
    });
    page = await openApp(chromium.browser, preview);
    customer = await openCustomerPage(chromium.browser, preview, viewport);
    const shot = async (state: string, file: string) => {
      await expect.poll(() => customerState(customer!)).toBe(state);
      await customer!.mouse.move(viewport.width - 1, viewport.height - 1);
      expect(await cutOff(customer!), `${file} cut off`).toEqual([]);
      await screenshot(customer!, `customer-1280-long-${file}`);
    };
    await shot('idle', '1-idle');
    await typeAmount(page, '9999999.99');
    await page.keyboard.press('Enter');
    await shot('tip', '2-tip');
    expect(await customer.getByTestId('tip-option-20').innerText()).toMatch(/20 %\s+\$2,000,000\.00/);
    await customer.getByTestId('tip-custom').click();
    for (const key of '9999999.99') await customer.keyboard.press(key);
    await shot('tip', '3-custom-tip');
    await customer.getByTestId('tip-custom-back').click();
    await customer.getByTestId('tip-option-20').click();
    await shot('code', '4-code');
    expect(await customer.getByTestId('customer-code-amount').innerText()).toMatch(/Pay\s+\$11,999,999\.99/);
    await page.getByTestId('simulate-payment').click();
    await shot('paid', '5-paid');
  });
});
