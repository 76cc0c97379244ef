import { afterEach, describe, expect, it } from 'vitest';
import { noticeTime, paymentSetupNotice } from '../../electron/core/people/sign-in-notices';
import type { AuditEntry } from '../../electron/shared/domain/audit';
import { signInThrough, startShopWithPeople, valueOf } from '../support/api-core';
import { everyTable } from '../support/every-table';
import { randomAddress } from '../support/temp-dir';

// The deposit address and the live/sandbox switch: the one change that can
// send a shop's takings elsewhere. It takes the owner's PIN again and the new
// address's last four characters typed back, waits for the open shift to
// close before a mode switch, goes to the audit log with the old and new
// address, and every person's next sign-in shows it.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const shop = () => startShopWithPeople(cleanups);

/** An address that ends differently in upper and lower case, so the case-sensitive check is tested. */
function mixedCaseAddress(): string {
  for (;;) {
    const a = randomAddress();
    const tail = a.slice(-4);
    if (tail !== tail.toLowerCase() && /[a-zA-Z]/.test(tail)) return a;
  }
}

describe('changing the deposit address and going live', () => {
  it('goes live with the owner’s PIN and the new address’s last four, audited with the old and the new', async () => {
    const { call, core } = await shop();
    const address = randomAddress();
    const saved = valueOf(await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '2580', lastFour: address.slice(-4) }));
    expect(saved).toMatchObject({ mode: 'live', depositAddress: address });
    expect(core.settings.get()).toMatchObject({ mode: 'live', depositAddress: address });
    const [entry] = core.ledger.audit.page({ action: 'payment-setup-changed' }).entries;
    expect(entry).toMatchObject({
      personName: 'Ana',
      summary: `Ana changed the payment setup: deposit address none → …${address.slice(-4)}, payments live`,
      detail: { mode: { from: 'sandbox', to: 'live' }, depositAddress: { from: null, to: address }, role: 'owner' },
    });
    // Not also a plain settings change.
    expect(core.ledger.audit.page({ action: 'settings-changed' }).entries).toEqual([]);

    const next = randomAddress();
    valueOf(await call('changePaymentSetup', { mode: 'live', depositAddress: next, ownerPin: '2580', lastFour: next.slice(-4) }));
    expect(core.ledger.audit.page({ action: 'payment-setup-changed' }).entries[0]).toMatchObject({
      detail: { mode: { from: 'live', to: 'live' }, depositAddress: { from: address, to: next } },
    });
    // Back to sandbox with the same address: nothing new to read back.
    expect(valueOf(await call('changePaymentSetup', { mode: 'sandbox', depositAddress: next, ownerPin: '2580' }))).toMatchObject({ mode: 'sandbox' });
  });

  it('a wrong owner PIN changes nothing, and counts as a wrong PIN', async () => {
    const { call, core, ana } = await shop();
    const address = randomAddress();
    const answer = await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '0000', lastFour: address.slice(-4) });
    expect(answer).toEqual({ ok: false, error: { code: 'wrong-pin', message: 'Wrong PIN.' } });
    expect(core.settings.get()).toMatchObject({ mode: 'sandbox', depositAddress: null });
    expect(core.people.get(ana.id).failedPins).toBe(1);
    expect(core.ledger.audit.page({ action: 'pin-failed' }).entries).toHaveLength(1);
    expect(core.ledger.audit.page({ action: 'payment-setup-changed' }).entries).toEqual([]);
  });

  it('wrong last four characters (case counts) change nothing and cost no PIN try', async () => {
    const { call, core, ana } = await shop();
    const address = mixedCaseAddress();
    const before = everyTable(core.ledger.database);
    for (const lastFour of [address.slice(-4).toLowerCase(), address.slice(-5, -1), '', undefined]) {
      const answer = await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '2580', ...(lastFour === undefined ? {} : { lastFour }) });
      expect(answer, String(lastFour)).toMatchObject({
        ok: false,
        error: { code: 'confirmation-mismatch', message: 'Type the last four characters of the new deposit address exactly as shown, to confirm it.', fields: { lastFour: expect.any(String) } },
      });
    }
    expect(everyTable(core.ledger.database)).toEqual(before);
    expect(core.people.get(ana.id).failedPins).toBe(0);
  });

  it('refuses an address that is not one, and live without an address, before asking for the PIN', async () => {
    const { call, core } = await shop();
    const before = everyTable(core.ledger.database);
    expect(await call('changePaymentSetup', { mode: 'sandbox', depositAddress: 'not-an-address', ownerPin: '0000', lastFour: 'ress' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { depositAddress: expect.stringMatching(/not a Code deposit address/) } },
    });
    expect(await call('changePaymentSetup', { mode: 'live', depositAddress: null, ownerPin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { mode: expect.stringMatching(/deposit address before switching to live/) } },
    });
    expect(everyTable(core.ledger.database)).toEqual(before);
  });

  it('a mode switch waits for the open shift to close; an address change alone does not', async () => {
    const { call, core } = await shop();
    valueOf(await call('openShift', { float: 5_000 }));
    const address = randomAddress();
    const before = everyTable(core.ledger.database);
    expect(await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '2580', lastFour: address.slice(-4) })).toEqual({
      ok: false,
      error: { code: 'shift-open', message: 'Close the open shift before switching to live payments: a shift runs in one mode.' },
    });
    expect(everyTable(core.ledger.database)).toEqual(before);
    expect(valueOf(await call('changePaymentSetup', { mode: 'sandbox', depositAddress: address, ownerPin: '2580', lastFour: address.slice(-4) }))).toMatchObject({
      mode: 'sandbox',
      depositAddress: address,
    });
  });

  it('is the owner’s alone', async () => {
    const { call, cleo } = await shop();
    await signInThrough(call, cleo);
    const address = randomAddress();
    expect(await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '8642', lastFour: address.slice(-4) })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'The deposit address and live payments need the owner.' },
    });
  });

  it('is not a setting updateSettings takes: the answer says where it goes', async () => {
    const { call, core } = await shop();
    const before = everyTable(core.ledger.database);
    for (const patch of [{ depositAddress: randomAddress() }, { mode: 'live' }, { mode: 'live', shopName: 'x' }]) {
      expect(await call('updateSettings', patch)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(/deposit address and live\/sandbox are not changed here.*owner’s PIN/) },
      });
    }
    expect(everyTable(core.ledger.database)).toEqual(before);
    // Sent by someone who may not change settings at all, the refusal is that one.
    valueOf(await call('lockTill'));
    expect(await call('updateSettings', { mode: 'live' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });
});

describe('the notice at the next sign-in', () => {
  it('shows each person, once, every change since they last signed in (or were added)', async () => {
    const { call, core, ana, ben, cleo } = await shop();
    await signInThrough(call, ben);
    await signInThrough(call, ana);
    const address = randomAddress();
    valueOf(await call('changePaymentSetup', { mode: 'live', depositAddress: address, ownerPin: '2580', lastFour: address.slice(-4) }));
    const next = randomAddress();
    valueOf(await call('changePaymentSetup', { mode: 'live', depositAddress: next, ownerPin: '2580', lastFour: next.slice(-4) }));
    const entries = core.ledger.audit.page({ action: 'payment-setup-changed' }).entries.reverse();
    const when = (e: AuditEntry) => noticeTime(e.at, 'UTC');
    const expected = [
      `Deposit address changed at ${when(entries[0]!)} by Ana (owner): none → …${address.slice(-4)}; payments are now live`,
      `Deposit address changed at ${when(entries[1]!)} by Ana (owner): …${address.slice(-4)} → …${next.slice(-4)}`,
    ];
    // Someone added now has nothing to catch up on.
    const dan = valueOf(await call('addPerson', { name: 'Dan', role: 'cashier', pin: '4826' }));

    valueOf(await call('lockTill'));
    expect(valueOf(await call('signIn', { personId: ben.id, pin: '1357' })).notices).toEqual(expected);
    // Cleo never signed in: everything since she was added.
    expect(valueOf(await call('signIn', { personId: cleo.id, pin: '8642' })).notices).toEqual(expected);
    expect(valueOf(await call('signIn', { personId: ben.id, pin: '1357' })).notices).toEqual([]);
    expect(valueOf(await call('signIn', { personId: dan.id, pin: '4826' })).notices).toEqual([]);
  });

  it('is written on the shop’s clock, in words', () => {
    const entry: AuditEntry = {
      id: 1,
      at: Date.UTC(2026, 10, 30, 15, 40),
      personId: 1,
      personName: 'Ana',
      action: 'payment-setup-changed',
      summary: 'x',
      detail: {
        mode: { from: 'live', to: 'live' },
        depositAddress: { from: '11111111111111111111111111111ABCD', to: '11111111111111111111111111111WXYZ' },
      },
      saleId: null,
      shiftId: null,
    };
    expect(paymentSetupNotice(entry, 'Europe/Lisbon', 'owner')).toBe('Deposit address changed at 30 Nov 2026, 15:40 by Ana (owner): …ABCD → …WXYZ');
    expect(paymentSetupNotice(entry, 'America/New_York', 'owner')).toBe('Deposit address changed at 30 Nov 2026, 10:40 by Ana (owner): …ABCD → …WXYZ');
    const modeOnly = { ...entry, detail: { mode: { from: 'live', to: 'sandbox' }, depositAddress: { from: 'a', to: 'a' } } };
    expect(paymentSetupNotice(modeOnly, 'UTC', 'owner')).toBe('Payments switched to sandbox (practice) at 30 Nov 2026, 15:40 by Ana (owner)');
  });
});
