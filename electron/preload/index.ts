import { contextBridge } from 'electron';

// The typed IPC API grows here; the renderer never sees ipcRenderer itself.
contextBridge.exposeInMainWorld('counter', { platform: process.platform });
