import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { renderEscPos } from '../../electron/core/printing/escpos-render';
import { createNetworkTransport } from '../../electron/core/printing/network-transport';
import type { PrintPayload } from '../../electron/core/printing/printer-transport';
import { DEFAULT_PRINTER_SETTINGS, PAPER_COLUMNS, type PaperWidth, type PrinterSettings } from '../../electron/shared/domain/printer';
import { buildDaySummaryReceipt, buildSaleReceipt, buildTestReceipt, wrapText, type SaleReceiptOptions } from '../../electron/shared/domain/receipt-builder';
import type { ReceiptDoc } from '../../electron/shared/domain/receipt-doc';
import type { Sale } from '../../electron/shared/domain/sale';
import { decodeEscPos, startStandInPrinter, type DecodedJob, type StandInPrinter } from '../support/escpos-printer';
import { randomAddress, tempDir } from '../support/temp-dir';

// Receipts end to end below the queue: sales written by the real ledger,
// laid out by the receipt builder, rendered to ESC/POS by
// node-thermal-printer, sent over real TCP by the network transport, and
// read back by the stand-in printer as the lines and commands a printer
// would act on.

const TIME_ZONE = 'America/New_York';
/** 23 Nov 2026, 12:05:09 in New York. */
const NOON = Date.UTC(2026, 10, 23, 17, 5, 9);

let printer: StandInPrinter;
beforeAll(async () => {
  printer = await startStandInPrinter();
});
afterAll(async () => {
  await printer.close();
});

function shop(at = NOON) {
  let clock = at;
  const ledger: Ledger = createLedger({ dir: tempDir(), timeZone: TIME_ZONE, now: () => clock });
  const destination = randomAddress();
  const codePaid = (saleId: number, amount: number) => {
    const seq = (ledger.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
    const { tender } = ledger.addCodeTender(saleId, { amount, seq, intentId: randomAddress() });
    return ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: amount * 2_000, exchangeRate: 0.00005, payload: 'jwt' }).sale;
  };
  return {
    ledger,
    tick: (ms = 60_000) => (clock += ms),
    sale: (amount: number, o: { currency?: string; mode?: 'live' | 'sandbox'; tips?: boolean } = {}) =>
      ledger.createSale({ amount, currency: o.currency ?? 'usd', mode: o.mode ?? 'live', destination, awaitingTip: o.tips ?? false }),
    codePaid,
    /** A sale paid by one Code payment. */
    codeSale: (amount: number, o: { currency?: string; mode?: 'live' | 'sandbox' } = {}) => {
      const s = ledger.createSale({ amount, currency: o.currency ?? 'usd', mode: o.mode ?? 'live', destination });
      return codePaid(s.id, amount);
    },
  };
}

function settings(paperWidth: PaperWidth = 80, more: Partial<PrinterSettings> = {}): PrinterSettings {
  return { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: printer.host, port: printer.port, paperWidth, ...more };
}

function receiptOf(sale: Sale, paperWidth: PaperWidth = 80, more: Partial<SaleReceiptOptions> = {}): ReceiptDoc {
  return buildSaleReceipt(sale, {
    shopName: 'Corner Café',
    timeZone: TIME_ZONE,
    header: ['12 Main Street'],
    footer: ['Thank you!'],
    columns: PAPER_COLUMNS[paperWidth],
    copy: 'customer',
    ...more,
  });
}

/** Sends one job through the transport and returns what the stand-in printed for it. */
async function print(payload: PrintPayload, s: PrinterSettings = settings()): Promise<DecodedJob> {
  const before = printer.jobs.length;
  await createNetworkTransport().send(payload, s);
  const jobs = await printer.waitForJobs(before + 1);
  return jobs[before]!;
}

const pad = (left: string, right: string, columns = 48) => left + ' '.repeat(columns - left.length - right.length) + right;
const names = (job: DecodedJob) => job.commands.map((c) => c.name);

describe('printed receipts, decoded by the stand-in printer', () => {
  it('a Code sale: shop, header, amount, "Paid with Code", shop-time date and time, total, sale number, copy, footer, then a cut', async () => {
    const t = shop();
    const sale = t.codeSale(420);
    const job = await print({ doc: receiptOf(sale), drawerKick: false });
    const date = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE }).format(NOON);
    expect(job.lines).toEqual([
      'Corner Café',
      '12 Main Street',
      'Receipt',
      '-'.repeat(48),
      '$4.20',
      'Paid with Code',
      '',
      pad('Date', date),
      pad('Time', '12:05:09'),
      pad('Total', '$4.20 USD'),
      pad('Sale number', `#${sale.id}`),
      '-'.repeat(48),
      'Customer copy',
      '',
      'Thank you!',
    ]);
    // Initialise, the code page, the shop name centred, large and bold … and one cut at the end, no drawer.
    expect(job.commands.slice(0, 6)).toEqual([
      { name: 'status-query', value: 4 },
      { name: 'init' },
      { name: 'codepage', value: 16 },
      { name: 'align', value: 'center' },
      { name: 'size', value: '2x2' },
      { name: 'bold', value: 0 },
    ]);
    expect(job.commands[6]).toEqual({ name: 'bold', value: 1 });
    expect(job.commands.filter((c) => c.name === 'cut')).toEqual([{ name: 'cut', value: 'full' }]);
    expect(names(job)).not.toContain('drawer-kick');
    expect(names(job).filter((n) => n.startsWith('unknown') || n === 'unprinted' || n === 'truncated')).toEqual([]);
  });

  it('a split sale: each Code payment, the cash handed over and the change given', async () => {
    const t = shop();
    const s = t.sale(1250);
    t.codePaid(s.id, 300);
    t.codePaid(s.id, 200);
    const sale = t.ledger.addCashTender(s.id, { tendered: 1000 }).sale;
    expect(sale.status).toBe('paid');
    const job = await print({ doc: receiptOf(sale), drawerKick: false });
    expect(job.lines).toContain('Paid with Code and cash');
    const tenders = job.lines.slice(job.lines.indexOf(pad('Sale number', `#${sale.id}`)) + 2, job.lines.indexOf('Customer copy') - 1);
    expect(tenders).toEqual([pad('Code payment 1 of 2', '$3.00'), pad('Code payment 2 of 2', '$2.00'), pad('Cash', '$10.00'), pad('Change', '$2.50')]);
  });

  it('a tipped sale: the subtotal, the tip with its percentage, and the total of both', async () => {
    const t = shop();
    const s = t.sale(1250, { tips: true });
    t.ledger.setTip(s.id, { amount: 188, percent: 15, by: 'customer' });
    const sale = t.codePaid(s.id, 1438);
    const job = await print({ doc: receiptOf(sale), drawerKick: false });
    expect(job.lines).toContain('$14.38');
    const at = job.lines.indexOf(pad('Subtotal', '$12.50'));
    expect(job.lines.slice(at, at + 3)).toEqual([pad('Subtotal', '$12.50'), pad('Tip 15 %', '$1.88'), pad('Total', '$14.38 USD')]);
  });

  it('a sandbox sale says SANDBOX, large, at the top and again by the copy', async () => {
    const t = shop();
    const sale = t.codeSale(100, { mode: 'sandbox' });
    const job = await print({ doc: receiptOf(sale), drawerKick: false });
    expect(job.lines.slice(3, 6)).toEqual(['', '*** SANDBOX ***', 'test sale, no real money']);
    expect(job.lines).toContain('SANDBOX · no real money');
    // The marker is printed double size: a size command comes right before it.
    const live = await print({ doc: receiptOf(t.codeSale(100)), drawerKick: false });
    expect(live.text).not.toContain('SANDBOX');
    expect(job.commands.filter((c) => c.name === 'size' && c.value === '2x2').length).toBe(live.commands.filter((c) => c.name === 'size' && c.value === '2x2').length + 1);
  });

  it('the shop copy says so', async () => {
    const t = shop();
    const job = await print({ doc: receiptOf(t.codeSale(100), 80, { copy: 'shop' }), drawerKick: false });
    expect(job.lines).toContain('Shop copy');
    expect(job.lines).not.toContain('Customer copy');
  });

  it.each([58, 80] as const)('on %i mm paper no printed line is wider than the paper, and rules run across it', async (width) => {
    const t = shop();
    const s = t.sale(123_456_78, { currency: 'eur' });
    t.codePaid(s.id, 100);
    t.ledger.addOtherTender(s.id, { amount: 100, label: 'Gift voucher, neighbourhood association' });
    const sale = t.ledger.addCashTender(s.id, { tendered: 123_456_78 }).sale;
    const doc = receiptOf(sale, width, {
      shopName: 'The Extraordinarily Long-Named Corner Café and Bakery',
      header: ['Open every day from seven in the morning until late', 'VAT no. FR 12 345 678 901'],
      receiptDetails: true,
    });
    const job = await print({ doc, drawerKick: false }, settings(width));
    const columns = PAPER_COLUMNS[width];
    for (const line of job.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
    expect(job.lines.filter((l) => l === '-'.repeat(columns)).length).toBeGreaterThanOrEqual(3);
    // Large text (the shop name) takes two columns a character: half as many fit on a line.
    const name = wrapText('The Extraordinarily Long-Named Corner Café and Bakery', columns / 2);
    expect(job.lines.slice(0, name.length)).toEqual(name);
    for (const line of name) expect(line.length).toBeLessThanOrEqual(columns / 2);
    expect(job.text).toContain('Gift voucher');
    expect(job.text).toContain('€123,456.78');
  });

  it('a receipt laid out for 80 mm prints within 58 mm paper when that is what the printer has', async () => {
    const t = shop();
    const job = await print({ doc: receiptOf(t.codeSale(420), 80), drawerKick: false }, settings(58));
    for (const line of job.lines) expect(line.length, line).toBeLessThanOrEqual(32);
    expect(job.lines).toContain(pad('Total', '$4.20 USD', 32));
  });

  it('cash opens the drawer: one complete ESC p pulse, before the receipt prints', async () => {
    const t = shop();
    const s = t.sale(650);
    const sale = t.ledger.addCashTender(s.id, { tendered: 1000 }).sale;
    const job = await print({ doc: receiptOf(sale), drawerKick: true });
    expect(job.commands.filter((c) => c.name === 'drawer-kick')).toEqual([{ name: 'drawer-kick', value: 'pin 2, on 50 ms, off 500 ms' }]);
    expect(names(job).indexOf('drawer-kick')).toBeLessThan(names(job).indexOf('align'));
    expect(job.bytes.includes(Buffer.from([0x1b, 0x70, 0x00, 25, 250]))).toBe(true);
    expect(job.lines).toContain(pad('Change', '$3.50'));
  });

  it('the end-of-day report: takings by tender, tips, change, unpaid, counts, first and last sale, drawer openings', async () => {
    const t = shop(Date.UTC(2026, 10, 23, 14)); // 09:00 in New York
    t.codeSale(500);
    t.tick();
    const tipped = t.sale(1000, { tips: true });
    t.ledger.setTip(tipped.id, { amount: 150, percent: 15, by: 'customer' });
    t.codePaid(tipped.id, 1150);
    t.tick();
    t.ledger.addCashTender(t.sale(650).id, { tendered: 1000 });
    t.tick();
    t.ledger.cancel(t.sale(999).id);
    const summary = { ...t.ledger.queries.daySummary('2026-11-23', 'live'), drawerOpenings: { cash: 1, noSale: 2 } };
    const doc = buildDaySummaryReceipt(summary, { shopName: 'Corner Café', timeZone: TIME_ZONE, columns: 32, header: [], footer: [] });
    const job = await print({ doc, drawerKick: false }, settings(58));
    const p = (l: string, r: string) => pad(l, r, 32);
    const date = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2026, 10, 23));
    expect(job.lines.slice(0, 5)).toEqual(['Corner Café', 'End of day', date, 'Live sales', `Times in ${TIME_ZONE}`]);
    expect(job.lines).toEqual(
      expect.arrayContaining([
        p('Taken USD', '$23.00'),
        '3 paid sales, of 4 rung up',
        p('  Code', '$16.50'),
        p('  Cash', '$6.50'),
        p('Tips (on 1 sale)', '$1.50'),
        p('Change given', '$3.50'),
        p('Rung up, not paid', '$9.99'),
        '1 cancelled',
        p('Sales rung up', '4'),
        p('Paid', '3'),
        p('Cancelled', '1'),
        p('First sale', '09:00:00'),
        p('Last sale', '09:03:00'),
        p('For cash', '1'),
        p('No sale', '2'),
      ]),
    );
    for (const line of job.lines) expect(line.length, line).toBeLessThanOrEqual(32);
    expect(names(job).at(-2)).toBe('cut');
  });

  it('the test receipt prints the settings, a ruler exactly as wide as the paper, and accented letters', async () => {
    const s = settings(58);
    const doc = buildTestReceipt({ shopName: 'Corner Café', columns: 32, settings: s, at: NOON, timeZone: TIME_ZONE });
    const job = await print({ doc, drawerKick: false }, s);
    expect(job.lines).toContain('12345678901234567890123456789012');
    expect(job.lines).toContain(pad('Printer', `127.0.0.1:${printer.port}`, 32));
    expect(job.lines).toContain(pad('Commands', 'Epson ESC/POS', 32));
    expect(job.lines).toContain('Café crème 12,50 € · £3.00');
  });

  it('a Star printer gets Star commands: other bytes, the same text, and Star’s cut', async () => {
    const t = shop();
    const doc = receiptOf(t.codeSale(420));
    const epson = renderEscPos({ doc, drawerKick: true }, settings(80));
    const job = await print({ doc, drawerKick: true }, settings(80, { model: 'star' }));
    expect(job.bytes.equals(epson)).toBe(false);
    // ESC GS t 32 (Windows-1252), ESC d 2 (feed and full cut), ESC BEL … BEL (the drawer).
    expect(job.bytes.includes(Buffer.from([0x1b, 0x1d, 0x74, 32]))).toBe(true);
    expect(job.bytes.includes(Buffer.from([0x1b, 0x64, 0x02]))).toBe(true);
    expect(job.bytes.includes(Buffer.from([0x1b, 0x07, 0x0b, 0x37, 0x07]))).toBe(true);
    const star = decodeEscPos(job.bytes, { model: 'star' });
    expect(star.lines).toEqual(decodeEscPos(epson).lines);
    expect(star.commands.filter((c) => c.name === 'cut')).toEqual([{ name: 'cut', value: 'full' }]);
    expect(star.commands.filter((c) => c.name === 'drawer-kick')).toHaveLength(1);
    expect(star.commands.filter((c) => c.name.startsWith('unknown'))).toEqual([]);
  });
});

describe('what reaches the paper is text, never commands', () => {
  it('control bytes in a tender label or the header are dropped, so they cannot cut, reset or kick anything', async () => {
    const t = shop();
    const s = t.sale(500);
    t.ledger.addOtherTender(s.id, { amount: 200, label: 'Card\u001b@\u001dV\u0000' });
    const sale = t.codePaid(s.id, 300);
    const job = await print({ doc: receiptOf(sale, 80, { header: ['Hi\u001bp\u0000\u0019 there', 'tab\there'] }), drawerKick: false });
    expect(job.lines).toContain(pad('Card@V (other)', '$2.00'));
    expect(job.lines).toContain('Hip there');
    expect(job.lines).toContain('tab here');
    expect(names(job).filter((n) => n === 'init')).toHaveLength(2); // the job's own, and the one after the cut
    expect(names(job).filter((n) => n === 'cut' || n === 'drawer-kick')).toEqual(['cut']);
  });

  it('letters outside the printer’s code page print as their plain form or "?", one column each', async () => {
    const t = shop();
    const job = await print({ doc: receiptOf(t.codeSale(100), 80, { header: ['Łódź ✓ Ǆ 東京'] }), drawerKick: false });
    expect(job.lines).toContain('Lódz ? ? ??');
  });

  it('renders without opening any connection: only the transport talks to the printer', () => {
    const connect = vi.spyOn(net, 'connect');
    const createConnection = vi.spyOn(net, 'createConnection');
    try {
      const bytes = renderEscPos({ doc: receiptOf(shop().codeSale(100)), drawerKick: true }, settings());
      expect(bytes.length).toBeGreaterThan(100);
      expect(connect).not.toHaveBeenCalled();
      expect(createConnection).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
      createConnection.mockRestore();
    }
  });
});
