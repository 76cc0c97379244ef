import type { ApiHandlers } from '../core/api/api-handlers';
import type { CustomerHandlers } from '../core/customer/customer-handlers';
import { API_METHOD_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/contract/api-methods';
import { CUSTOMER_API_METHOD_NAMES, CUSTOMER_IPC_CALL_PREFIX, CUSTOMER_IPC_VIEW_CHANNEL } from '../shared/contract/customer-methods';
import type { CounterEvent, CustomerView, Envelope } from '../shared/contract';

/** What an IPC call says about its caller: the window's webContents and the frame that sent it. */
export interface IpcCallerLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

/** The slice of Electron's ipcMain this module needs, so it can be exercised without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcCallerLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Who may call a handler table: one window (by its webContents id, null while it is closed), from the app's own page. */
export interface SenderGuard {
  contentsId(): number | null;
  isAppUrl(url: string): boolean;
}

/**
 * Serves the till's handler table over IPC, to the till window's own frame
 * only (the customer window has a preload of its own, but a compromised
 * customer page must still not reach the cashier's API), and forwards
 * pushed events. Arguments are validated by the handlers.
 */
export function registerIpc(ipcMain: IpcMainLike, handlers: ApiHandlers, till: SenderGuard): () => void {
  return serve(ipcMain, IPC_CALL_PREFIX, API_METHOD_NAMES, handlers, till, 'Only the till may call the main process.');
}

/** The customer display's own, smaller table, to the customer window only. */
export function registerCustomerIpc(ipcMain: IpcMainLike, handlers: CustomerHandlers, customer: SenderGuard): () => void {
  return serve(ipcMain, CUSTOMER_IPC_CALL_PREFIX, CUSTOMER_API_METHOD_NAMES, handlers, customer, 'Only the customer display may call this.');
}

function serve<M extends string>(
  ipcMain: IpcMainLike,
  prefix: string,
  methods: readonly M[],
  handlers: Record<M, (args: unknown) => Promise<Envelope<unknown>>>,
  guard: SenderGuard,
  refusal: string,
): () => void {
  for (const method of methods) {
    ipcMain.handle(`${prefix}${method}`, (event, args) => {
      const id = guard.contentsId();
      if (id === null || event.sender.id !== id || !event.senderFrame || !guard.isAppUrl(event.senderFrame.url)) {
        return { ok: false, error: { code: 'forbidden', message: refusal } };
      }
      return handlers[method](args);
    });
  }
  return () => {
    for (const method of methods) ipcMain.removeHandler(`${prefix}${method}`);
  };
}

export function forwardEvents(
  onEvent: (listener: (event: CounterEvent) => void) => () => void,
  send: (channel: string, event: CounterEvent) => void,
): () => void {
  return onEvent((event) => send(IPC_EVENT_CHANNEL, event));
}

/** Every new customer view, on the customer's channel; `send` reaches the customer window only. */
export function forwardCustomerViews(
  onView: (listener: (view: CustomerView) => void) => () => void,
  send: (channel: string, view: CustomerView) => void,
): () => void {
  return onView((view) => send(CUSTOMER_IPC_VIEW_CHANNEL, view));
}
