import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen } from 'electron';
import { createApiHandlers } from '../core/api/api-handlers';
import { createCustomerHandlers } from '../core/customer/customer-handlers';
import { RENDERER_CSP } from '../shared/content-security-policy';
import { APP_CUSTOMER_URL, APP_INDEX_URL, APP_SCHEME, isAppOrigin, resolveAppRequest } from './app-protocol';
import { runCounterApp } from './boot';
import { safeStorageSecretBox } from './safe-storage-box';
import { createCustomerWindowManager, type CustomerWindowManager, type Placement } from './customer-window';
import { createFileHost } from './file-host';
import { forwardCustomerViews, forwardEvents, registerCustomerIpc, registerIpc } from './ipc';
import { installMenu } from './menu';
import { guardSession, guardWindow } from './security';
import { createSystemPrinterTransport } from './system-printer';

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
let customer: CustomerWindowManager | null = null;

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

/** The customer display's window: its own preload (window.counterCustomer only), the customer page. */
function createCustomerWindow(placement: Placement): BrowserWindow {
  const win = new BrowserWindow({
    ...placement.bounds,
    fullscreen: placement.fullScreen,
    minWidth: 320,
    minHeight: 240,
    show: false,
    title: 'Counter: customer display',
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    // The till's hardened settings, written out again (not shared through a
    // helper): the electronegativity gate reads each window's literal. Only
    // the preload differs: window.counterCustomer, never the till's API.
    webPreferences: {
      preload: join(__dirname, '../preload/customer.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      spellcheck: false,
    },
  });
  guardWindow(win, isAppUrl);
  // Shown without focus: the cashier keeps typing on the till while the customer's screen comes up.
  win.once('ready-to-show', () => win.showInactive());
  void win.loadURL(rendererUrl ? `${rendererUrl}/customer.html` : APP_CUSTOMER_URL);
  return win;
}

/**
 * A hidden window for one receipt on a system printer: system-printer.ts
 * loads the receipt page into it, prints it silently and destroys it. The
 * till's hardened settings again, and stricter: the page is plain text, so
 * no preload and no JavaScript at all.
 */
function createPrintWindow(): BrowserWindow {
  return new BrowserWindow({
    show: false,
    width: 480,
    height: 640,
    title: 'Counter: printing',
    webPreferences: {
      javascript: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      spellcheck: false,
    },
  });
}

/** The system printer's log lines go to the app's log once it is open (the transport is handed to the core before). */
let printLog: (message: string) => void = () => undefined;
const systemTransport = createSystemPrinterTransport({ createWindow: createPrintWindow, log: (message) => printLog(message) });

void runCounterApp({
  app,
  dialog,
  bootOptions: () => ({
    dataDir: app.getPath('userData'),
    printing: { systemTransport },
    // The shop database's password, encrypted at rest with the system's key store when it has one.
    secretBox: safeStorageSecretBox(safeStorage),
    ...(app.isPackaged
      ? { bundledCloudflared: join(process.resourcesPath, 'cloudflared', process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared') }
      : {}),
  }),
  onBooted({ core, log }) {
    const printerLogger = core.logger.child('system-printer');
    printLog = (message) => printerLogger.info(message);
    guardSession();
    serveRenderer();
    installMenu();
    const host = {
      ...createFileHost(core, () => window, log.dir),
      openCustomerDisplay: async () => customer?.show() ?? ({ kind: 'off' } as const),
    };
    const liveContentsId = (win: BrowserWindow | null) => (win && !win.isDestroyed() ? win.webContents.id : null);
    registerIpc(ipcMain, createApiHandlers(core, host), { contentsId: () => liveContentsId(window), isAppUrl });
    registerCustomerIpc(ipcMain, createCustomerHandlers(core), { contentsId: () => customer?.contentsId() ?? null, isAppUrl });
    const till = createWindow();
    window = till;
    forwardEvents(core.onEvent, (channel, event) => {
      if (!till.isDestroyed()) till.webContents.send(channel, event);
    });
    // After the till's window: the customer display goes on a display other than the till's.
    const windowLog = core.logger.child('customer-window');
    const manager = createCustomerWindowManager({
      screen,
      createWindow: createCustomerWindow,
      tillBounds: () => (till.isDestroyed() ? null : till.getBounds()),
      enabled: () => core.settings.get().customerDisplay,
      log: (message) => windowLog.info(message),
    });
    customer = manager;
    forwardCustomerViews(core.customerDisplay.onView, (channel, view) => manager.send(channel, view));
    // The setting arrives with the status pushed after every settings change; only a change of it moves the window.
    let enabled = core.settings.get().customerDisplay;
    core.onEvent((event) => {
      if (event.type !== 'status' || event.status.customerDisplay === enabled) return;
      enabled = event.status.customerDisplay;
      manager.sync();
    });
    // The till is the app: closing it closes the customer's screen too (and the app quits).
    till.once('closed', () => manager.close());
  },
  onSecondInstance() {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  },
});
