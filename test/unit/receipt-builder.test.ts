import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import {
  buildDaySummaryReceipt,
  buildSaleReceipt,
  buildTestReceipt,
  layoutLine,
  layoutPair,
  printableText,
  wrapText,
  type SaleReceiptOptions,
} from '../../electron/shared/domain/receipt-builder';
import type { ReceiptDoc, ReceiptLine } from '../../electron/shared/domain/receipt-doc';
import type { Sale, Tender } from '../../electron/shared/domain/sale';
import * as sharedTenderText from '../../electron/shared/domain/tender-text';
import type { CurrencyTotals, DaySummary } from '../../electron/shared/domain/totals';
import * as rendererTenderText from '../../renderer/src/common/tender-text';

// The printed receipt's words and layout, from Sale objects built by hand:
// what it says for each kind of sale, that every line fits the paper, and
// that nothing the owner or the cashier typed can become a printer command.

const AT = Date.UTC(2026, 10, 23, 17, 5, 9);

function tender(t: Partial<Tender> & Pick<Tender, 'id' | 'seq' | 'kind' | 'amount'>): Tender {
  return {
    saleId: 1,
    status: 'paid',
    createdAt: AT,
    updatedAt: AT,
    paidAt: AT,
    cancelledAt: null,
    expiredAt: null,
    intentId: null,
    webhookUrl: null,
    quarks: null,
    exchangeRate: null,
    firstProof: t.kind === 'code' ? 'webhook' : 'manual',
    paidLate: false,
    tendered: null,
    change: null,
    label: null,
    takenBy: null,
    ...t,
  };
}

function sale(s: Partial<Sale> = {}): Sale {
  const amount = s.amount ?? 420;
  return {
    id: 12,
    ref: 'ref',
    amount,
    tipAmount: 0,
    tipPercent: null,
    awaitingTip: false,
    tipChosenBy: null,
    currency: 'usd',
    mode: 'live',
    status: 'paid',
    destination: 'dest',
    createdAt: AT - 60_000,
    updatedAt: AT,
    paidAt: AT,
    cancelledAt: null,
    expiredAt: null,
    firstProof: 'webhook',
    paidLate: false,
    paidAmount: amount + (s.tipAmount ?? 0),
    tenders: [tender({ id: 1, seq: 1, kind: 'code', amount: amount + (s.tipAmount ?? 0), intentId: 'Intent1111' })],
    soldBy: null,
    shiftId: null,
    refundedAmount: 0,
    voidedAt: null,
    closedBy: null,
    ...s,
  };
}

const OPTIONS: SaleReceiptOptions = { shopName: 'Corner Café', timeZone: 'America/New_York', header: [], footer: ['Thank you!'], columns: 32, copy: 'customer' };

/** The doc as the printer lays it out: what a test reads. */
function printed(doc: ReceiptDoc): string[] {
  return doc.lines.flatMap((l) => layoutLine(l, doc.columns));
}
const pad = (left: string, right: string, columns = 32) => left + ' '.repeat(columns - left.length - right.length) + right;

describe('layout helpers', () => {
  it('wraps words to the columns and cuts a word longer than a line', () => {
    expect(wrapText('Paid with Code and cash', 10)).toEqual(['Paid with', 'Code and', 'cash']);
    expect(wrapText('AAAAAAAAAAAAAAAAAAAAAAAAA', 10)).toEqual(['AAAAAAAAAA', 'AAAAAAAAAA', 'AAAAA']);
    expect(wrapText('  spaced   out  ', 40)).toEqual(['spaced out']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('counts a composed letter as one column, however it was typed', () => {
    expect(wrapText('Cafe\u0301 Cafe\u0301', 5)).toEqual(['Café', 'Café']);
  });

  it('strips control and format characters and makes every space a plain one', () => {
    expect(printableText('a\u001b@b\u001dV0c\u0000d\u007fe\u0085f')).toBe('a@bV0cdef');
    expect(printableText('left\u202eright\u200b\ufeff')).toBe('leftright');
    expect(printableText('tab\there\nnew\u00a0line\u202fend')).toBe('tab here new line end');
  });

  it('puts a label and a value on one line, the value against the right edge', () => {
    expect(layoutPair('Total', '$4.20 USD', 20)).toEqual(['Total      $4.20 USD']);
    expect(layoutPair('  Cash', '$6.50', 16)).toEqual(['  Cash     $6.50']);
  });

  it('gives a value that does not fit beside its label a line of its own, at the right', () => {
    expect(layoutPair('Date', 'Wednesday, September 30, 2026', 32)).toEqual(['Date', '   Wednesday, September 30, 2026']);
    expect(layoutPair('A very long label indeed', 'value that is long', 16)).toEqual(['A very long', 'label indeed', '   value that is', '            long']);
  });

  it('in a doc, a pair too long for the paper becomes the label, then the value aligned right', () => {
    const doc = buildSaleReceipt(sale({ tenders: [tender({ id: 1, seq: 1, kind: 'other', amount: 420, label: 'Gift voucher, neighbourhood association' })] }), OPTIONS);
    const at = doc.lines.findIndex((l) => l.kind === 'text' && l.text === 'Gift voucher, neighbourhood');
    expect(doc.lines.slice(at, at + 3)).toEqual([
      { kind: 'text', text: 'Gift voucher, neighbourhood' },
      { kind: 'text', text: 'association (other)' },
      { kind: 'text', text: '$4.20', align: 'right' },
    ]);
  });

  it('lays out each kind of line', () => {
    expect(layoutLine({ kind: 'rule' }, 8)).toEqual(['--------']);
    expect(layoutLine({ kind: 'feed', lines: 2 }, 8)).toEqual(['', '']);
    expect(layoutLine({ kind: 'text', text: 'Double size', size: 'large' }, 16)).toEqual(['Double', 'size']);
    expect(layoutLine({ kind: 'pair', left: 'a', right: 'b' }, 4)).toEqual(['a  b']);
  });
});

describe('a sale receipt', () => {
  it('a Code sale: shop, amount, "Paid with Code", date and time in the shop zone, total, sale number, copy, footer', () => {
    const doc = buildSaleReceipt(sale(), OPTIONS);
    const date = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'America/New_York' }).format(AT);
    expect(doc).toMatchObject({ title: 'Receipt for sale #12 (customer copy)', columns: 32, cut: true });
    expect(doc.lines[0]).toEqual({ kind: 'text', text: 'Corner Café', align: 'center', bold: true, size: 'large' });
    expect(printed(doc)).toEqual([
      'Corner Café',
      'Receipt',
      '-'.repeat(32),
      '$4.20',
      'Paid with Code',
      '',
      ...layoutPair('Date', date, 32),
      pad('Time', '12:05:09'),
      pad('Total', '$4.20 USD'),
      pad('Sale number', '#12'),
      '-'.repeat(32),
      'Customer copy',
      '',
      'Thank you!',
    ]);
  });

  it('lists each tender of a split sale, cash with the change given back', () => {
    const s = sale({
      amount: 1250,
      paidAmount: 1250,
      tenders: [
        tender({ id: 1, seq: 1, kind: 'code', amount: 300 }),
        tender({ id: 2, seq: 2, kind: 'code', amount: 100, status: 'cancelled', paidAt: null }),
        tender({ id: 3, seq: 3, kind: 'code', amount: 200 }),
        tender({ id: 4, seq: 4, kind: 'other', amount: 100, label: 'Voucher' }),
        tender({ id: 5, seq: 5, kind: 'cash', amount: 650, tendered: 1000, change: 350 }),
      ],
    });
    const lines = printed(buildSaleReceipt(s, OPTIONS));
    expect(lines).toContain('Paid with Code, Voucher and cash');
    const from = lines.indexOf(pad('Sale number', '#12')) + 2;
    expect(lines.slice(from, from + 5)).toEqual([
      pad('Code payment 1 of 2', '$3.00'),
      pad('Code payment 2 of 2', '$2.00'),
      pad('Voucher (other)', '$1.00'),
      pad('Cash', '$10.00'),
      pad('Change', '$3.50'),
    ]);
  });

  it('exact cash has no change line', () => {
    const s = sale({ amount: 500, paidAmount: 500, tenders: [tender({ id: 1, seq: 1, kind: 'cash', amount: 500, tendered: 500, change: 0 })] });
    const lines = printed(buildSaleReceipt(s, OPTIONS));
    expect(lines).toContain(pad('Cash', '$5.00'));
    expect(lines.some((l) => l.startsWith('Change'))).toBe(false);
    expect(lines).toContain('Paid with cash');
  });

  it('a tipped sale shows the subtotal and the tip with its percentage; a custom tip just "Tip"', () => {
    const preset = printed(buildSaleReceipt(sale({ amount: 1250, tipAmount: 188, tipPercent: 15 }), OPTIONS));
    expect(preset).toContain('$14.38');
    expect(preset).toEqual(expect.arrayContaining([pad('Subtotal', '$12.50'), pad('Tip 15 %', '$1.88'), pad('Total', '$14.38 USD')]));
    const custom = printed(buildSaleReceipt(sale({ amount: 1000, tipAmount: 75 }), OPTIONS));
    expect(custom).toContain(pad('Tip', '$0.75'));
    expect(printed(buildSaleReceipt(sale(), OPTIONS)).some((l) => l.startsWith('Subtotal') || l.startsWith('Tip'))).toBe(false);
  });

  it('a sandbox sale carries the SANDBOX marker large at the top, and again by the copy', () => {
    const doc = buildSaleReceipt(sale({ mode: 'sandbox' }), OPTIONS);
    expect(doc.lines).toContainEqual({ kind: 'text', text: '*** SANDBOX ***', align: 'center', bold: true, size: 'large' });
    expect(printed(doc)).toContain('test sale, no real money');
    expect(printed(doc)).toContain('SANDBOX · no real money');
    expect(printed(buildSaleReceipt(sale(), OPTIONS)).join('\n')).not.toContain('SANDBOX');
  });

  it('a sale not paid says so, with what is still owed', () => {
    const s = sale({
      amount: 1000,
      status: 'cancelled',
      paidAmount: 400,
      paidAt: null,
      tenders: [tender({ id: 1, seq: 1, kind: 'cash', amount: 400, tendered: 400, change: 0 })],
    });
    const lines = printed(buildSaleReceipt(s, OPTIONS));
    expect(lines).toContain('NOT PAID · Cancelled');
    expect(lines).toContain(pad('Still owed', '$6.00'));
    expect(lines.some((l) => l.startsWith('Paid with'))).toBe(false);
  });

  it('the shop copy says so; an empty shop name prints as Counter', () => {
    const doc = buildSaleReceipt(sale(), { ...OPTIONS, shopName: '  ', copy: 'shop' });
    expect(doc.title).toBe('Receipt for sale #12 (shop copy)');
    expect(printed(doc)[0]).toBe('Counter');
    expect(printed(doc)).toContain('Shop copy');
  });

  it('header and footer lines print centred, a blank one as a blank line', () => {
    const doc = buildSaleReceipt(sale(), { ...OPTIONS, header: ['12 Main Street', '', 'Open daily'], footer: ['See you soon', 'www.example.com'] });
    expect(doc.lines.slice(1, 4)).toEqual([
      { kind: 'text', text: '12 Main Street', align: 'center' },
      { kind: 'feed', lines: 1 },
      { kind: 'text', text: 'Open daily', align: 'center' },
    ]);
    expect(printed(doc).slice(-2)).toEqual(['See you soon', 'www.example.com']);
  });

  it('the payment details, when the owner turned them on: Kin, rate and intent id of each Code payment', () => {
    const s = sale({ tenders: [tender({ id: 1, seq: 1, kind: 'code', amount: 420, quarks: 8_400_012, exchangeRate: 0.00005, intentId: 'Bx7Q' })] });
    const lines = printed(buildSaleReceipt(s, { ...OPTIONS, receiptDetails: true }));
    expect(lines).toEqual(expect.arrayContaining(['Payment details', pad('Paid in Kin', '84.00012 Kin'), 'Exchange rate', '1 Kin = 0.00005 USD', 'Intent id', 'Bx7Q']));
    expect(printed(buildSaleReceipt(s, OPTIONS))).not.toContain('Payment details');
  });

  it('an unknown time zone does not stop the receipt', () => {
    expect(() => buildSaleReceipt(sale(), { ...OPTIONS, timeZone: 'Mars/Olympus' })).not.toThrow();
  });

  it.each([8, 15, 65, 32.5, Number.NaN])('refuses to lay out a receipt %s characters wide', (columns) => {
    expect(() => buildSaleReceipt(sale(), { ...OPTIONS, columns })).toThrow(RangeError);
  });

  it('whatever the owner and the cashier typed, every printed line fits the paper and carries no control character', () => {
    const anyText = fc.string({ unit: 'grapheme', maxLength: 80 });
    const raw = fc.string({ unit: 'binary', maxLength: 60 });
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 64 }), fc.oneof(anyText, raw), fc.array(fc.oneof(anyText, raw), { maxLength: 4 }), fc.oneof(anyText, raw), (columns, shopName, lines, label) => {
        const s = sale({
          amount: 99_999_999_99,
          paidAmount: 99_999_999_99,
          mode: 'sandbox',
          tenders: [tender({ id: 1, seq: 1, kind: 'other', amount: 50_000_000_00, label }), tender({ id: 2, seq: 2, kind: 'cash', amount: 49_999_999_99, tendered: 50_000_000_00, change: 1 })],
        });
        const doc = buildSaleReceipt(s, { ...OPTIONS, columns, shopName, header: lines, footer: lines, receiptDetails: true });
        for (const line of doc.lines) {
          const width = line.kind === 'text' && line.size === 'large' ? Math.floor(columns / 2) : columns;
          for (const text of layoutLine(line, columns)) {
            expect([...text].length).toBeLessThanOrEqual(width);
            expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
          }
          // The builder already laid it out: the printer's layout changes nothing.
          if (line.kind === 'text') expect(layoutLine(line, columns)).toEqual([line.text]);
          if (line.kind === 'pair') expect(layoutLine(line, columns)).toHaveLength(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the end-of-day report', () => {
  const usd: CurrencyTotals = {
    currency: 'usd',
    count: 5,
    paidCount: 3,
    paidAmount: 2300,
    byTender: { code: 1650, cash: 650, other: 0 },
    changeGiven: 350,
    tips: 150,
    tippedCount: 1,
    unpaidCount: 2,
    unpaidAmount: 1499,
    pendingCount: 0,
    partlyPaidCount: 1,
    cancelledCount: 1,
    expiredCount: 0,
    paidLateCount: 1,
    refunds: 0,
    refundCount: 0,
  };
  const summary: DaySummary = {
    date: '2026-11-23',
    mode: 'live',
    totals: [usd, { ...usd, currency: 'eur', paidAmount: 100, byTender: { code: 0, cash: 0, other: 100 }, tips: 0, tippedCount: 0, changeGiven: 0, unpaidCount: 0, unpaidAmount: 0, paidLateCount: 0 }],
    byStatus: { paid: 6, partly_paid: 1, pending: 0, cancelled: 1, expired: 0 },
    firstSaleAt: Date.UTC(2026, 10, 23, 14, 0, 5),
    lastSaleAt: Date.UTC(2026, 10, 23, 22, 30, 0),
    count: 8,
    drawerOpenings: { cash: 4, noSale: 1 },
  };
  const options = { shopName: 'Corner Café', timeZone: 'America/New_York', columns: 32, header: [], footer: [] };

  it('per currency what was taken, by tender, the tips, the change, and what was rung up but not paid', () => {
    const doc = buildDaySummaryReceipt(summary, options);
    expect(doc).toMatchObject({ title: 'End of day 2026-11-23 (live)', cut: true, columns: 32 });
    const lines = printed(doc);
    expect(lines.slice(0, 5)).toEqual(['Corner Café', 'End of day', expect.stringContaining('2026'), 'Live sales', 'Times in America/New_York']);
    expect(lines).toEqual(
      expect.arrayContaining([
        pad('Taken USD', '$23.00'),
        '3 paid sales, of 5 rung up',
        '1 paid late',
        pad('  Code', '$16.50'),
        pad('  Cash', '$6.50'),
        pad('Tips (on 1 sale)', '$1.50'),
        pad('Change given', '$3.50'),
        pad('Rung up, not paid', '$14.99'),
        '1 partly paid · 1 cancelled',
        pad('Taken EUR', '€1.00'),
        pad('  Other', '€1.00'),
        pad('Rung up, not paid', 'none'),
      ]),
    );
    expect(lines.some((l) => l.startsWith('  Other') && l.endsWith('$0.00'))).toBe(false);
  });

  it('the counts by status, the first and last sale in shop time, and the drawer openings', () => {
    const lines = printed(buildDaySummaryReceipt(summary, options));
    expect(lines).toEqual(
      expect.arrayContaining([
        pad('Sales rung up', '8'),
        pad('Paid', '6'),
        pad('Partly paid', '1'),
        pad('First sale', '09:00:05'),
        pad('Last sale', '17:30:00'),
        'Cash drawer opened',
        pad('For cash', '4'),
        pad('No sale', '1'),
      ]),
    );
  });

  it('a day with no sales says so; a sandbox report is marked', () => {
    const empty: DaySummary = { ...summary, mode: 'sandbox', totals: [], count: 0, firstSaleAt: null, lastSaleAt: null, byStatus: { paid: 0, partly_paid: 0, pending: 0, cancelled: 0, expired: 0 } };
    const lines = printed(buildDaySummaryReceipt(empty, options));
    expect(lines).toContain('No sales on this day.');
    expect(lines).toContain('SANDBOX · test sales, no real');
    expect(lines).toContain(pad('First sale', '-'));
  });
});

describe('the test receipt', () => {
  it('names the printer and the settings, with a ruler as wide as the paper', () => {
    const settings = { ...DEFAULT_PRINTER_SETTINGS, kind: 'network' as const, host: '192.168.1.50', paperWidth: 58 as const, copies: { customer: true, shop: true } };
    const lines = printed(buildTestReceipt({ shopName: 'Corner Café', columns: 32, settings, at: AT, timeZone: 'UTC' }));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Test receipt',
        pad('Printer', '192.168.1.50:9100'),
        pad('Commands', 'Epson ESC/POS'),
        pad('Paper', '58 mm, 32 characters'),
        pad('Print when paid', 'off'),
        pad('Copies', 'customer and shop'),
        pad('Drawer on cash', 'on'),
        '12345678901234567890123456789012',
        'Thank you!',
      ]),
    );
  });

  it('a system printer is named by its device name, and no copies by "none"', () => {
    const settings = { ...DEFAULT_PRINTER_SETTINGS, kind: 'system' as const, systemName: 'Office laser', copies: { customer: false, shop: false } };
    const lines = printed(buildTestReceipt({ shopName: 'Corner Café', columns: 48, settings, at: AT, timeZone: 'UTC' }));
    expect(lines).toEqual(expect.arrayContaining([pad('Printer', 'Office laser', 48), pad('Copies', 'none', 48)]));
    expect(lines).toContain('123456789012345678901234567890123456789012345678');
  });
});

describe('the tender wording is written once', () => {
  it("the renderer's tender text is shared's", () => {
    for (const name of ['codeNumbers', 'codePaymentTitle', 'tenderTitle', 'tenderDetail', 'changeGiven', 'paidWithText', 'tendersSummary', 'intentIds'] as const) {
      expect(rendererTenderText[name], name).toBe(sharedTenderText[name]);
    }
    const line: ReceiptLine = { kind: 'text', text: sharedTenderText.paidWithText(sale()) ?? '' };
    expect(line.text).toBe('Paid with Code');
  });
});
