import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Preview } from '../../electron/preview/start-preview';
import { laptopPage } from '../support/browser';
import { useSandboxTill } from './e2e-preview';

// A save the form refuses by itself puts focus on the first field to fix.
// Whatever the renderer's pace, that focus must never land later, in the
// middle of what the owner types next: on a busy machine an animation frame
// can come well after the next keystrokes. These tests make the app's
// animation frames late on purpose (held, then run the moment the owner
// focuses a field, before the text arrives) and type as the other settings
// tests do, straight after the refusal.

/**
 * Injected before the app's scripts: the page's animation frames are held
 * while `window.holdFrames` is set; the next focus of a field then runs the
 * held ones just after it (a microtask), before the text typed there arrives.
 * Playwright's own checks use their own frames, untouched.
 */
const LATE_FRAMES = `
  (() => {
    const request = window.requestAnimationFrame.bind(window);
    const held = [];
    window.holdFrames = false;
    window.requestAnimationFrame = (callback) => {
      if (!window.holdFrames) return request(callback);
      held.push(callback);
      return -held.length;
    };
    document.addEventListener('focusin', () => {
      if (!window.holdFrames || held.length === 0) return;
      queueMicrotask(() => {
        window.holdFrames = false;
        for (const callback of held.splice(0)) callback(performance.now());
      });
    }, true);
  })();
`;

async function openWithLateFrames(browser: Browser, preview: Preview): Promise<Page> {
  const page = await laptopPage(browser);
  await page.addInitScript(LATE_FRAMES);
  await page.goto(preview.url);
  await page.getByTestId('sandbox-banner').waitFor();
  await page.getByTestId('charge').and(page.locator(':enabled')).waitFor();
  return page;
}

const till = useSandboxTill({ owner: true, openPage: openWithLateFrames });

// As strings: these files are typed for Node, without the DOM's globals.
const holdFrames = () => till.page.evaluate('window.holdFrames = true');
const focusedTestId = () => till.page.evaluate("document.activeElement?.getAttribute('data-testid') ?? null");
const message = () => till.page.getByTestId('settings-message').innerText();

describe('settings: typing straight after a refused save', () => {
  it('keeps a tip preset typed at once after the refusal, and checks what was typed', async () => {
    await till.page.getByTestId('settings-tips').scrollIntoViewIfNeeded();
    await till.page.getByTestId('settings-tips-enabled').check();
    await till.page.getByTestId('settings-tip-preset-2').fill('12.5');
    await holdFrames();
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-tips').innerText()).toBe('Each preset is a whole percent from 1 to 100, like 15.');
    // Focus is on the tips already, with the refusal: nothing moves it later.
    expect(await focusedTestId()).toBe('settings-tips-enabled');

    await till.page.getByTestId('settings-tip-preset-2').fill('20');
    expect(await till.page.getByTestId('settings-tip-preset-2').inputValue()).toBe('20');
    expect(await focusedTestId()).toBe('settings-tip-preset-2');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-tips').innerText()).toBe('20 % is there twice: give each preset once.');
    expect(till.preview.core.settings.get().tips).toEqual({ enabled: false, presets: [10, 15, 20], custom: true });
  });

  it('keeps a printer port typed at once after the refusal in its own box, not in the address', async () => {
    await till.page.getByTestId('settings-printer-kind').selectOption('network');
    await till.page.getByTestId('settings-printer-host').fill('127.0.0.1');
    await till.page.getByTestId('settings-printer-port').fill('91OO');
    await holdFrames();
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-printerAddress').innerText()).toMatch(/whole number from 1 to 65535/);
    expect(await focusedTestId()).toBe('settings-printer-host');

    await till.page.getByTestId('settings-printer-port').fill('9100');
    expect(await till.page.getByTestId('settings-printer-port').inputValue()).toBe('9100');
    expect(await till.page.getByTestId('settings-printer-host').inputValue()).toBe('127.0.0.1');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(message).toBe('Settings saved.');
    expect(till.preview.core.settings.get().printer).toMatchObject({ kind: 'network', host: '127.0.0.1', port: 9100 });
  });

  it('leaves focus in the invalid field the owner pressed Enter in', async () => {
    const port = till.page.getByTestId('settings-printer-port');
    await till.page.getByTestId('settings-printer-kind').selectOption('network');
    await till.page.getByTestId('settings-printer-host').fill('127.0.0.1');
    await port.fill('91OO');
    await port.press('Enter');
    await expect.poll(message).toBe('Not saved: check the highlighted fields.');
    expect(await focusedTestId()).toBe('settings-printer-port');
    await till.page.keyboard.press('Control+A');
    await till.page.keyboard.type('9100');
    expect(await port.inputValue()).toBe('9100');
    await till.page.keyboard.press('Enter');
    await expect.poll(message).toBe('Settings saved.');
  });

  it('leaves focus where the owner moved it while the main process was still checking, when it refuses', async () => {
    // The main process's answer held until the owner has moved on, then a refusal naming the currency.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await till.page.route('**/api/updateSettings', async (route) => {
      await answered;
      await route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'invalid-input', message: 'Invalid request to updateSettings.', fields: { currency: 'Not a currency Code takes.' } } }),
      });
    });
    const requested = till.page.waitForRequest('**/api/updateSettings');
    await till.page.getByTestId('settings-lock-after').fill('7');
    await till.page.getByTestId('settings-save').click();
    await requested;
    const shopName = till.page.getByTestId('settings-shop-name');
    await shopName.click();
    await till.page.keyboard.press('Control+A');
    await till.page.keyboard.type('Corner');
    answer();
    await expect.poll(() => till.page.getByTestId('field-error-currency').innerText()).toBe('Not a currency Code takes.');
    await till.page.keyboard.type(' Café');
    expect(await focusedTestId()).toBe('settings-shop-name');
    expect(await shopName.inputValue()).toBe('Corner Café');
  });
});
