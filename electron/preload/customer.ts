import { contextBridge, ipcRenderer } from 'electron';
import { CUSTOMER_API_METHOD_NAMES, CUSTOMER_IPC_CALL_PREFIX, CUSTOMER_IPC_VIEW_CHANNEL } from '../shared/contract/customer-methods';
import type { CustomerApi } from '../shared/contract/customer-api';
import type { CustomerView } from '../shared/contract';

// The customer display's preload: exactly its own small API (its view and
// the tip), never the till's. It imports only customer-methods.ts (plain
// values) so the sandboxed preload bundle shares no chunk with the till's.
const calls = Object.fromEntries(
  CUSTOMER_API_METHOD_NAMES.map((method) => [method, (args: unknown) => ipcRenderer.invoke(`${CUSTOMER_IPC_CALL_PREFIX}${method}`, args)]),
);

const api = {
  ...calls,
  onView(listener: (view: CustomerView) => void): () => void {
    const relay = (_event: Electron.IpcRendererEvent, view: CustomerView) => listener(view);
    ipcRenderer.on(CUSTOMER_IPC_VIEW_CHANNEL, relay);
    return () => ipcRenderer.removeListener(CUSTOMER_IPC_VIEW_CHANNEL, relay);
  },
} as unknown as CustomerApi;

contextBridge.exposeInMainWorld('counterCustomer', api satisfies CustomerApi);
