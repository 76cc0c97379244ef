import { afterEach, describe, expect, it } from 'vitest';
import { createNetworkTransport, type NetworkTiming } from '../../electron/core/printing/network-transport';
import { PrinterError, type PrintPayload } from '../../electron/core/printing/printer-transport';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings } from '../../electron/shared/domain/printer';
import type { ReceiptDoc } from '../../electron/shared/domain/receipt-doc';
import { startStandInPrinter, type StandInOptions, type StandInPrinter } from '../support/escpos-printer';

// The network transport against the stand-in printer over real TCP on
// loopback: a job goes through, and every way a printer fails becomes one
// PrinterError the cashier can act on, naming the printer, with nothing
// printed and no socket or timer left behind.

const printers: StandInPrinter[] = [];
afterEach(async () => {
  for (const p of printers.splice(0)) await p.close();
});

async function standIn(o: StandInOptions = {}): Promise<StandInPrinter> {
  const p = await startStandInPrinter(o);
  printers.push(p);
  return p;
}

/**
 * Generous where an answer is expected (a loaded test machine must not turn
 * a slow answer into a fault); short only where the test waits for the
 * timeout itself: a stall, a status query nobody answers.
 */
const FAST: Partial<NetworkTiming> = { connectTimeoutMs: 5000, statusTimeoutMs: 5000, writeTimeoutMs: 5000 };
const NO_STATUS_ANSWER: Partial<NetworkTiming> = { ...FAST, statusTimeoutMs: 150 };
const STALL: Partial<NetworkTiming> = { ...FAST, writeTimeoutMs: 300 };

function settingsFor(p: { host: string; port: number }, more: Partial<PrinterSettings> = {}): PrinterSettings {
  return { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: p.host, port: p.port, paperWidth: 58, ...more };
}

const doc: ReceiptDoc = {
  title: 'Receipt for sale #7 (customer copy)',
  columns: 32,
  cut: true,
  lines: [
    { kind: 'text', text: 'Corner Shop', align: 'center', bold: true, size: 'large' },
    { kind: 'rule' },
    { kind: 'pair', left: 'Total', right: '$4.20 USD', bold: true },
    { kind: 'text', text: 'Thank you!', align: 'center' },
  ],
};
const receipt: PrintPayload = { doc, drawerKick: false };

async function failure(promise: Promise<unknown>): Promise<PrinterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PrinterError);
    return error as PrinterError;
  }
  throw new Error('expected the print to fail');
}

/** Polls until `check` passes (no timed assertions: the sockets close when the event loop gets to them). */
async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const count = (kind: string) => process.getActiveResourcesInfo().filter((k) => k === kind).length;

describe('network printer: a job over TCP', () => {
  it('asks for the paper status, sends the receipt, and resolves once the printer has it all', async () => {
    const p = await standIn();
    await createNetworkTransport(FAST).send(receipt, settingsFor(p));
    const [job] = await p.waitForJobs(1);
    expect(job!.commands[0]).toEqual({ name: 'status-query', value: 4 });
    expect(job!.lines).toContain('Total                  $4.20 USD');
    expect(job!.commands.filter((c) => c.name === 'cut')).toHaveLength(1);
    expect(p.connections()).toBe(1);
  });

  it('prints on a printer that never answers the status query (many do not)', async () => {
    const p = await standIn({ answersStatus: false });
    await createNetworkTransport(NO_STATUS_ANSWER).send(receipt, settingsFor(p));
    const [job] = await p.waitForJobs(1);
    expect(job!.text).toContain('Thank you!');
  });

  it('does not ask a Star printer for an ESC/POS status: the job starts with the receipt itself', async () => {
    const p = await standIn();
    await createNetworkTransport(FAST).send(receipt, settingsFor(p, { model: 'star' }));
    const [job] = await p.waitForJobs(1);
    expect(job!.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    expect(job!.commands.some((c) => c.name === 'status-query')).toBe(false);
  });

  it('sends a drawer kick with nothing printed and no cut', async () => {
    const p = await standIn();
    await createNetworkTransport(FAST).send({ doc: null, drawerKick: true }, settingsFor(p));
    const [job] = await p.waitForJobs(1);
    expect(job!.lines).toEqual([]);
    expect(job!.commands.map((c) => c.name)).toEqual(['status-query', 'init', 'codepage', 'drawer-kick']);
  });

  it('sends a long report in full, over many TCP segments', async () => {
    const p = await standIn();
    const long: ReceiptDoc = { ...doc, lines: Array.from({ length: 3000 }, (_, i) => ({ kind: 'pair' as const, left: `Line ${i}`, right: '$1.00' })) };
    await createNetworkTransport(FAST).send({ doc: long, drawerKick: false }, settingsFor(p));
    const [job] = await p.waitForJobs(1);
    expect(job!.bytes.length).toBeGreaterThan(3000 * 33);
    expect(job!.lines).toHaveLength(3000);
    expect(job!.lines[2999]).toBe('Line 2999                  $1.00');
  });
});

describe('network printer: faults, in the cashier’s words', () => {
  it('a printer that refuses the connection is offline, named by its address', async () => {
    const p = await standIn({ mode: 'refuse' });
    const error = await failure(createNetworkTransport(FAST).send(receipt, settingsFor(p)));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toBe(`The receipt printer at 127.0.0.1:${p.port} does not answer: is it on and connected?`);
    expect(p.connections()).toBe(0);
  });

  it('an address nothing answers at is offline once the connect time is up', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so the connection can only time out or be unreachable.
    const error = await failure(createNetworkTransport({ ...FAST, connectTimeoutMs: 300 }).send(receipt, settingsFor({ host: '192.0.2.1', port: 9100 })));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toContain('192.0.2.1:9100');
  });

  it('a host name that does not resolve is offline', async () => {
    const error = await failure(createNetworkTransport({ ...FAST, connectTimeoutMs: 10_000 }).send(receipt, settingsFor({ host: 'receipt-printer.invalid', port: 9100 })));
    expect(error.code).toBe('printer-offline');
    expect(error.message).toBe('The receipt printer at receipt-printer.invalid:9100 cannot be found: check its address in Settings → Printer, and that it is on the network.');
  });

  it('a printer that stops taking bytes and never hangs up is stalled, and nothing counts as printed', async () => {
    const p = await standIn({ mode: 'stall' });
    const error = await failure(createNetworkTransport(STALL).send(receipt, settingsFor(p)));
    expect(error.code).toBe('printer-stalled');
    expect(error.message).toMatch(new RegExp(`^The receipt printer at 127\\.0\\.0\\.1:${p.port} stopped taking the receipt`));
    expect(p.jobs).toHaveLength(0);
  });

  it('a printer that hangs up mid-job is closed, and nothing counts as printed', async () => {
    const p = await standIn({ mode: 'close-mid-job' });
    const error = await failure(createNetworkTransport(FAST).send(receipt, settingsFor(p)));
    expect(error.code).toBe('printer-closed');
    expect(error.message).toContain(`127.0.0.1:${p.port} hung up before the receipt was fully sent`);
    expect(p.jobs).toHaveLength(0);
  });

  it('a printer out of paper is told so before the receipt is sent: not a byte of it goes', async () => {
    const p = await standIn({ mode: 'paper-out' });
    const error = await failure(createNetworkTransport(FAST).send(receipt, settingsFor(p)));
    expect(error.code).toBe('printer-paper-out');
    expect(error.message).toBe(`The receipt printer at 127.0.0.1:${p.port} is out of paper: load a roll, then Retry.`);
    await eventually(() => expect(p.aborted).toHaveLength(1));
    expect(p.jobs).toHaveLength(0);
    expect(p.aborted[0]!.bytes).toEqual(Buffer.from([0x10, 0x04, 0x04]));
  });

  it('a printer that hangs up before the job starts is closed', async () => {
    const p = await standIn({ mode: 'close-mid-job', answersStatus: false });
    // It resets on the first bytes of print data; with a status query unanswered, those come after the status wait.
    const error = await failure(createNetworkTransport(NO_STATUS_ANSWER).send(receipt, settingsFor(p)));
    expect(error.code).toBe('printer-closed');
  });

  it.each([
    ['no address', { host: '  ' }, /No receipt printer address is set/],
    ['port 0', { host: '127.0.0.1', port: 0 }, /port 0 is not a port number/],
    ['port 70000', { host: '127.0.0.1', port: 70000 }, /port 70000 is not a port number/],
  ])('refuses to print with %s, before any connection', async (_name, more, message) => {
    const p = await standIn();
    const error = await failure(createNetworkTransport(FAST).send(receipt, { ...settingsFor(p), ...more }));
    expect(error.code).toBe('printer-not-set');
    expect(error.message).toMatch(message);
    expect(p.connections()).toBe(0);
  });

  it('after a fault, the same job sent again prints exactly once', async () => {
    const p = await standIn({ mode: 'refuse' });
    const transport = createNetworkTransport(FAST);
    expect((await failure(transport.send(receipt, settingsFor(p)))).code).toBe('printer-offline');
    await p.setMode('paper-out');
    expect((await failure(transport.send(receipt, settingsFor(p)))).code).toBe('printer-paper-out');
    await p.setMode('ok');
    await transport.send(receipt, settingsFor(p));
    await p.waitForJobs(1);
    expect(p.jobs).toHaveLength(1);
    expect(p.jobs[0]!.text).toContain('Corner Shop');
  });

  it('leaves no socket and no timer behind, whichever way a job ends', async () => {
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');
    const transport = createNetworkTransport(FAST);
    const refusing = await standIn({ mode: 'refuse' });
    await failure(transport.send(receipt, settingsFor(refusing)));
    const paperOut = await standIn({ mode: 'paper-out' });
    await failure(transport.send(receipt, settingsFor(paperOut)));
    const closing = await standIn({ mode: 'close-mid-job' });
    await failure(transport.send(receipt, settingsFor(closing)));
    const ok = await standIn();
    await transport.send(receipt, settingsFor(ok));
    // The stand-in's own sides close too once the client's are gone; only then is the count back.
    await eventually(() => {
      expect(count('TCPSocketWrap')).toBe(sockets);
      expect(count('Timeout')).toBeLessThanOrEqual(timers);
    });
  });
});
