import type { ApiHandlers } from '../core/api/api-handlers';
import { API_METHOD_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/contract/api-methods';
import type { CounterEvent } from '../shared/contract';

/** The slice of Electron's ipcMain this module needs, so it can be exercised without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * Serves the handler table over IPC, to the app's own frame only, and
 * forwards pushed events. Arguments are validated by the handlers.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: ApiHandlers,
  isAppUrl: (url: string) => boolean,
): () => void {
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(`${IPC_CALL_PREFIX}${method}`, (event, args) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
        return { ok: false, error: { code: 'forbidden', message: 'Only the till may call the main process.' } };
      }
      return handlers[method](args);
    });
  }
  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(`${IPC_CALL_PREFIX}${method}`);
  };
}

export function forwardEvents(
  onEvent: (listener: (event: CounterEvent) => void) => () => void,
  send: (channel: string, event: CounterEvent) => void,
): () => void {
  return onEvent((event) => send(IPC_EVENT_CHANNEL, event));
}
