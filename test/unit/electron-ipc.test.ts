import { describe, expect, it } from 'vitest';
import { registerIpc, type IpcMainLike } from '../../electron/main/ipc';
import { API_METHOD_NAMES, IPC_CALL_PREFIX } from '../../electron/shared/contract/api-methods';
import { API_ARGS } from '../../electron/shared/contract';
import type { ApiHandlers } from '../../electron/core/api/api-handlers';

// Electron's ipcMain cannot run here; IpcMainLike is the slice registerIpc
// uses, so this exercises the real registration code with a recording stand-in.
function recordingIpc() {
  const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

describe('electron IPC registration', () => {
  it('the preload method list is exactly the contract', () => {
    expect([...API_METHOD_NAMES].sort()).toEqual(Object.keys(API_ARGS).sort());
  });

  it('serves every method to the app frame and refuses any other frame', async () => {
    const { ipc, handlers } = recordingIpc();
    const calls: string[] = [];
    const table = Object.fromEntries(
      API_METHOD_NAMES.map((m) => [m, async (args: unknown) => (calls.push(`${m}:${JSON.stringify(args)}`), { ok: true, value: m })]),
    ) as unknown as ApiHandlers;
    const unregister = registerIpc(ipc, table, (url) => url === 'file:///app/index.html');
    expect([...handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map((m) => `${IPC_CALL_PREFIX}${m}`).sort());
    const charge = handlers.get(`${IPC_CALL_PREFIX}charge`)!;
    expect(await charge({ senderFrame: { url: 'file:///app/index.html' } }, { amount: 5 })).toEqual({ ok: true, value: 'charge' });
    expect(await charge({ senderFrame: { url: 'https://sdk.getcode.com/v1/elements' } }, { amount: 5 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await charge({ senderFrame: null }, { amount: 5 })).toMatchObject({ ok: false });
    expect(calls).toEqual(['charge:{"amount":5}']);
    unregister();
    expect(handlers.size).toBe(0);
  });
});
