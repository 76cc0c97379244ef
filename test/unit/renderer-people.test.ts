import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../electron/shared/contract';
import { API_METHOD_NAMES } from '../../electron/shared/contract/api-methods';
import { METHOD_ACCESS } from '../../electron/shared/contract/access';
import type { Actor } from '../../electron/shared/domain/people';
import { canUse, isLocked, rolesApply } from '../../renderer/src/common/access';
import { newPinProblem } from '../../renderer/src/common/new-pin';
import { maskedPin, pinReady, pinWithKey, pinWithoutLast, waitSecondsOf, waitText } from '../../renderer/src/session/pin-entry';
import { visibleScreens } from '../../renderer/src/app/screens';
import {
  draftFromSettings,
  lastFourOf,
  needsLastFour,
  paymentSetupArgs,
  paymentSetupProblem,
  splitLastFour,
  type PaymentSetupDraft,
} from '../../renderer/src/settings/payment-setup-form';
import { personState } from '../../renderer/src/settings/people-text';
import { detailLines } from '../../renderer/src/audit/audit-text';

// The screens' side of people and roles: the lock screen's PIN entry, a new
// PIN typed twice, what each session may see (the same table the main
// process enforces), the deposit-address change form, and the audit log's
// detail in words.

const ADDRESS = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
const OTHER = 'DRpbCBMxVnDK7maPM5tGv6MvB3v1sRMC86PZ8okm21hy';

const session = (over: Partial<SessionView> = {}): SessionView => ({ setup: false, person: null, locked: true, since: null, lockAfterMs: 300_000, ...over });
const as = (role: Actor['role']): SessionView => session({ person: { id: 1, name: 'Ana', role }, locked: false, since: 1 });

describe('the lock screen’s PIN entry', () => {
  it('takes digits only, up to eight, and shows only dots', () => {
    let pin = '';
    for (const key of ['1', 'a', '2', ' ', '.', '3', 'Enter', '4']) pin = pinWithKey(pin, key);
    expect(pin).toBe('1234');
    expect(maskedPin(pin)).toBe('••••');
    expect(maskedPin(pin)).not.toMatch(/\d/);
    for (const key of '56789') pin = pinWithKey(pin, key);
    expect(pin).toBe('12345678');
    expect(pinWithoutLast(pin)).toBe('1234567');
    expect(pinWithoutLast('')).toBe('');
  });

  it('is ready to send from four digits: a shorter one would only count as a wrong PIN', () => {
    expect(pinReady('123')).toBe(false);
    expect(pinReady('1234')).toBe(true);
  });

  it('reads the wait the main process asks for, and counts it down in the same words', () => {
    expect(waitSecondsOf('Wait 20 s before trying again.')).toBe(20);
    expect(waitSecondsOf('Wait 3 min before trying again.')).toBe(180);
    expect(waitSecondsOf('Wrong PIN. 1 more try before a wait.')).toBeNull();
    expect(waitText('Wait 20 s before trying again.', 7)).toBe('Wait 7 s before trying again.');
    expect(waitText('Wait 3 min before trying again.', 150)).toBe('Wait 3 min before trying again.');
    expect(waitText('Wait 3 min before trying again.', 119)).toBe('Wait 119 s before trying again.');
  });

  it('a new PIN: the shared rules in words, then the same twice', () => {
    expect(newPinProblem('12a4', '12a4')).toMatch(/digits only/);
    expect(newPinProblem('123', '123')).toMatch(/4 to 8 digits/);
    expect(newPinProblem('1111', '1111')).toMatch(/one digit repeated/);
    expect(newPinProblem('1234', '1234')).toMatch(/straight run/);
    expect(newPinProblem('2580', '2581')).toMatch(/differ/);
    expect(newPinProblem('2580', '2580')).toBeNull();
  });
});

describe('what each session may use', () => {
  it('follows the main process’s table for every method and role', () => {
    for (const method of API_METHOD_NAMES) {
      const access = METHOD_ACCESS[method];
      for (const role of ['cashier', 'manager', 'owner'] as const) {
        const rank = { cashier: 1, manager: 2, owner: 3 };
        const expected = access.role === 'anyone' || rank[role] >= rank[access.role];
        expect(canUse(as(role), method), `${role} ${method}`).toBe(expected);
      }
      // Locked: only what the lock screen and the status bar need.
      expect(canUse(session(), method), `locked ${method}`).toBe(access.role === 'anyone');
    }
  });

  it('in setup, sells and reads the log with nobody signed in, but no person-only or owner method', () => {
    const setup = session({ setup: true, locked: false });
    expect(canUse(setup, 'charge')).toBe(true);
    expect(canUse(setup, 'listSales')).toBe(true);
    expect(canUse(setup, 'openDrawer')).toBe(true);
    expect(canUse(setup, 'refundSale')).toBe(false);
    expect(canUse(setup, 'openShift')).toBe(false);
    expect(canUse(setup, 'updateSettings')).toBe(false);
    expect(canUse(setup, 'auditLog')).toBe(false);
    expect(canUse(setup, 'createOwner')).toBe(true);
    expect(canUse(null, 'charge')).toBe(false);
  });

  it('locks only once roles apply', () => {
    expect(isLocked(session({ setup: true, locked: false }))).toBe(false);
    expect(isLocked(session())).toBe(true);
    expect(isLocked(as('cashier'))).toBe(false);
    expect(isLocked(null)).toBe(false);
    expect(rolesApply(session({ setup: true }))).toBe(false);
    expect(rolesApply(as('cashier'))).toBe(true);
  });

  it('tabs by role: the till for all, the shift once signed in, the log for managers, the audit log and settings for the owner', () => {
    expect(visibleScreens(null)).toEqual(['till']);
    expect(visibleScreens(session({ setup: true, locked: false }))).toEqual(['till', 'log', 'settings']);
    expect(visibleScreens(session())).toEqual(['till']);
    expect(visibleScreens(as('cashier'))).toEqual(['till', 'shift']);
    expect(visibleScreens(as('manager'))).toEqual(['till', 'shift', 'log']);
    expect(visibleScreens(as('owner'))).toEqual(['till', 'shift', 'log', 'audit', 'settings']);
  });
});

describe('the deposit address / go live form', () => {
  const sandbox = { mode: 'sandbox' as const, depositAddress: null };
  const live = { mode: 'live' as const, depositAddress: ADDRESS };
  const draft = (over: Partial<PaymentSetupDraft>, saved: { mode: 'live' | 'sandbox'; depositAddress: string | null } = sandbox) => ({ ...draftFromSettings(saved), ...over });

  it('asks for the last four when the address changes or the till goes live, not when going back to sandbox', () => {
    expect(needsLastFour(draft({ address: ADDRESS }), sandbox)).toBe(true);
    expect(needsLastFour(draft({ mode: 'live' }, { mode: 'sandbox', depositAddress: ADDRESS }), { mode: 'sandbox', depositAddress: ADDRESS })).toBe(true);
    expect(needsLastFour(draft({ mode: 'sandbox' }, live), live)).toBe(false);
    expect(needsLastFour(draft({ address: '' }, live), live)).toBe(false);
    expect(lastFourOf(ADDRESS)).toBe('VFin');
    expect(splitLastFour(ADDRESS)).toEqual([ADDRESS.slice(0, -4), 'VFin']);
  });

  it('says what stops the change, in order, before anything is sent', () => {
    expect(paymentSetupProblem(draft({}), sandbox)).toMatch(/Nothing changes/);
    expect(paymentSetupProblem(draft({ address: 'not-an-address', pin: '2580' }), sandbox)).toMatch(/“-” cannot appear/);
    expect(paymentSetupProblem(draft({ mode: 'live', pin: '2580' }), sandbox)).toMatch(/Going live needs the deposit address/);
    expect(paymentSetupProblem(draft({ address: ADDRESS, pin: '2580' }), sandbox)).toMatch(/Type the last four/);
    expect(paymentSetupProblem(draft({ address: ADDRESS, lastFour: 'vfin', pin: '2580' }), sandbox)).toMatch(/do not match .*capitals count/);
    expect(paymentSetupProblem(draft({ address: ADDRESS, lastFour: 'VFin' }), sandbox)).toMatch(/Type your PIN/);
    expect(paymentSetupProblem(draft({ address: ADDRESS, lastFour: 'VFin', pin: '25' }), sandbox)).toMatch(/4 to 8 digits/);
    expect(paymentSetupProblem(draft({ address: ADDRESS, lastFour: 'VFin', pin: '2580' }), sandbox)).toBeNull();
  });

  it('sends the mode, the address (null for none), the PIN, and the last four only when asked', () => {
    expect(paymentSetupArgs(draft({ address: ` ${OTHER} `, lastFour: '21hy', pin: '2580', mode: 'live' }), live)).toEqual({
      mode: 'live',
      depositAddress: OTHER,
      ownerPin: '2580',
      lastFour: '21hy',
    });
    expect(paymentSetupArgs(draft({ mode: 'sandbox', pin: '2580' }, live), live)).toEqual({ mode: 'sandbox', depositAddress: ADDRESS, ownerPin: '2580' });
    expect(paymentSetupArgs(draft({ address: '', pin: '2580' }, live), live)).toEqual({ mode: 'live', depositAddress: null, ownerPin: '2580' });
  });
});

describe('people and the audit log in words', () => {
  it('a person’s state: removed, locked out until when (shop time), wrong PINs, or active', () => {
    const at = Date.UTC(2026, 10, 30, 15, 40);
    expect(personState({ active: false, lockedUntil: null, failedPins: 0 }, at, 'UTC')).toEqual({ text: 'Removed', tone: 'off' });
    expect(personState({ active: true, lockedUntil: at + 30 * 60_000, failedPins: 10 }, at, 'UTC')).toEqual({ text: 'Locked out until 16:10:00', tone: 'bad' });
    expect(personState({ active: true, lockedUntil: at - 1, failedPins: 2 }, at, 'UTC')).toEqual({ text: '2 wrong PINs since the last sign-in', tone: 'warn' });
    expect(personState({ active: true, lockedUntil: null, failedPins: 0 }, at, 'UTC')).toEqual({ text: 'Active', tone: 'ok' });
  });

  it('an entry’s detail as lines: a settings change setting by setting, changes as from → to, nested keys dotted', () => {
    expect(detailLines({ changes: { shopName: { from: 'A', to: 'B' }, tunnel: { from: '[hidden]', to: '[hidden]' } } })).toEqual([
      { key: 'shopName', value: 'A → B' },
      { key: 'tunnel', value: '[hidden] → [hidden]' },
    ]);
    expect(detailLines({ mode: { from: 'sandbox', to: 'live' }, depositAddress: { from: null, to: ADDRESS } })).toEqual([
      { key: 'mode', value: 'sandbox → live' },
      { key: 'depositAddress', value: `— → ${ADDRESS}` },
    ]);
    expect(detailLines({ amount: 500, method: 'cash', note: null, by: { id: 2, name: 'Ben' }, list: [1, 2], empty: '' })).toEqual([
      { key: 'amount', value: '500' },
      { key: 'method', value: 'cash' },
      { key: 'note', value: '—' },
      { key: 'by.id', value: '2' },
      { key: 'by.name', value: 'Ben' },
      { key: 'list', value: '[1,2]' },
      { key: 'empty', value: '(empty)' },
    ]);
  });
});
