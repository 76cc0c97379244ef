import { contextBridge, ipcRenderer } from 'electron';
import { API_METHOD_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/contract/api-methods';
import type { CounterApi, CounterEvent } from '../shared/contract';

// Exactly the contract's API, one function per method; ipcRenderer itself
// never reaches the page. Arguments are validated in the main process.
const calls = Object.fromEntries(
  API_METHOD_NAMES.map((method) => [method, (args: unknown) => ipcRenderer.invoke(`${IPC_CALL_PREFIX}${method}`, args)]),
);

const api = {
  ...calls,
  onEvent(listener: (event: CounterEvent) => void): () => void {
    const relay = (_event: Electron.IpcRendererEvent, payload: CounterEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
  },
} as unknown as CounterApi;

contextBridge.exposeInMainWorld('counter', api satisfies CounterApi);
