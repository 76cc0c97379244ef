/**
 * Printing to a system printer (SPEC §8): the receipt as a page
 * (receipt-html.ts) in a hidden window, printed silently by Electron on the
 * device the settings name. Written against a slice of BrowserWindow, so the
 * paths (unknown device, failure, a print that never ends) are tested under
 * plain Node; index.ts supplies the real, hardened window.
 *
 * A system printer only takes pages: it cannot be sent the ESC p that opens
 * a cash drawer, so a drawer kick is refused with a clear message.
 */
import { PrinterError, type PrinterTransport } from '../core/printing/printer-transport';
import { renderReceiptPage } from '../core/printing/receipt-html';
import type { PrinterSettings } from '../shared/domain/printer';

/** The options handed to webContents.print, as Electron names them. */
export interface SilentPrintOptions {
  silent: true;
  deviceName: string;
  printBackground: false;
  color: false;
  copies: 1;
  margins: { marginType: 'none' };
  /** In microns. */
  pageSize: { width: number; height: number };
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of a window's webContents the transport uses. */
export interface PrintContentsLike {
  getPrintersAsync(): Promise<Array<{ name: string; displayName: string }>>;
  print(options: SilentPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** The slice of a BrowserWindow the transport uses: a hidden, sandboxed window, JavaScript off, no preload. */
export interface PrintWindowLike {
  readonly webContents: PrintContentsLike;
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  destroy(): void;
}

export interface SystemPrinterDeps {
  /** A new hidden window for one job; the transport destroys it when the job ends, whatever happens. */
  createWindow(): PrintWindowLike;
  log?: (message: string) => void;
  /** How long one job may take, from the window's creation to the print's answer (default 30 s). */
  timeoutMs?: number;
}

export const SYSTEM_PRINT_TIMEOUT_MS = 30_000;

const DRAWER_REFUSED = 'A system printer cannot open the cash drawer: use a network receipt printer.';

/** The page as a data: URL: nothing to serve, nothing on disk, and an opaque origin that can reach nothing of the app's. */
export function receiptDataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}

/**
 * The page holds no script and no link, and JavaScript is off, so nothing
 * should ever try to leave it; if something does, it goes nowhere (not even
 * to the system browser, unlike the till's window).
 */
function lockDown(win: PrintWindowLike): void {
  const contents = win.webContents;
  const refuse = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', refuse);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function createSystemPrinterTransport(deps: SystemPrinterDeps): PrinterTransport {
  const log = deps.log ?? (() => undefined);
  const timeoutMs = deps.timeoutMs ?? SYSTEM_PRINT_TIMEOUT_MS;

  async function print(win: PrintWindowLike, settings: PrinterSettings, html: string, pageSize: SilentPrintOptions['pageSize']): Promise<void> {
    const wanted = settings.systemName.trim();
    // Asked first: a silent print to a name the system does not know fails with no useful reason, or goes to the default printer.
    const printers = await win.webContents.getPrintersAsync();
    const device = printers.find((p) => p.name === wanted) ?? printers.find((p) => p.displayName === wanted);
    if (!device) throw new PrinterError('printer-offline', `No printer named "${wanted}" on this computer.`);
    await win.loadURL(receiptDataUrl(html));
    await new Promise<void>((resolve, reject) => {
      win.webContents.print(
        // deviceName is the system's name for it, which may differ from the one shown to people.
        { silent: true, deviceName: device.name, printBackground: false, color: false, copies: 1, margins: { marginType: 'none' }, pageSize },
        (success, failureReason) => {
          if (success) resolve();
          else {
            const reason = failureReason.trim().replace(/\.$/, '') || 'no reason given';
            reject(new PrinterError('printer-offline', `The printer "${wanted}" did not print: ${reason.toLowerCase()}.`));
          }
        },
      );
    });
  }

  return {
    async send(payload, settings) {
      const name = settings.systemName.trim();
      if (settings.kind !== 'system' || !name) throw new PrinterError('printer-not-set', 'No system printer is chosen in Settings.');
      if (!payload.doc) {
        if (payload.drawerKick) throw new PrinterError('printer-unsupported', DRAWER_REFUSED);
        return;
      }
      // The queue only asks a network printer for the drawer; should a kick ride along here, the receipt still prints.
      if (payload.drawerKick) log(`system-printer: "${name}" cannot open the cash drawer; printing the receipt only`);
      const page = renderReceiptPage(payload.doc, settings.paperWidth);
      const win = deps.createWindow();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        lockDown(win);
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new PrinterError('printer-stalled', `The printer "${name}" did not finish printing within ${Math.round(timeoutMs / 1000)} seconds.`)),
            timeoutMs,
          );
        });
        await Promise.race([print(win, settings, page.html, { width: page.widthMicrons, height: page.heightMicrons }), timedOut]);
        log(`system-printer: printed "${payload.doc.title}" on "${name}"`);
      } catch (caught) {
        const error =
          caught instanceof PrinterError
            ? caught
            : new PrinterError('printer-offline', `The printer "${name}" could not print: ${caught instanceof Error ? caught.message : String(caught)}`, caught);
        log(`system-printer: "${payload.doc.title}" not printed: ${error.message}`);
        throw error;
      } finally {
        clearTimeout(timer);
        // Also after a timeout: the hung print goes with its window, and no window is left behind per job.
        if (!win.isDestroyed()) win.destroy();
      }
    },
  };
}
