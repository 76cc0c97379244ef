import { describe, expect, it } from 'vitest';
import { startPreview } from '../../electron/preview/start-preview';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { laptopPage, screenshot } from '../support/browser';
import { randomAddress, tempDir } from '../support/temp-dir';
import { changePaymentSetupInUi, codePaymentTitle, createOwnerInSettings, openShiftInUi, payEveryCodePayment, RENDERER_DIR, typeAmount, useSandboxTill } from './e2e-preview';

// The whole till in real Chromium, through the browser preview: the same
// renderer, the same handler table, the same core as the Electron app.

const till = useSandboxTill();

const sales = () => till.preview.core.reports.listSales({ mode: 'all' }).sales;
const amountShown = () => till.page.getByTestId('amount').innerText();

describe('the till in Chromium', () => {
  it('takes a full sandbox sale: "0.75", Enter, Code button, simulated payment, PAID, next sale', async () => {
    await expect.poll(() => till.page.getByTestId('status-bar').innerText()).toMatch(/sandbox/i);
    await expect.poll(() => till.page.getByTestId('status-rail').innerText()).toBe('Code payments available');
    await screenshot(till.page, 'till-01-empty');
    await typeAmount(till.page, '12.5');
    await expect.poll(amountShown).toBe('$12.50');
    await screenshot(till.page, 'till-02-amount');
    // Within Code's US$1.00 maximum, a sale is one Code payment.
    await till.page.keyboard.press('Delete');
    await typeAmount(till.page, '0.75');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    expect(await codePaymentTitle(till.page)).toBe('Code payment — $0.75');
    expect(sales()[0]).toMatchObject({ amount: 75, currency: 'usd', status: 'pending' });
    // Counter draws the scan code of this very payment request at once; Code's
    // own button, which cannot know a sandbox request, is not shown in sandbox mode.
    const code = till.page.getByTestId('scan-code');
    await code.waitFor();
    expect(await code.getAttribute('data-intent-id')).toBe(sales()[0]!.tenders[0]!.intentId);
    expect(await code.locator('path').count()).toBeGreaterThan(20);
    expect(await till.page.getByTestId('code-button').count()).toBe(0);
    await screenshot(till.page, 'till-03-waiting');
    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await till.page.getByTestId('paid').innerText()).toMatch(/PAID[\s\S]*\$0\.75/);
    // One Code payment needs no list of tenders.
    expect(await till.page.getByTestId('tenders').count()).toBe(0);
    await screenshot(till.page, 'till-04-paid');
    expect(sales()[0]).toMatchObject({ amount: 75, status: 'paid', firstProof: 'webhook' });
    await till.page.getByTestId('next-sale').click();
    await expect.poll(amountShown).toBe('$0.00');
    await expect.poll(() => till.page.getByTestId('status-bar').innerText()).toMatch(/paid/i);
  });

  it('types a decimal amount on the keypad: one separator, at most two decimals, Backspace over the separator', async () => {
    for (const key of ['1', '2', 'separator', 'separator', '5']) await till.page.getByTestId(`key-${key}`).click();
    await expect.poll(amountShown).toBe('$12.50');
    await till.page.getByTestId('key-7').click();
    await till.page.getByTestId('key-9').click(); // a third decimal is refused
    await expect.poll(amountShown).toBe('$12.57');
    for (let i = 0; i < 3; i++) await till.page.getByTestId('key-back').click(); // 7, 5, then the separator
    await till.page.getByTestId('key-0').click();
    await expect.poll(amountShown).toBe('$120.00');
    await till.page.keyboard.press(',');
    await till.page.keyboard.press('5');
    await expect.poll(amountShown).toBe('$120.50');
    await till.page.getByTestId('charge').click();
    await till.page.getByTestId('waiting').waitFor();
    expect(sales()[0]).toMatchObject({ amount: 120_50 });
  });

  it('asks before charging a large amount: Go back keeps the amount, Charge charges it', async () => {
    // A fresh install asks above about US$1,000.
    await typeAmount(till.page, '1500');
    await till.page.keyboard.press('Enter');
    const dialog = till.page.getByTestId('confirm-charge');
    await dialog.waitFor();
    expect(await till.page.getByTestId('confirm-charge-amount').innerText()).toBe('$1,500.00');
    expect(await dialog.innerText()).toMatch(/more than \$1,000\.00/);
    await screenshot(till.page, 'till-07-confirm');
    await till.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await amountShown()).toBe('$1,500.00');
    expect(sales()).toEqual([]);
    // Typing while the question is open does nothing; asking again and Go back does the same as Escape.
    await till.page.getByTestId('charge').click();
    await dialog.waitFor();
    await till.page.keyboard.press('9');
    await till.page.getByTestId('confirm-charge-back').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await amountShown()).toBe('$1,500.00');
    await till.page.keyboard.press('Enter');
    await dialog.waitFor();
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    expect(sales()).toMatchObject([{ amount: 1_500_00, status: 'pending' }]);
    expect(await dialog.isVisible()).toBe(false);
  });

  it('shows the partly paid sale again after the window reloads, with its next Code payment, and takes the rest', async () => {
    await typeAmount(till.page, '2.40');
    await till.page.getByTestId('charge').click();
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment 1 of 3 — $1.00');
    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(() => codePaymentTitle(till.page), { timeout: 15_000 }).toBe('Code payment 2 of 3 — $1.00');
    await till.page.reload();
    await till.page.getByTestId('waiting').waitFor();
    expect(await amountShown()).toBe('$2.40');
    expect(await codePaymentTitle(till.page)).toBe('Code payment 2 of 3 — $1.00');
    expect(await till.page.getByTestId('partly-paid').innerText()).toBe('Partly paid: $1.00 of $2.40');
    expect(await payEveryCodePayment(till.page)).toBe(2);
    expect(sales()[0]).toMatchObject({ amount: 240, status: 'paid', paidAmount: 240 });
  });

  it('cancels a waiting sale', async () => {
    await typeAmount(till.page, '5');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    await till.page.getByTestId('cancel-sale').click();
    await expect.poll(() => sales()[0]?.status).toBe('cancelled');
    await expect.poll(() => till.page.getByTestId('waiting').count()).toBe(0);
    await screenshot(till.page, 'till-05-cancelled');
  });

  it('shows PAID for a payment whose webhook was lost, recorded by status polling', async () => {
    await till.preview.core.listener.close();
    await typeAmount(till.page, '0.99');
    await till.page.getByTestId('charge').click();
    await till.page.getByTestId('waiting').waitFor();
    await till.page.getByTestId('simulate-payment').click();
    await till.page.getByTestId('paid').waitFor({ timeout: 15_000 });
    expect(sales()[0]).toMatchObject({ amount: 99, status: 'paid', firstProof: 'status_poll' });
  });

  it('rings up an amount below Code’s minimum as a cash sale, saying why Code is not offered', async () => {
    await typeAmount(till.page, '0.04');
    await till.page.getByTestId('charge').click();
    await expect.poll(() => till.page.getByTestId('code-note').innerText()).toMatch(/\$0\.04 is below Code's minimum of \$0\.05: take it in cash or another tender\./);
    expect(await amountShown()).toBe('$0.04');
    expect(await till.page.getByTestId('code-button').count()).toBe(0);
    expect(sales()[0]).toMatchObject({ amount: 4, status: 'pending', tenders: [] });
    await screenshot(till.page, 'till-06-below-minimum');
    await till.page.getByTestId('open-cash').click();
    await till.page.getByTestId('cash-exact').click();
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('paid').waitFor();
    expect(sales()[0]).toMatchObject({ status: 'paid', paidAmount: 4, tenders: [{ kind: 'cash', amount: 4, tendered: 4, change: 0 }] });
  });

  it('cancels a sale before anything is paid from the keyboard (Escape), never once money is taken', async () => {
    await typeAmount(till.page, '0.5');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    await till.page.keyboard.press('Escape');
    await till.page.getByTestId('sale-outcome').waitFor();
    expect(sales()[0]).toMatchObject({ status: 'cancelled' });
    await till.page.keyboard.press('Enter');
    await typeAmount(till.page, '1.5');
    await till.page.keyboard.press('Enter');
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment 1 of 2 — $1.00');
    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(() => codePaymentTitle(till.page), { timeout: 15_000 }).toBe('Code payment 2 of 2 — $0.50');
    await till.page.keyboard.press('Escape');
    await till.page.getByTestId('open-other').click();
    await till.page.getByTestId('other-form').waitFor();
    await till.page.keyboard.press('Escape');
    await till.page.getByTestId('other-form').waitFor({ state: 'detached' });
    expect(sales()[0]).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(await till.page.getByTestId('cancel-sale').isDisabled()).toBe(true);
  });

  it('takes whole yen after the currency is switched to JPY, and logs the sale at ¥1,250', async () => {
    // Settings are the owner's: created first; then the sale needs an open shift (in yen).
    await createOwnerInSettings(till.page);
    await till.page.getByTestId('settings-currency').selectOption('jpy');
    await till.page.getByTestId('settings-save').click();
    await expect.poll(() => till.page.getByTestId('settings-message').innerText()).toMatch(/saved/i);
    await openShiftInUi(till.page, '10000');
    await expect.poll(() => till.page.locator('.amount-currency').innerText()).toBe('JPY');
    // No separator key for a currency without minor units; "." from the keyboard is ignored.
    expect(await till.page.getByTestId('key-separator').count()).toBe(0);
    await till.page.getByTestId('key-00').waitFor();
    await typeAmount(till.page, '12.50');
    await expect.poll(amountShown).toBe('¥1,250');
    await screenshot(till.page, 'till-08-jpy');
    await till.page.keyboard.press('Enter');
    // Code's table takes at most ¥100 at a time: thirteen Code payments, or the rest in cash.
    await expect.poll(() => codePaymentTitle(till.page)).toBe('Code payment 1 of 13 — ¥100');
    expect(sales()[0]).toMatchObject({ amount: 1250_00, currency: 'jpy' });
    await till.page.getByTestId('simulate-payment').click();
    await expect.poll(() => codePaymentTitle(till.page), { timeout: 15_000 }).toBe('Code payment 2 of 13 — ¥100');
    await till.page.getByTestId('open-cash').click();
    expect(await till.page.getByTestId('cash-tendered').inputValue()).toBe('1150');
    await till.page.keyboard.type('2000');
    expect(await till.page.getByTestId('cash-preview').innerText()).toBe('Change to give: ¥850');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('paid').waitFor({ timeout: 10_000 });
    expect(await till.page.getByTestId('paid').innerText()).toMatch(/¥1,250/);
    expect(await till.page.getByTestId('change-due').innerText()).toBe('Change: ¥850');
    await till.page.getByTestId('next-sale').click();
    await till.page.getByTestId('sales-log-tab').click();
    const row = till.page.getByTestId('log-row').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/¥1,250\s*JPY/);
    expect(await till.page.getByTestId('log-totals').innerText()).toMatch(/Taken\s+JPY\s+¥1,250[\s\S]*Code ¥100 · Cash ¥1,150/);
  });

  it('opens the sales log on the app’s mode (sandbox: the first sale of a fresh install is there), and follows it until the owner picks one', async () => {
    await typeAmount(till.page, '3');
    await till.page.keyboard.press('Enter');
    await till.page.getByTestId('waiting').waitFor();
    expect(await payEveryCodePayment(till.page)).toBe(3);
    await till.page.getByTestId('next-sale').click();
    await till.page.getByTestId('sales-log-tab').click();
    await till.page.getByTestId('log-row').first().waitFor();
    expect(await till.page.getByTestId('log-mode').inputValue()).toBe('sandbox');
    expect(await till.page.getByTestId('log-row').count()).toBe(1);
    expect(await till.page.getByTestId('log-row').first().innerText()).toMatch(/\$3\.00[\s\S]*Paid[\s\S]*Sandbox[\s\S]*Code ×3/);
    expect(await till.page.getByTestId('log-totals').innerText()).toMatch(/Taken\s+USD\s+\$3\.00[\s\S]*1 paid sale/);
    await screenshot(till.page, 'log-06-sandbox-first-day');

    // The app goes live: the log follows, as the owner has not picked a mode.
    // Going live is the owner's (created first), through the deposit-address dialog.
    await createOwnerInSettings(till.page);
    const switchMode = async (mode: 'live' | 'sandbox') => {
      expect(await changePaymentSetupInUi(till.page, mode === 'live' ? { mode, address: randomAddress() } : { mode })).toBeNull();
      await till.page.getByTestId('sales-log-tab').click();
    };
    await switchMode('live');
    await expect.poll(() => till.page.getByTestId('log-mode').inputValue()).toBe('live');
    await till.page.getByTestId('log-empty').waitFor();
    expect(await till.page.getByTestId('log-empty').innerText()).toMatch(/No live sales[\s\S]*Show sandbox sales/);

    // Once the owner picks a mode, it stays put.
    await till.page.getByTestId('log-mode').selectOption('all');
    await till.page.getByTestId('log-apply').click();
    await expect.poll(() => till.page.getByTestId('log-row').count()).toBe(1);
    await switchMode('sandbox');
    await till.page.getByTestId('log-row').first().waitFor();
    expect(await till.page.getByTestId('log-mode').inputValue()).toBe('all');
  });

  it('runs under its Content-Security-Policy without a single violation (no eval, no inline script)', async () => {
    const watched = await laptopPage(till.browser);
    // Runs before the app's own scripts (injected by the browser, so the policy does not apply to it).
    await watched.addInitScript(`
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber));
    `);
    await watched.goto(till.preview.url);
    await watched.getByTestId('charge').and(watched.locator(':enabled')).waitFor();
    for (const key of '2.5') await watched.keyboard.press(key);
    await watched.keyboard.press('Enter');
    await watched.getByTestId('waiting').waitFor();
    // The settings form checks a tunnel with shared's schema; the log's search hint comes from shared too.
    await createOwnerInSettings(watched);
    await watched.getByTestId('settings-tunnel-kind').selectOption('fixed');
    await watched.getByTestId('settings-tunnel-url').fill('not a url');
    await watched.getByTestId('settings-save').click();
    await watched.getByTestId('field-error-tunnel').waitFor();
    await watched.getByTestId('sales-log-tab').click();
    await watched.getByTestId('log-row').first().waitFor();
    expect(await watched.evaluate('window.cspViolations')).toEqual([]);
    await watched.context().close();
  });

  it('says within seconds when the Code button’s frame cannot load (live mode, no connection to Code), and tells the main process once', async () => {
    // A second sandbox stands in for Code's sequencer, so a live Code payment
    // is created; the button's frame comes from Code's own site, which the
    // tests never reach (no internet here, and --disable-background-networking).
    const stand = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(tempDir('counter-e2e-stand-')).privateKey });
    const live = await startPreview({ dataDir: tempDir('counter-e2e-live-'), rendererDir: RENDERER_DIR, tunnel: { binary: { envPath: '' } }, rails: { liveEndpoint: stand.endpoint } });
    const livePage = await laptopPage(till.browser);
    try {
      await live.core.updateSettings({ depositAddress: randomAddress(), mode: 'live' });
      const reports: string[] = [];
      livePage.on('request', (request) => {
        if (request.url().endsWith('/api/reportButtonEvent')) reports.push(request.postData() ?? '');
      });
      await livePage.goto(live.url);
      await livePage.getByTestId('charge').and(livePage.locator(':enabled')).waitFor();
      await expect.poll(() => livePage.getByTestId('status-mode').innerText()).toMatch(/Live/);
      for (const key of '0.5') await livePage.keyboard.press(key);
      await livePage.keyboard.press('Enter');
      await expect.poll(() => livePage.getByTestId('code-payment-title').innerText()).toBe('Code payment — $0.50');
      // Counter's own scan code is there at once; the button's frame is mounted, and stays silent.
      await livePage.getByTestId('scan-code').waitFor();
      expect(await livePage.locator('[data-testid="code-button"] iframe').count()).toBe(1);
      await expect
        .poll(() => livePage.getByTestId('code-button-failed').count(), { timeout: 10_000 })
        .toBe(1);
      expect(await livePage.getByTestId('code-button-failed').innerText()).toBe(
        'The Code button could not load (no connection to Code). The customer can scan the code shown here.',
      );
      // Chromium's error page in the frame is hidden behind the note; the payment stays open.
      expect(await livePage.getByTestId('code-button').isVisible()).toBe(false);
      expect(await livePage.getByTestId('waiting').isVisible()).toBe(true);
      await expect.poll(() => reports.filter((r) => r.includes('"error"')).length).toBe(1);
      expect(JSON.parse(reports.find((r) => r.includes('"error"'))!)).toMatchObject({ args: { event: 'error', message: expect.stringMatching(/^The Code button could not load/) } });
      // The till's own "The Code button reported: …" note is not added on top.
      expect(await livePage.getByTestId('button-note').count()).toBe(0);
      await screenshot(livePage, 'till-09-code-button-offline');
    } finally {
      await livePage.context().close();
      await live.close();
      await stand.close();
    }
  });

  it('refuses a bridge request without the token', async () => {
    const origin = new URL(till.preview.url).origin;
    const status = await till.page.evaluate(async (o) => {
      const res = await fetch(`${o}/api/charge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: { amount: 500 } }) });
      return res.status;
    }, origin);
    expect(status).toBe(401);
    expect(sales()).toEqual([]);
  });
});
