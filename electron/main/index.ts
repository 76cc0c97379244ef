import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol } from 'electron';
import { createApiHandlers } from '../core/api/api-handlers';
import { RENDERER_CSP } from '../shared/content-security-policy';
import { APP_INDEX_URL, APP_SCHEME, isAppOrigin, resolveAppRequest } from './app-protocol';
import { runCounterApp } from './boot';
import { createFileHost } from './file-host';
import { forwardEvents, registerIpc } from './ipc';
import { installMenu } from './menu';
import { guardSession, guardWindow } from './security';

// The Electron shell is deliberately thin: everything that can run without
// Electron lives in electron/core and is tested under plain Node.

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererRoot = join(__dirname, '../renderer');
const isAppUrl = (url: string) => (rendererUrl ? url.startsWith(rendererUrl) : isAppOrigin(url));

// Must happen before 'ready'. standard: a real origin, so 'self' and relative
// URLs work; secure: treated like https (no mixed-content downgrade).
// No bypassCSP, no corsEnabled: the app's origin gets no privilege beyond a page's.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves app://counter/… from the renderer's build folder only (see app-protocol.ts). */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveAppRequest(request.url, rendererRoot);
    if (answer.status !== 200) return new Response(answer.reason, { status: answer.status, headers: { 'content-type': 'text/plain' } });
    return new Response(await readFile(answer.file), {
      headers: {
        'content-type': answer.mimeType,
        'content-security-policy': RENDERER_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // A middle-click on a link would fire 'auxclick' and try a new window;
      // the window-open handler denies it anyway, this keeps the event away.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      spellcheck: false,
    },
  });
  guardWindow(win, isAppUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl ?? APP_INDEX_URL);
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
    serveRenderer();
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
