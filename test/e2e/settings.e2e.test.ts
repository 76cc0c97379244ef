import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { randomAddress } from '../support/temp-dir';
import { changePaymentSetupInUi, openShiftInUi, TEST_OWNER, typeAmount, useSandboxTill } from './e2e-preview';

// Settings in real Chromium through the preview: what the owner types is
// checked, saved through updateSettings, and changes what the till does.
// Settings are the owner's: each test first creates the owner on the
// Settings screen (a fresh install has none), and then, as roles apply, a
// sale needs an open shift.

const till = useSandboxTill({ owner: true });

const saved = () => till.preview.core.settings.get();
const save = async () => {
  await till.page.getByTestId('settings-save').click();
  await expect.poll(() => till.page.getByTestId('settings-message').innerText()).toMatch(/saved|Not saved/);
};
/** A token shaped as Cloudflare's (base64 JSON with account, tunnel id and secret). */
const tunnelToken = Buffer.from(JSON.stringify({ a: 'a'.repeat(32), t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0c2VjcmV0c2VjcmV0' })).toString('base64');

describe('settings in Chromium', () => {
  it('validates settings: a bad deposit address, and live mode without one', async () => {
    await screenshot(till.page, 'settings-00-form');
    // The deposit address and the mode are not fields of the form: they change in their own dialog, with the owner's PIN.
    expect(await till.page.getByTestId('settings-deposit-address').count()).toBe(0);
    expect(await till.page.getByTestId('settings-mode').count()).toBe(0);
    expect(await changePaymentSetupInUi(till.page, { mode: 'sandbox', address: 'not-a-code-address' })).toMatch(/“-” cannot appear in a Code deposit address/);
    const dialog = till.page.getByTestId('payment-setup-dialog');
    await dialog.getByTestId('payment-new-address').fill('3yZe7dBq');
    await dialog.getByTestId('payment-setup-save').click();
    await expect.poll(() => dialog.getByTestId('payment-setup-error').innerText()).toMatch(/32 bytes/);
    await dialog.getByTestId('payment-new-address').fill('');
    await dialog.getByTestId('payment-new-mode').selectOption('live');
    await dialog.getByTestId('payment-setup-save').click();
    await expect.poll(() => dialog.getByTestId('payment-setup-error').innerText()).toMatch(/Going live needs the deposit address/);
    await screenshot(till.page, 'settings-01-errors');
    expect(saved()).toMatchObject({ mode: 'sandbox', depositAddress: null });
  });

  it('goes live through the deposit-address dialog: the old and new address, the last four typed back, the owner’s PIN', async () => {
    const address = randomAddress();
    await till.page.getByTestId('change-payment-setup').click();
    const dialog = till.page.getByTestId('payment-setup-dialog');
    await dialog.getByTestId('payment-new-mode').selectOption('live');
    await dialog.getByTestId('payment-new-address').fill(address);
    expect(await dialog.getByTestId('payment-old-address').innerText()).toBe('No deposit address');
    expect(await dialog.getByTestId('payment-new-address-shown').innerText()).toBe(address);
    // The last four, typed in the wrong case, are refused.
    const tail = address.slice(-4);
    const wrongCase = tail === tail.toLowerCase() ? tail.toUpperCase() : tail.toLowerCase();
    await dialog.getByTestId('payment-last-four').fill(wrongCase === tail ? '1111' : wrongCase);
    await dialog.getByTestId('payment-owner-pin').fill(TEST_OWNER.pin);
    await dialog.getByTestId('payment-setup-save').click();
    await expect.poll(() => dialog.getByTestId('payment-setup-error').innerText()).toMatch(/do not match/);
    expect(saved()).toMatchObject({ mode: 'sandbox', depositAddress: null });
    await dialog.getByTestId('payment-last-four').fill(tail);
    expect(await dialog.getByTestId('payment-setup-save').innerText()).toBe('Go live');
    await dialog.getByTestId('payment-setup-save').click();
    await till.page.getByTestId('payment-setup-done').waitFor();
    expect(saved()).toMatchObject({ mode: 'live', depositAddress: address });
    await expect.poll(() => till.page.getByTestId('status-mode').innerText()).toMatch(/Live/);
    expect(await till.page.getByTestId('payment-address').innerText()).toBe(address);
  });

  it('saves the large-amount threshold in the till currency, and the till asks above it; 0 turns it off', async () => {
    const field = till.page.getByTestId('settings-confirm-above');
    expect(await field.inputValue()).toBe('1000');
    await field.fill('12.345');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-confirmAbove').innerText()).toMatch(/at most two decimals/);
    await field.fill('50');
    await save();
    expect(saved().confirmAbove).toBe(50_00);
    await openShiftInUi(till.page);
    await typeAmount(till.page, '50');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor(); // 50.00 is not above 50.00
    await till.page.getByTestId('cancel-sale').click();
    await till.page.getByTestId('sale-outcome').waitFor();
    await till.page.getByTestId('next-sale').click();
    await typeAmount(till.page, '50.01');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('confirm-charge').waitFor();
    await till.page.keyboard.press('Escape');
    await till.page.getByTestId('settings-tab').click();
    await field.fill('0');
    await save();
    expect(saved().confirmAbove).toBe(0);
    await till.page.getByTestId('till-tab').click();
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    expect(till.preview.core.reports.listSales({ mode: 'all' }).sales[0]).toMatchObject({ amount: 50_01 });
  });

  it('follows the currency: a threshold left alone becomes the new currency’s default', async () => {
    await till.page.getByTestId('settings-currency').selectOption('jpy');
    expect(await till.page.getByTestId('settings-confirm-above').inputValue()).toBe('100000');
    await save();
    expect(saved()).toMatchObject({ currency: 'jpy', confirmAbove: 100_000_00 });
  });

  it('sets the largest single Code payment, says where it came from, and goes back to Code’s table', async () => {
    const field = till.page.getByTestId('settings-code-maximum');
    expect(await field.inputValue()).toBe('1');
    expect(await till.page.getByTestId('code-maximum-source').innerText()).toMatch(/^From Code's table\. A sale above it is taken as several Code payments of at least \$0\.05\.$/);
    expect(await till.page.getByTestId('code-maximum-reset').count()).toBe(0);
    await field.fill('0.04');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-codeMaximum').innerText()).toBe("At least $0.05, Code's minimum for one payment.");
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('2');
    await save();
    expect(saved().codeMaximum).toMatchObject({ amount: 200, source: 'owner' });
    expect(await till.page.getByTestId('code-maximum-source').innerText()).toMatch(/^Set by you\. Code's table says \$1\.00\./);
    await expect.poll(async () => (await till.preview.core.status()).codeLimits).toEqual({ min: 5, max: 200 });

    await till.page.getByTestId('code-maximum-reset').click();
    expect(await field.inputValue()).toBe('1');
    await save();
    expect(saved().codeMaximum).toMatchObject({ amount: 100, source: 'code-table' });
    expect(await till.page.getByTestId('code-maximum-reset').count()).toBe(0);
  });

  it('learns Code’s maximum from a refusal that names it, and shows it', async () => {
    // The owner says 2.00; the sandbox, as Code, refuses anything above its table's 1.00 and names it.
    await till.page.getByTestId('settings-code-maximum').fill('2');
    await save();
    await openShiftInUi(till.page);
    await typeAmount(till.page, '2.5');
    await till.page.keyboard.press('Enter');
    await expect.poll(() => till.page.getByTestId('code-payment-title').innerText(), { timeout: 10_000 }).toBe('Code payment 1 of 3 — $1.00');
    await till.page.getByTestId('settings-tab').click();
    await expect.poll(() => till.page.getByTestId('code-maximum-source').innerText()).toMatch(/^Learned from Code on .+: it refused a larger payment and named this maximum\./);
    expect(await till.page.getByTestId('settings-code-maximum').inputValue()).toBe('1');
    expect(saved().codeMaximum).toMatchObject({ amount: 100, source: 'sequencer' });
    await till.page.getByTestId('settings-code-payments').scrollIntoViewIfNeeded();
    await screenshot(till.page, 'settings-05-code-maximum-learned');
  });

  it('saves the receipt-details choice', async () => {
    const box = till.page.getByTestId('settings-receipt-details');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await save();
    expect(saved().receiptDetails).toBe(true);
    await expect.poll(async () => (await till.preview.core.status()).receiptDetails).toBe(true);
  });

  it("saves this till's name trimmed, after refusing one too long beside the field", async () => {
    const field = till.page.getByTestId('settings-till-name');
    expect(await field.inputValue()).toBe('');
    await field.fill('x'.repeat(41));
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-tillName').innerText()).toBe('At most 40 characters: this name has 41.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.scrollIntoViewIfNeeded();
    await screenshot(till.page, 'settings-09-till-name-error');
    expect(saved().tillName).toBe('');
    await field.fill('  Front counter ');
    await save();
    expect(saved().tillName).toBe('Front counter');
    expect(await till.page.getByTestId('field-error-tillName').isVisible()).toBe(false);
  });

  it('keeps a named tunnel’s token out of the form: a password field, empty, saying a token is saved', async () => {
    await till.page.getByTestId('settings-tunnel-kind').selectOption('named');
    const token = till.page.getByTestId('settings-tunnel-token');
    expect(await token.getAttribute('type')).toBe('password');
    expect(await till.page.getByTestId('tunnel-token-hint').innerText()).not.toMatch(/saved/);
    await token.fill(tunnelToken);
    await till.page.getByTestId('settings-tunnel-url').fill('https://till.example.com');
    await save();
    expect(saved().tunnel).toEqual({ kind: 'named', publicUrl: 'https://till.example.com', tokenSaved: true });
    expect(await token.inputValue()).toBe('');
    expect(await till.page.getByTestId('tunnel-token-hint').innerText()).toBe('A token is saved; leave empty to keep it.');
    expect(await till.page.content()).not.toContain(tunnelToken);
    // Another change leaves the token as it was.
    await till.page.getByTestId('settings-shop-name').fill('Corner Café');
    await save();
    expect(saved()).toMatchObject({ shopName: 'Corner Café', tunnel: { kind: 'named', tokenSaved: true } });
  });

  it('turns tips on with the owner’s presets, refusing a preset that is not a whole percent, and the till then asks for the tip', async () => {
    const tips = till.page.getByTestId('settings-tips');
    await tips.scrollIntoViewIfNeeded();
    expect(await till.page.getByTestId('settings-tips-enabled').isChecked()).toBe(false);
    expect(await Promise.all([1, 2, 3, 4].map((i) => till.page.getByTestId(`settings-tip-preset-${i}`).inputValue()))).toEqual(['10', '15', '20', '']);
    await till.page.getByTestId('settings-tips-enabled').check();
    await till.page.getByTestId('settings-tip-preset-2').fill('12.5');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-tips').innerText()).toBe('Each preset is a whole percent from 1 to 100, like 15.');
    expect(await till.page.getByTestId('settings-tip-preset-2').getAttribute('aria-invalid')).toBe('true');
    await till.page.getByTestId('settings-tip-preset-2').fill('20');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('field-error-tips').innerText()).toBe('20 % is there twice: give each preset once.');
    await screenshot(till.page, 'settings-06-tips-error');
    expect(saved().tips).toEqual({ enabled: false, presets: [10, 15, 20], custom: true });
    await till.page.getByTestId('settings-tip-preset-2').fill('18');
    await till.page.getByTestId('settings-tip-preset-4').fill('25');
    await till.page.getByTestId('settings-tips-custom').uncheck();
    await save();
    expect(saved().tips).toEqual({ enabled: true, presets: [10, 18, 20, 25], custom: false });
    expect(await till.page.getByTestId('field-error-tips').isVisible()).toBe(false);
    await screenshot(till.page, 'settings-07-tips');

    await openShiftInUi(till.page);
    await typeAmount(till.page, '2');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('tip-panel').waitFor();
    expect(await till.page.getByTestId('tip-option').allInnerTexts()).toEqual([
      expect.stringMatching(/^10 %\s+\$0\.20/),
      expect.stringMatching(/^18 %\s+\$0\.36/),
      expect.stringMatching(/^20 %\s+\$0\.40/),
      expect.stringMatching(/^25 %\s+\$0\.50/),
    ]);
    // Another amount is not on offer: no button, and C does nothing.
    expect(await till.page.getByTestId('tip-custom').count()).toBe(0);
    await till.page.keyboard.press('c');
    expect(await till.page.getByTestId('custom-tip-form').count()).toBe(0);
  });

  it('saves the customer display and the paid sound switches, and the header opens the customer display (or says it is off)', async () => {
    await till.page.getByTestId('settings-display').scrollIntoViewIfNeeded();
    expect(await till.page.getByTestId('settings-customer-display').isChecked()).toBe(true);
    expect(await till.page.getByTestId('settings-paid-sound').isChecked()).toBe(true);

    // On: the preview answers the customer page's address, and the till opens it as a second page.
    const popup = till.page.context().waitForEvent('page');
    await till.page.getByTestId('open-customer-display').click();
    const customer = await popup;
    expect(new URL(customer.url()).pathname).toBe('/customer');
    expect(new URL(customer.url()).searchParams.get('token')).toBeTruthy();
    // The customer's page has its own token, never the till's.
    expect(customer.url()).not.toContain(till.preview.token);
    await customer.close();

    await till.page.getByTestId('settings-customer-display').uncheck();
    await till.page.getByTestId('settings-paid-sound').uncheck();
    await save();
    expect(saved()).toMatchObject({ customerDisplay: false, paidSound: false });
    await expect.poll(async () => (await till.preview.core.status()).paidSound).toBe(false);
    await till.page.getByTestId('open-customer-display').click();
    await expect.poll(() => till.page.getByTestId('customer-display-note').innerText()).toBe('The customer display is off. Turn it on in Settings.');
    expect(till.page.context().pages()).toHaveLength(1);
    await screenshot(till.page, 'settings-08-customer-display-off');
  });

  it('shows the log file and answers "Open log folder" with its path (a browser cannot open it)', async () => {
    const logFile = (await till.preview.core.status()).logFile;
    expect(logFile).toBeTruthy();
    expect(await till.page.getByTestId('settings-log-file').innerText()).toBe(logFile);
    await till.page.getByTestId('open-log-folder').click();
    const answer = till.page.getByTestId('log-folder-answer');
    await expect.poll(() => answer.innerText()).toMatch(/A browser cannot open folders/);
    expect(await answer.innerText()).toContain(till.preview.logDir);
    await till.page.getByTestId('settings-support').scrollIntoViewIfNeeded();
    await screenshot(till.page, 'settings-02-support');
  });

  it('shows the tunnel as not needed in sandbox mode when it is down, with no alarm', async () => {
    await till.page.getByTestId('settings-tunnel-kind').selectOption('named');
    await till.page.getByTestId('settings-tunnel-token').fill(Buffer.from('{"a":"x"}').toString('base64').padEnd(24, '='));
    await till.page.getByTestId('settings-tunnel-url').fill('https://till.example.com');
    await save();
    const tunnel = till.page.getByTestId('status-tunnel');
    await expect.poll(() => tunnel.innerText(), { timeout: 10_000 }).toMatch(/not needed in sandbox mode/);
    expect(await tunnel.getAttribute('class')).not.toMatch(/--bad|--warn/);
    await screenshot(till.page, 'settings-03-sandbox-tunnel');
  });
});
