import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/screenshots');

/** Where a system Chromium or Chrome usually is. */
const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const NO_BROWSER =
  'No Chromium for the end-to-end tests: set CHROMIUM_PATH to a Chromium or Chrome binary, or install one (Debian: apt-get install chromium).';

/**
 * The browser the end-to-end tests drive: CHROMIUM_PATH when set, else a
 * system Chromium or Chrome, else the Chromium build that ships inside the
 * @sparticuz/chromium devDependency (Linux x64), so `npm install && npm test`
 * needs nothing but Node. Nowhere to be found: one line that says what to do.
 */
export async function findChromium(): Promise<{ path: string; source: string }> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist. ${NO_BROWSER}`);
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  if (process.platform === 'linux' && process.arch === 'x64') {
    const { default: bundled } = await import('@sparticuz/chromium');
    // Unpacks the compressed build into the temp directory once, then reuses it.
    return { path: await bundled.executablePath(), source: '@sparticuz/chromium' };
  }
  throw new Error(NO_BROWSER);
}

let found: Promise<{ path: string; source: string }> | null = null;

export async function launchChromium(): Promise<Browser> {
  found ??= findChromium();
  const { path } = await found;
  return chromium.launch({
    executablePath: path,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--lang=en-US'],
  });
}

/** A page the size of the counter laptop the till is designed for (or another size). */
export async function laptopPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<Page> {
  // A fixed locale: with LANG=C a bundled Chromium reports "en-US@posix", which Intl refuses.
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  // A step that cannot happen fails on its own, naming what it waited for,
  // well before the test's 30 s timeout would hide which step it was.
  page.setDefaultTimeout(20_000);
  return page;
}

/** The viewports the screens are checked at: the counter laptop, a small old screen, a large monitor. */
export const VIEWPORTS = {
  laptop: { width: 1366, height: 768 },
  small: { width: 1024, height: 768 },
  large: { width: 1920, height: 1080 },
} as const;

/**
 * How far each element (and the page itself, as "document") reaches past its
 * own width, in pixels: 0 means no sideways scrolling. Hidden or missing
 * elements count as 0.
 */
export async function horizontalOverflow(page: Page, selectors: string[]): Promise<Record<string, number>> {
  // Through the root element: these files are typed for Node, without the DOM's globals.
  return page.locator('html').evaluate((root, list) => {
    const doc = root.ownerDocument;
    const out: Record<string, number> = {};
    out.document = Math.max(root.scrollWidth, doc.body.scrollWidth) - root.clientWidth;
    for (const selector of list) {
      let worst = 0;
      for (const el of doc.querySelectorAll(selector)) worst = Math.max(worst, el.scrollWidth - el.clientWidth);
      out[selector] = worst;
    }
    return out;
  }, selectors);
}

/** Scrolls the app's screen area back to its top, so a screenshot shows a screen as it opens. */
export async function scrollToTop(page: Page): Promise<void> {
  await page.locator('.app-main').evaluate((el) => el.scrollTo(0, 0));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
