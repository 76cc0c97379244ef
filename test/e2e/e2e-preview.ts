// The browser preview the till and settings end-to-end tests drive: a fresh
// data directory (so a fresh install, in sandbox mode), the fast sandbox
// sequencer, and the cloudflared stand-in with its public hostname routed to
// the real webhook listener.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startPreview, type Preview } from '../../electron/preview/start-preview';
import type { ApiArgs, ApiMethod, ApiResults, Envelope, SettingsPatch } from '../../electron/shared/contract';
import { FAKE_CLOUDFLARED, loopbackFetch } from '../support/cloudflared-harness';
import { startStandInPrinter, type StandInPrinter } from '../support/escpos-printer';
import { tempDir } from '../support/temp-dir';
import { laptopPage, launchChromium } from '../support/browser';

export const RENDERER_DIR = resolve(__dirname, '../../out/renderer');

/**
 * `sandboxMaximum`: the largest single payment the sandbox takes, in decimal units (Code's table unless told: US$1.00).
 * `customerPaidShownMs`: how long the customer display shows PAID before idle (10 s unless told).
 */
export interface SandboxPreviewOptions {
  sandboxMaximum?: number;
  customerPaidShownMs?: number;
}

export async function startSandboxPreview(options: SandboxPreviewOptions = {}): Promise<Preview> {
  let listenerPort = 0;
  const preview = await startPreview({
    dataDir: tempDir('counter-e2e-'),
    rendererDir: RENDERER_DIR,
    // A shop database hosted by the till under test listens on loopback only.
    shopHostListen: '127.0.0.1',
    ...(options.customerPaidShownMs !== undefined ? { customerPaidShownMs: options.customerPaidShownMs } : {}),
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

/**
 * One Chromium for the whole test file: launched before its first test,
 * closed after its last. Call at the top of the file; read `browser` inside
 * the tests and hooks.
 */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not running: useChromium() is read outside a test');
      return browser;
    },
  };
}

export interface SandboxTillOptions extends SandboxPreviewOptions {
  /** Starts the stand-in receipt printer before the preview (read it as `printer`), closed after the preview. */
  printer?: boolean;
  /** Settings set through the core before the page opens (tips on, say). */
  settings?: SettingsPatch;
  /** Creates the owner (TEST_OWNER) on the Settings screen once the till is up, leaving the page on the settings form. */
  owner?: boolean;
  /** Starts the preview instead of startSandboxPreview(options) (a seeded data directory, say). */
  startPreview?: () => Promise<Preview>;
  /** Opens the page instead of openApp (the laptop page on the till, once it is up). */
  openPage?: (browser: Browser, preview: Preview) => Promise<Page>;
}

/** What each test of a file drives: the file's Chromium, this test's preview and page, and the stand-in printer when asked for. */
export interface SandboxTill {
  readonly browser: Browser;
  readonly preview: Preview;
  readonly page: Page;
  readonly printer: StandInPrinter;
}

/**
 * The till every test of the file starts on: one Chromium for the file
 * (useChromium), and for each test a fresh sandbox preview and the till's
 * page on it, closed after the test (the page, then the preview, then the
 * stand-in printer). Call at the top of the file; the getters give this
 * test's.
 */
export function useSandboxTill(options: SandboxTillOptions = {}): SandboxTill {
  const chromium = useChromium();
  let preview: Preview | undefined;
  let page: Page | undefined;
  let printer: StandInPrinter | undefined;
  beforeEach(async () => {
    if (options.printer) printer = await startStandInPrinter();
    preview = await (options.startPreview ?? (() => startSandboxPreview(options)))();
    if (options.settings) await preview.core.updateSettings(options.settings);
    page = await (options.openPage ?? openApp)(chromium.browser, preview);
    if (options.owner) await createOwnerInSettings(page);
  });
  afterEach(async () => {
    await page?.context().close();
    await preview?.close();
    await printer?.close();
    page = preview = printer = undefined;
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what}: read useSandboxTill()'s inside a test`);
    return value;
  };
  return {
    get browser() {
      return chromium.browser;
    },
    get preview() {
      return started(preview, 'preview');
    },
    get page() {
      return started(page, 'page');
    },
    get printer() {
      if (!options.printer) throw new Error('no stand-in printer: useSandboxTill({ printer: true }) starts one');
      return started(printer, 'stand-in printer');
    },
  };
}

/** Presses each character as a key, as a cashier types an amount ("12.5"). */
export async function typeAmount(page: Page, keys: string): Promise<void> {
  await page.getByTestId('amount').waitFor();
  for (const key of keys) await page.keyboard.press(key);
}

/** The title of the Code payment on screen ("Code payment 2 of 3 — $1.00"), or null when none is. */
export async function codePaymentTitle(page: Page): Promise<string | null> {
  // Read without waiting: a title that leaves between a count and a read (the
  // payment just credited) must give null, not a 20-second wait for it.
  return (await page.getByTestId('code-payment-title').allInnerTexts())[0] ?? null;
}

/**
 * Plays the customer for every Code payment of the sale on screen (the
 * sandbox's Simulate payment), waiting each time for the ledger's word: the
 * next payment shown, or PAID. Returns how many payments it took.
 */
export async function payEveryCodePayment(page: Page, limit = 20): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    // The till may still be drawing the payment the customer display already shows.
    await expect.poll(async () => (await codePaymentTitle(page)) !== null, { timeout: 15_000, message: 'no Code payment is waiting on the till' }).toBe(true);
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

/**
 * One call to the till's API through the bridge, with the till's token, as
 * the till page makes it (settings the test needs before a sale, say). The
 * value, or an error naming the refusal.
 */
export async function tillCall<M extends ApiMethod>(preview: Preview, method: M, args?: ApiArgs<M>): Promise<ApiResults[M]> {
  const response = await fetch(`http://127.0.0.1:${preview.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Counter-Token': preview.token },
    body: JSON.stringify(args === undefined ? {} : { args }),
  });
  const answer = (await response.json()) as Envelope<ApiResults[M]>;
  if (!answer.ok) throw new Error(`${method} refused (HTTP ${response.status}): ${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}

/**
 * The customer display's address in the preview, with its own token: what
 * the preview reports, or else what the till's openCustomerDisplay answers
 * (the address the till opens in a new window).
 */
export async function customerUrlOf(preview: Preview): Promise<string> {
  const reported = (preview as Preview & { customerUrl?: string }).customerUrl;
  if (reported) return reported;
  const opened = await tillCall(preview, 'openCustomerDisplay');
  if (opened.kind !== 'url') throw new Error(`openCustomerDisplay answered ${JSON.stringify(opened)}, not the page's address`);
  return new URL(opened.url, preview.url).href;
}

/** The customer display's size unless told: a small 1280×800 screen turned to the customer. */
export const CUSTOMER_SCREEN = { width: 1280, height: 800 } as const;

/**
 * Injected before the customer page's own scripts: every state the display
 * shows, in order (one entry per change, so a state on screen for a moment
 * is not missed by a test that looks later), and any Content-Security-Policy
 * violation.
 */
const CUSTOMER_RECORDER = `
  window.customerStates = [];
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber));
  new MutationObserver(() => {
    const state = document.querySelector('[data-testid="customer-display"]')?.getAttribute('data-state');
    const seen = window.customerStates;
    if (state && seen[seen.length - 1] !== state) seen.push(state);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
`;

/** The customer display in its own page of the same browser, once it shows a view (not "Connecting…"). */
export async function openCustomerPage(browser: Browser, preview: Preview, viewport: { width: number; height: number } = CUSTOMER_SCREEN): Promise<Page> {
  const page = await laptopPage(browser, viewport);
  await page.addInitScript(CUSTOMER_RECORDER);
  await page.goto(await customerUrlOf(preview));
  await page.locator('[data-testid="customer-display"]:not([data-state="connecting"])').waitFor();
  return page;
}

/** What the customer display shows now: idle, sale, tip, code, paid (or connecting). */
export async function customerState(page: Page): Promise<string | null> {
  return page.getByTestId('customer-display').getAttribute('data-state');
}

/** Every state the customer page has shown since it opened, in order ("connecting", "idle", "tip", …). */
export async function customerStatesSeen(page: Page): Promise<string[]> {
  return (await page.evaluate('window.customerStates')) as string[];
}

/** The owner the screens' tests create when they change a setting through Settings. */
export const TEST_OWNER = { name: 'Olga', pin: '2580' } as const;

/**
 * Settings → "Create the owner": the first step of changing any setting
 * through the screens (the main process refuses settings until an owner
 * exists). The owner is signed in after, on the settings form; from then
 * on roles apply, so a sale needs an open shift (openShiftInUi).
 */
export async function createOwnerInSettings(page: Page, owner: { name: string; pin: string } = TEST_OWNER): Promise<void> {
  await page.getByTestId('settings-tab').click();
  await page.getByTestId('owner-name').fill(owner.name);
  await page.getByTestId('owner-pin').fill(owner.pin);
  await page.getByTestId('owner-pin-again').fill(owner.pin);
  await page.getByTestId('create-owner-save').click();
  await page.getByTestId('settings-save').waitFor();
}

/** Rings up `amount` on the till and takes it all in cash (the exact amount): PAID. From a finished sale, Next sale first. */
export async function cashSaleInUi(page: Page, amount: string): Promise<void> {
  if ((await page.getByTestId('next-sale').count()) > 0) await page.getByTestId('next-sale').click();
  await typeAmount(page, amount);
  await page.keyboard.press('Enter');
  await page.getByTestId('open-cash').click();
  await page.getByTestId('cash-tendered').fill(amount);
  await page.getByTestId('take-cash').click();
  await page.getByTestId('paid').waitFor({ timeout: 10_000 });
}

/** Opens a shift on the Shift screen with the counted `float` (as typed), then goes back to the till. */
export async function openShiftInUi(page: Page, float = '100'): Promise<void> {
  await page.getByTestId('shift-tab').click();
  await page.getByTestId('shift-float').fill(float);
  await page.getByTestId('open-shift').click();
  await page.getByTestId('shift-close-form').waitFor();
  await page.getByTestId('till-tab').click();
  await page.getByTestId('charge').waitFor();
}

/**
 * The owner's "Change deposit address / go live" on the Settings screen:
 * the new mode and address, its last four characters typed back when it
 * moves where payments go, and the owner's PIN. Waits for the answer: the
 * saved note, or the dialog's error (returned).
 */
export async function changePaymentSetupInUi(page: Page, change: { mode: 'live' | 'sandbox'; address?: string }, pin: string = TEST_OWNER.pin): Promise<string | null> {
  await page.getByTestId('settings-tab').click();
  await page.getByTestId('change-payment-setup').click();
  const dialog = page.getByTestId('payment-setup-dialog');
  await dialog.getByTestId('payment-new-mode').selectOption(change.mode);
  if (change.address !== undefined) await dialog.getByTestId('payment-new-address').fill(change.address);
  if ((await dialog.getByTestId('payment-last-four').count()) > 0 && change.address) await dialog.getByTestId('payment-last-four').fill(change.address.slice(-4));
  await dialog.getByTestId('payment-owner-pin').fill(pin);
  await dialog.getByTestId('payment-setup-save').click();
  await expect.poll(async () => (await page.getByTestId('payment-setup-done').count()) + (await dialog.getByTestId('payment-setup-error').count())).toBeGreaterThan(0);
  if ((await page.getByTestId('payment-setup-done').count()) > 0) return null;
  return dialog.getByTestId('payment-setup-error').innerText();
}
