import type { BrowserWindow } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrinterError } from '../../electron/core/printing/printer-transport';
import { renderReceiptPage } from '../../electron/core/printing/receipt-html';
import {
  createSystemPrinterTransport,
  type PrintWindowLike,
  type SilentPrintOptions,
} from '../../electron/main/system-printer';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings } from '../../electron/shared/domain/printer';
import type { ReceiptDoc } from '../../electron/shared/domain/receipt-doc';

// Electron's BrowserWindow cannot run here: this stand-in records what the
// transport asks of it, and answers as a system with the given printers and
// print outcome would, so the transport's own paths are what runs.

// The real window must fit the slice, or index.ts could not hand it over (checked by tsc).
const _realWindowFits = (win: BrowserWindow): PrintWindowLike => win;

type PrintAnswer = { success: true } | { success: false; reason: string } | 'never';

interface FakePrintWindow extends PrintWindowLike {
  destroyed: boolean;
  loaded: string[];
  printed: SilentPrintOptions[];
  listeners: Map<string, (event: { preventDefault(): void }) => void>;
  openHandler: (() => { action: 'deny' }) | null;
}

function fakeWindow(o: { printers?: Array<{ name: string; displayName: string }>; answer?: PrintAnswer; loadFails?: string } = {}): FakePrintWindow {
  const printers = o.printers ?? [{ name: 'TM_T20III', displayName: 'EPSON TM-T20III Receipt' }];
  const answer = o.answer ?? { success: true };
  const win: FakePrintWindow = {
    destroyed: false,
    loaded: [],
    printed: [],
    listeners: new Map(),
    openHandler: null,
    webContents: {
      getPrintersAsync: async () => printers,
      print(options, callback) {
        win.printed.push(options);
        if (answer === 'never') return;
        // Electron answers later, from the print job's own completion.
        setImmediate(() => (answer.success ? callback(true, '') : callback(false, answer.reason)));
      },
      on(event, listener) {
        win.listeners.set(event, listener);
      },
      setWindowOpenHandler(handler) {
        win.openHandler = handler;
      },
    },
    async loadURL(url) {
      win.loaded.push(url);
      if (o.loadFails) throw new Error(o.loadFails);
    },
    isDestroyed: () => win.destroyed,
    destroy() {
      win.destroyed = true;
    },
  };
  return win;
}

const SYSTEM: PrinterSettings = { ...DEFAULT_PRINTER_SETTINGS, kind: 'system', systemName: 'TM_T20III', paperWidth: 80 };
const RECEIPT: ReceiptDoc = {
  title: 'Receipt for sale #12 (customer copy)',
  columns: 48,
  cut: true,
  lines: [
    { kind: 'text', text: 'Corner Coffee', align: 'center', bold: true },
    { kind: 'pair', left: 'Total', right: '$13.80', bold: true },
  ],
};

function setUp(window: Parameters<typeof fakeWindow>[0] = {}, timeoutMs?: number) {
  const windows: FakePrintWindow[] = [];
  const logged: string[] = [];
  const transport = createSystemPrinterTransport({
    createWindow: () => {
      const win = fakeWindow(window);
      windows.push(win);
      return win;
    },
    log: (message) => logged.push(message),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { transport, windows, logged };
}

const pageOf = (url: string) => {
  const prefix = 'data:text/html;charset=utf-8;base64,';
  expect(url.startsWith(prefix)).toBe(true);
  return Buffer.from(url.slice(prefix.length), 'base64').toString('utf8');
};

async function refusal(promise: Promise<unknown>): Promise<PrinterError> {
  const caught = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(PrinterError);
  return caught as PrinterError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('printing on a system printer', () => {
  it('prints the receipt silently on the named device, on paper of its width, then closes the window', async () => {
    const { transport, windows, logged } = setUp();
    await transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM);
    const [win] = windows;
    expect(win!.printed).toHaveLength(1);
    expect(win!.printed[0]).toMatchObject({
      silent: true,
      deviceName: 'TM_T20III',
      printBackground: false,
      margins: { marginType: 'none' },
      pageSize: { width: 80_000 },
    });
    expect(win!.printed[0]!.pageSize.height).toBe(renderReceiptPage(RECEIPT, 80).heightMicrons);
    const html = pageOf(win!.loaded[0]!);
    expect(html).toContain('Corner Coffee');
    expect(html).toMatch(/Total +\$13\.80/);
    expect(win!.destroyed).toBe(true);
    expect(logged).toEqual(['system-printer: printed "Receipt for sale #12 (customer copy)" on "TM_T20III"']);
  });

  it('prints on 58 mm paper when the settings say so', async () => {
    const { transport, windows } = setUp();
    await transport.send({ doc: { ...RECEIPT, columns: 32 }, drawerKick: false }, { ...SYSTEM, paperWidth: 58 });
    expect(windows[0]!.printed[0]!.pageSize.width).toBe(58_000);
  });

  it('finds a printer by the name people see, and prints to the name the system knows', async () => {
    const { transport, windows } = setUp();
    await transport.send({ doc: RECEIPT, drawerKick: false }, { ...SYSTEM, systemName: 'EPSON TM-T20III Receipt' });
    expect(windows[0]!.printed[0]!.deviceName).toBe('TM_T20III');
  });

  it('refuses a printer this computer does not have, printing nothing', async () => {
    const { transport, windows } = setUp({ printers: [{ name: 'Office_Laser', displayName: 'Office Laser' }] });
    const error = await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, { ...SYSTEM, systemName: 'Kitchen' }));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toBe('No printer named "Kitchen" on this computer.');
    expect(windows[0]!.loaded).toEqual([]);
    expect(windows[0]!.printed).toEqual([]);
    expect(windows[0]!.destroyed).toBe(true);
  });

  it('reports a failed print in words, and closes the window', async () => {
    const { transport, windows, logged } = setUp({ answer: { success: false, reason: 'Print job failed' } });
    const error = await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toBe('The printer "TM_T20III" did not print: print job failed.');
    expect(windows[0]!.destroyed).toBe(true);
    expect(logged.at(-1)).toContain('not printed: The printer "TM_T20III" did not print');
  });

  it('says so when the system gives no reason for a failed print', async () => {
    const { transport } = setUp({ answer: { success: false, reason: '' } });
    const error = await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM));
    expect(error.message).toBe('The printer "TM_T20III" did not print: no reason given.');
  });

  it('reports a page that would not load as a PrinterError, and closes the window', async () => {
    const { transport, windows } = setUp({ loadFails: 'ERR_FAILED (-2) loading data:…' });
    const error = await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toBe('The printer "TM_T20III" could not print: ERR_FAILED (-2) loading data:…');
    expect(windows[0]!.destroyed).toBe(true);
  });

  it('gives up on a print that never ends after 30 seconds, as a stalled printer, and closes the window', async () => {
    vi.useFakeTimers();
    const { transport, windows } = setUp({ answer: 'never' });
    const outcome = refusal(transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(windows[0]!.printed).toHaveLength(1);
    expect(windows[0]!.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error.code).toBe('printer-stalled');
    expect(error.message).toBe('The printer "TM_T20III" did not finish printing within 30 seconds.');
    expect(windows[0]!.destroyed).toBe(true);
  });

  it('takes another time limit when told', async () => {
    vi.useFakeTimers();
    const { transport, windows } = setUp({ answer: 'never' }, 5_000);
    const outcome = refusal(transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM));
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await outcome).message).toContain('within 5 seconds');
    expect(windows[0]!.destroyed).toBe(true);
  });

  it('refuses to open the cash drawer, without opening a window', async () => {
    const { transport, windows } = setUp();
    const error = await refusal(transport.send({ doc: null, drawerKick: true }, SYSTEM));
    expect(error.code).toBe('printer-unsupported');
    expect(error.message).toBe('A system printer cannot open the cash drawer: use a network receipt printer.');
    expect(windows).toEqual([]);
  });

  it('still prints a receipt that comes with a drawer kick, and says the drawer stays shut', async () => {
    const { transport, windows, logged } = setUp();
    await transport.send({ doc: RECEIPT, drawerKick: true }, SYSTEM);
    expect(windows[0]!.printed).toHaveLength(1);
    expect(logged[0]).toBe('system-printer: "TM_T20III" cannot open the cash drawer; printing the receipt only');
  });

  it('does nothing for a job with nothing to print and no drawer', async () => {
    const { transport, windows } = setUp();
    await transport.send({ doc: null, drawerKick: false }, SYSTEM);
    expect(windows).toEqual([]);
  });

  it.each([
    ['a network printer', { ...SYSTEM, kind: 'network' as const }],
    ['no printer', { ...SYSTEM, kind: 'none' as const }],
    ['a system printer without a name', { ...SYSTEM, systemName: '  ' }],
  ])('refuses settings for %s, without opening a window', async (_, settings) => {
    const { transport, windows } = setUp();
    const error = await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, settings));
    expect(error.code).toBe('printer-not-set');
    expect(error.message).toBe('No system printer is chosen in Settings.');
    expect(windows).toEqual([]);
  });

  it('keeps the window from going anywhere: no navigation, no redirect, no new window, no webview', async () => {
    const { transport, windows } = setUp();
    await transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM);
    const win = windows[0]!;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      win.listeners.get(event)!({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalledOnce();
    }
    expect(win.openHandler!()).toEqual({ action: 'deny' });
  });

  it('opens a fresh window for each job and leaves none behind', async () => {
    const { transport, windows } = setUp();
    await transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM);
    await refusal(transport.send({ doc: RECEIPT, drawerKick: false }, { ...SYSTEM, systemName: 'Gone' }));
    await transport.send({ doc: RECEIPT, drawerKick: false }, SYSTEM);
    expect(windows).toHaveLength(3);
    expect(windows.every((w) => w.destroyed)).toBe(true);
  });
});
