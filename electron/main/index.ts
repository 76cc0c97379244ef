import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { createApiHandlers } from '../core/api/api-handlers';
import { runCounterApp } from './boot';
import { createFileHost } from './file-host';
import { forwardEvents, registerIpc } from './ipc';
import { installMenu } from './menu';
import { guardSession, guardWindow } from './security';

// The Electron shell is deliberately thin: everything that can run without
// Electron lives in electron/core and is tested under plain Node.

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '../renderer/index.html');
const isAppUrl = (url: string) =>
  rendererUrl ? url.startsWith(rendererUrl) : url.split(/[?#]/)[0] === pathToFileURL(rendererFile).href;

let window: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Counter',
    backgroundColor: '#101418',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  guardWindow(win, isAppUrl);
  win.once('ready-to-show', () => win.show());
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(rendererFile);
  return win;
}

void runCounterApp({
  app,
  dialog,
  bootOptions: () => ({
    dataDir: app.getPath('userData'),
    ...(app.isPackaged
      ? { bundledCloudflared: join(process.resourcesPath, 'cloudflared', process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared') }
      : {}),
  }),
  onBooted({ core, log }) {
    guardSession();
    installMenu();
    registerIpc(ipcMain, createApiHandlers(core, createFileHost(core, () => window, log.dir)), isAppUrl);
    window = createWindow();
    forwardEvents(core.onEvent, (channel, event) => {
      if (window && !window.isDestroyed()) window.webContents.send(channel, event);
    });
  },
  onSecondInstance() {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  },
});
