import { describe, expect, it } from 'vitest';
import { forwardCustomerViews, registerCustomerIpc, registerIpc, type IpcCallerLike, type IpcMainLike } from '../../electron/main/ipc';
import { API_METHOD_NAMES, IPC_CALL_PREFIX } from '../../electron/shared/contract/api-methods';
import { CUSTOMER_API_METHOD_NAMES, CUSTOMER_IPC_CALL_PREFIX, CUSTOMER_IPC_VIEW_CHANNEL } from '../../electron/shared/contract/customer-methods';
import { API_ARGS, type CustomerView } from '../../electron/shared/contract';
import { CUSTOMER_API_ARGS } from '../../electron/shared/contract/customer-api';
import type { ApiHandlers } from '../../electron/core/api/api-handlers';
import type { CustomerHandlers } from '../../electron/core/customer/customer-handlers';

// Electron's ipcMain cannot run here; IpcMainLike is the slice registerIpc
// uses, so this exercises the real registration code with a recording stand-in.
function recordingIpc() {
  const handlers = new Map<string, (event: IpcCallerLike, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

/** A handler table that records its calls and answers the method's name. */
function recordingTable<M extends string>(methods: readonly M[], calls: string[]) {
  return Object.fromEntries(methods.map((m) => [m, async (args: unknown) => (calls.push(`${m}:${JSON.stringify(args)}`), { ok: true, value: m })]));
}

const APP_PAGE = 'file:///app/index.html';
const CUSTOMER_PAGE = 'file:///app/customer.html';
const isAppUrl = (url: string) => url.startsWith('file:///app/');
const TILL_ID = 1;
const CUSTOMER_ID = 2;
const from = (id: number, url: string | null): IpcCallerLike => ({ sender: { id }, senderFrame: url === null ? null : { url } });

describe('electron IPC registration', () => {
  it('the preload method lists are exactly the contracts', () => {
    expect([...API_METHOD_NAMES].sort()).toEqual(Object.keys(API_ARGS).sort());
    expect([...CUSTOMER_API_METHOD_NAMES].sort()).toEqual(Object.keys(CUSTOMER_API_ARGS).sort());
  });

  it('serves every till method to the till window’s app frame and refuses any other frame', async () => {
    const { ipc, handlers } = recordingIpc();
    const calls: string[] = [];
    const unregister = registerIpc(ipc, recordingTable(API_METHOD_NAMES, calls) as unknown as ApiHandlers, { contentsId: () => TILL_ID, isAppUrl });
    expect([...handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map((m) => `${IPC_CALL_PREFIX}${m}`).sort());
    const charge = handlers.get(`${IPC_CALL_PREFIX}charge`)!;
    expect(await charge(from(TILL_ID, APP_PAGE), { amount: 5 })).toEqual({ ok: true, value: 'charge' });
    expect(await charge(from(TILL_ID, 'https://sdk.getcode.com/v1/elements'), { amount: 5 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await charge(from(TILL_ID, null), { amount: 5 })).toMatchObject({ ok: false });
    expect(calls).toEqual(['charge:{"amount":5}']);
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('the customer window cannot call the till’s API, even from the app’s own origin', async () => {
    const { ipc, handlers } = recordingIpc();
    const calls: string[] = [];
    registerIpc(ipc, recordingTable(API_METHOD_NAMES, calls) as unknown as ApiHandlers, { contentsId: () => TILL_ID, isAppUrl });
    for (const method of ['charge', 'getSettings', 'chooseTip', 'updateSettings']) {
      const answer = await handlers.get(`${IPC_CALL_PREFIX}${method}`)!(from(CUSTOMER_ID, CUSTOMER_PAGE), {});
      expect(answer, method).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Only the till may call the main process.' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses every call while the till window is closed', async () => {
    const { ipc, handlers } = recordingIpc();
    const calls: string[] = [];
    registerIpc(ipc, recordingTable(API_METHOD_NAMES, calls) as unknown as ApiHandlers, { contentsId: () => null, isAppUrl });
    expect(await handlers.get(`${IPC_CALL_PREFIX}getStatus`)!(from(TILL_ID, APP_PAGE))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('serves the customer API to the customer window only: not to the till, not to another frame, not while it is closed', async () => {
    const { ipc, handlers } = recordingIpc();
    const calls: string[] = [];
    let customerId: number | null = CUSTOMER_ID;
    const unregister = registerCustomerIpc(ipc, recordingTable(CUSTOMER_API_METHOD_NAMES, calls) as unknown as CustomerHandlers, {
      contentsId: () => customerId,
      isAppUrl,
    });
    expect([...handlers.keys()].sort()).toEqual(CUSTOMER_API_METHOD_NAMES.map((m) => `${CUSTOMER_IPC_CALL_PREFIX}${m}`).sort());
    const chooseTip = handlers.get(`${CUSTOMER_IPC_CALL_PREFIX}chooseTip`)!;
    const tip = { saleId: 1, choice: { kind: 'none' } };
    expect(await chooseTip(from(CUSTOMER_ID, CUSTOMER_PAGE), tip)).toEqual({ ok: true, value: 'chooseTip' });
    const refused = { ok: false, error: { code: 'forbidden', message: 'Only the customer display may call this.' } };
    expect(await chooseTip(from(TILL_ID, APP_PAGE), tip)).toEqual(refused);
    expect(await chooseTip(from(CUSTOMER_ID, 'https://evil.example/'), tip)).toEqual(refused);
    expect(await chooseTip(from(CUSTOMER_ID, null), tip)).toEqual(refused);
    customerId = null;
    expect(await chooseTip(from(CUSTOMER_ID, CUSTOMER_PAGE), tip)).toEqual(refused);
    expect(calls).toEqual(['chooseTip:{"saleId":1,"choice":{"kind":"none"}}']);
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('registers no till method on the customer’s prefix and no customer method on the till’s', () => {
    const { ipc, handlers } = recordingIpc();
    registerIpc(ipc, recordingTable(API_METHOD_NAMES, []) as unknown as ApiHandlers, { contentsId: () => TILL_ID, isAppUrl });
    registerCustomerIpc(ipc, recordingTable(CUSTOMER_API_METHOD_NAMES, []) as unknown as CustomerHandlers, { contentsId: () => CUSTOMER_ID, isAppUrl });
    const customerChannels = [...handlers.keys()].filter((c) => c.startsWith(CUSTOMER_IPC_CALL_PREFIX));
    expect(customerChannels.sort()).toEqual(['counter-customer:call:chooseTip', 'counter-customer:call:customerView']);
  });

  it('pushes customer views on the customer’s channel through the given sender', () => {
    const listeners = new Set<(view: CustomerView) => void>();
    const sent: Array<[string, CustomerView]> = [];
    const stop = forwardCustomerViews(
      (fn) => (listeners.add(fn), () => void listeners.delete(fn)),
      (channel, view) => sent.push([channel, view]),
    );
    const view: CustomerView = { state: 'idle', shopName: 'Corner café', mode: 'sandbox' };
    for (const fn of listeners) fn(view);
    expect(sent).toEqual([[CUSTOMER_IPC_VIEW_CHANNEL, view]]);
    stop();
    expect(listeners.size).toBe(0);
  });
});
