import { afterEach, describe, expect, it } from 'vitest';
import type { CounterCore } from '../../electron/core/app/counter-core';
import { API_METHOD_NAMES, METHOD_ACCESS, type ApiMethod, type Envelope } from '../../electron/shared/contract';
import { hasRole, type Role } from '../../electron/shared/domain/people';
import { bridgeCall, startApiCore, startStubPreview, tableCall, peopleThrough, signInThrough, valueOf, type ApiCall } from '../support/api-core';
import { everyTable } from '../support/every-table';
import { randomAddress } from '../support/temp-dir';

// Who may call what, for every method of the till's API, through the
// handler table Electron's IPC serves and through the preview bridge over
// HTTP: a person without the role (nobody, when the till is locked) is
// refused with a clear error, before the arguments are read, and the
// ledger file is exactly as it was. Before the owner exists (setup), the
// till sells with no sign-in but owner methods, and those that always name
// a person, wait for the owner.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ADDRESS = randomAddress();
const PAID = 1;
const OPEN = 2;

/** Arguments each method would accept (and act on) if allowed: the refusal must not come from a malformed request. */
const ARGS: { [M in ApiMethod]: unknown } = {
  getStatus: undefined,
  getSettings: undefined,
  updateSettings: { shopName: 'Taken over' },
  charge: { amount: 500 },
  chooseTip: { saleId: OPEN, choice: { kind: 'none' } },
  openCustomerDisplay: undefined,
  requestCodePayment: { saleId: OPEN },
  scanCode: { saleId: OPEN, tenderId: 1 },
  takeCash: { saleId: OPEN, tendered: 1000 },
  takeOther: { saleId: OPEN, amount: 100, label: 'Card' },
  cancelSale: { saleId: OPEN },
  focusSale: { saleId: OPEN },
  currentSale: undefined,
  simulatePayment: { saleId: OPEN },
  simulateCancel: { saleId: OPEN },
  reportButtonEvent: { saleId: OPEN, event: 'success' },
  getSale: { saleId: PAID },
  recentSales: { limit: 5 },
  installCloudflared: undefined,
  checkRail: undefined,
  listSales: { filter: { mode: 'all' } },
  salesTotals: { filter: { mode: 'all' } },
  salesChart: { filter: { mode: 'all' } },
  daySummary: { date: '2026-11-30' },
  exportCsv: { filter: { mode: 'all' } },
  printReceipt: { saleId: PAID },
  printDaySummary: { date: '2026-11-30' },
  printTest: undefined,
  openDrawer: undefined,
  retryPrint: { jobId: 1 },
  printJobs: { limit: 5 },
  saveReceiptPdf: { saleId: PAID },
  openLogFolder: undefined,
  sessionState: undefined,
  signInChoices: undefined,
  signIn: { personId: 1, pin: '2580' },
  lockTill: undefined,
  touchSession: undefined,
  createOwner: { name: 'Mallory', pin: '4826' },
  listPeople: undefined,
  addPerson: { name: 'Mallory', role: 'manager', pin: '4826' },
  updatePerson: { personId: 2, role: 'manager' },
  setPin: { personId: 1, pin: '4826' },
  changeOwnPin: { currentPin: '1357', newPin: '4826' },
  changePaymentSetup: { mode: 'live', depositAddress: ADDRESS, ownerPin: '2580', lastFour: ADDRESS.slice(-4) },
  auditLog: {},
  exportAudit: undefined,
  currentShift: undefined,
  openShift: { float: 10_000 },
  closeShift: { countedCash: 10_000 },
  shiftReport: { shiftId: 1 },
  listShifts: { limit: 5 },
  printShiftReport: { shiftId: 1 },
  refundSale: { saleId: PAID, amount: 100, method: 'cash' },
  voidSale: { saleId: OPEN, reason: 'rung up twice' },
  printRefund: { refundId: 1 },
  testShopDatabase: { url: 'postgres://counter@127.0.0.1:1/none' },
  shopTills: undefined,
  shopSales: { filter: { mode: 'all' } },
  shopTotals: { filter: { mode: 'all' }, tillId: null },
  shopChart: { filter: { from: '2026-11-30', to: '2026-11-30' } },
  shopDaySummary: { date: '2026-11-30' },
  shopSale: { tillId: '3f2a9c1d-0000-4000-8000-000000000000', saleId: PAID },
  hostShopDatabase: { port: null },
  shopHost: undefined,
};

type Phase = 'setup' | 'locked' | Role;

/** The refusal the access table promises `method` in `phase` (no shift is open in this matrix), or null when it lets the call through. */
function refusal(method: ApiMethod, phase: Phase): { code: string; message: RegExp } | null {
  const access = METHOD_ACCESS[method];
  if (access.role === 'anyone') return null;
  if (phase === 'setup') {
    if (access.role === 'owner') return { code: 'owner-needed', message: /create the owner first \(Settings → Owner\)/i };
    if (access.person) return { code: 'owner-needed', message: /create the owner first/i };
    return null;
  }
  if (phase === 'locked') return { code: 'locked', message: /^The till is locked: sign in with your PIN\.$/ };
  if (access.role !== 'cashier' && !hasRole(phase, access.role)) {
    return { code: 'forbidden', message: access.role === 'owner' ? /^.+ needs? the owner\.$/ : /^.+ needs? a manager or the owner\.$/ };
  }
  if (access.shift) return { code: 'no-shift', message: /^Open a shift first: count the float\.$/ };
  return null;
}

/** Calls every method the phase refuses, and checks each answer and that the ledger file did not change. Returns the methods refused. */
async function expectRefusals(core: CounterCore, call: ApiCall, phase: Phase): Promise<ApiMethod[]> {
  const refused: ApiMethod[] = [];
  for (const method of API_METHOD_NAMES) {
    const expected = refusal(method, phase);
    if (!expected) continue;
    const before = everyTable(core.ledger.database);
    const answer = (await call(method, ARGS[method])) as Envelope<unknown>;
    expect(answer, `${method} as ${phase}`).toMatchObject({ ok: false, error: { code: expected.code } });
    if (!answer.ok) expect(answer.error.message, `${method} as ${phase}`).toMatch(expected.message);
    expect(everyTable(core.ledger.database), `${method} as ${phase} wrote to the ledger`).toEqual(before);
    refused.push(method);
  }
  return refused;
}

/**
 * The whole matrix on one core: a paid sale and an open one rung up in
 * setup, setup's refusals, then the owner, a manager and a cashier, and the
 * refusals with the till locked, as the cashier and as the manager.
 */
async function walkMatrix(core: CounterCore, call: ApiCall): Promise<void> {
  // No Code payment waits on the open sale: nothing in the background writes while the matrix compares the file.
  await core.updateSettings({ sandboxPaymentService: false });
  const paid = valueOf(await call('charge', { amount: 1500 }));
  valueOf(await call('takeCash', { saleId: paid.sale.id, tendered: 2000 }));
  const open = valueOf(await call('charge', { amount: 700 }));
  expect([paid.sale.id, open.sale.id]).toEqual([PAID, OPEN]);
  expect(valueOf(await call('sessionState'))).toMatchObject({ setup: true, locked: false, person: null });

  const refusedIn: Record<Phase, ApiMethod[]> = { setup: [], locked: [], cashier: [], manager: [], owner: [] };
  refusedIn.setup = await expectRefusals(core, call, 'setup');

  const people = await peopleThrough(call);
  valueOf(await call('lockTill'));
  refusedIn.locked = await expectRefusals(core, call, 'locked');
  await signInThrough(call, people.ben);
  refusedIn.cashier = await expectRefusals(core, call, 'cashier');
  await signInThrough(call, people.cleo);
  refusedIn.manager = await expectRefusals(core, call, 'manager');

  // Every method but the lock screen's own is refused to someone, and the owner methods to everyone below the owner.
  for (const method of API_METHOD_NAMES) {
    const access = METHOD_ACCESS[method];
    if (access.role === 'anyone') continue;
    expect(refusedIn.locked, method).toContain(method);
    if (access.role === 'owner') expect([refusedIn.setup, refusedIn.cashier, refusedIn.manager].every((list) => list.includes(method)), method).toBe(true);
    if (access.role === 'manager') expect(refusedIn.cashier, method).toContain(method);
    if (access.person) expect(refusedIn.setup, method).toContain(method);
  }
  expect(refusedIn.cashier).toContain('charge');
  expect(refusedIn.cashier).toContain('refundSale');
  expect(refusedIn.manager).toContain('changePaymentSetup');
}

describe('access: every method, through the handler table', () => {
  it('refuses each method to whoever lacks its role (nobody, when locked), in words, writing nothing', async () => {
    const { core, api } = await startApiCore();
    cleanups.push(() => core.close());
    await walkMatrix(core, tableCall(api));
  });
});

describe('access: every method, through the preview bridge', () => {
  it('refuses each method over HTTP exactly as the handler table does, writing nothing', async () => {
    const preview = await startStubPreview(cleanups, 'counter-access-test-');
    await walkMatrix(preview.core, bridgeCall(preview));
  });
});

describe('access: setup, the locked till, and the open shift', () => {
  async function started() {
    const started = await startApiCore();
    cleanups.push(() => started.core.close());
    return { ...started, call: tableCall(started.api) };
  }

  it('in setup, the till sells with no sign-in and nobody named; owner methods say to create the owner', async () => {
    const { call } = await started();
    const sale = valueOf(await call('charge', { amount: 250 }));
    expect(sale.sale).toMatchObject({ soldBy: null, shiftId: null });
    expect(valueOf(await call('listSales', { filter: { mode: 'all' } })).sales).toHaveLength(1);
    expect(await call('updateSettings', { shopName: 'Corner Café' })).toEqual({
      ok: false,
      error: { code: 'owner-needed', message: 'Settings need the owner. Create the owner first (Settings → Owner); from then on everyone signs in with a PIN.' },
    });
    expect(await call('openShift', { float: 100 })).toMatchObject({ ok: false, error: { code: 'owner-needed' } });
    expect(valueOf(await call('signInChoices'))).toEqual([]);
  });

  it('creating the owner signs them in and ends setup for good; a second owner is refused', async () => {
    const { call, core, dir } = await started();
    const created = valueOf(await call('createOwner', { name: 'Ana', pin: '2580' }));
    expect(created).toMatchObject({ session: { setup: false, locked: false, person: { name: 'Ana', role: 'owner' } }, notices: [] });
    expect(valueOf(await call('updateSettings', { shopName: 'Corner Café' }))).toMatchObject({ shopName: 'Corner Café' });
    expect(await call('createOwner', { name: 'Mallory', pin: '4826' })).toMatchObject({ ok: false, error: { code: 'owner-exists' } });
    // A restart starts locked: nobody is signed in until a PIN is given.
    await core.close();
    const again = await startApiCore({ dataDir: dir });
    cleanups.push(() => again.core.close());
    expect(valueOf(await again.api.sessionState(undefined))).toMatchObject({ setup: false, locked: true, person: null });
    expect(await again.api.charge({ amount: 100 })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(valueOf(await again.api.signInChoices(undefined))).toEqual([{ id: 1, name: 'Ana', role: 'owner' }]);
  });

  it('a wrong PIN at the lock screen keeps the till locked', async () => {
    const { call } = await started();
    const { ben } = await peopleThrough(call);
    valueOf(await call('lockTill'));
    expect(await call('signIn', { personId: ben.id, pin: '0000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(valueOf(await call('sessionState'))).toMatchObject({ locked: true, person: null });
    expect(await call('getSettings')).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('a locked till still answers the status bar and the lock screen, and locking pushes the session to the screens', async () => {
    const { call, events } = await started();
    await peopleThrough(call);
    valueOf(await call('lockTill'));
    expect(events.filter((e) => e.type === 'session').at(-1)).toMatchObject({ type: 'session', session: { locked: true, person: null } });
    for (const method of ['getStatus', 'sessionState', 'signInChoices', 'touchSession', 'lockTill'] as const) expect((await call(method)).ok, method).toBe(true);
  });

  it('charging needs an open shift once roles apply, and works once one is open', async () => {
    const { call } = await started();
    const { ben } = await peopleThrough(call);
    await signInThrough(call, ben);
    expect(await call('charge', { amount: 300 })).toEqual({ ok: false, error: { code: 'no-shift', message: 'Open a shift first: count the float.' } });
    valueOf(await call('openShift', { float: 5_000 }));
    expect(valueOf(await call('charge', { amount: 300 })).sale).toMatchObject({ amount: 300, soldBy: { id: ben.id, name: 'Ben' } });
  });

  it('a cashier cancels only their own open sale; a manager cancels another’s, recorded as theirs', async () => {
    const { call, core } = await started();
    const rungInSetup = valueOf(await call('charge', { amount: 400 })).sale;
    const { ben, cleo } = await peopleThrough(call);
    await signInThrough(call, ben);
    valueOf(await call('openShift', { float: 5_000 }));
    const own = valueOf(await call('charge', { amount: 300 })).sale;
    const before = everyTable(core.ledger.database);
    expect(await call('cancelSale', { saleId: rungInSetup.id })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only a manager can cancel another person’s sale.' },
    });
    expect(everyTable(core.ledger.database)).toEqual(before);
    expect(valueOf(await call('cancelSale', { saleId: own.id }))).toMatchObject({ status: 'cancelled' });

    await signInThrough(call, cleo);
    expect(valueOf(await call('cancelSale', { saleId: rungInSetup.id }))).toMatchObject({ status: 'cancelled' });
    const cancels = core.ledger.audit.page({ action: 'sale-cancelled' }).entries;
    expect(cancels).toMatchObject([
      { personName: 'Cleo', saleId: rungInSetup.id, summary: `Sale #${rungInSetup.id} ($4.00) cancelled by Cleo` },
      { personName: 'Ben', saleId: own.id, summary: `Sale #${own.id} ($3.00) cancelled by Ben` },
    ]);
  });

  it('an allowed call counts as use of the till (the idle lock starts again); the status bar’s calls do not', async () => {
    const { call, core } = await started();
    await peopleThrough(call);
    const touched: string[] = [];
    const touch = core.session.touch.bind(core.session);
    core.session.touch = () => {
      touched.push('touch');
      touch();
    };
    await call('getStatus');
    await call('sessionState');
    expect(touched).toEqual([]);
    valueOf(await call('getSettings'));
    valueOf(await call('touchSession'));
    expect(touched).toEqual(['touch', 'touch']);
  });
});

