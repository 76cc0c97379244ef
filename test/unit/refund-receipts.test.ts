import { describe, expect, it } from 'vitest';
import { renderReceiptPage } from '../../electron/core/printing/receipt-html';
import {
  buildDaySummaryReceipt,
  buildRefundReceipt,
  buildShiftReportReceipt,
  layoutLine,
  lineColumns,
  overShortWords,
  type ReportReceiptOptions,
} from '../../electron/shared/domain/receipt-builder';
import type { ReceiptDoc } from '../../electron/shared/domain/receipt-doc';
import type { Refund } from '../../electron/shared/domain/refund';
import type { Sale } from '../../electron/shared/domain/sale';
import type { ShiftReport } from '../../electron/shared/domain/shift';
import { emptyTotals, type DaySummary } from '../../electron/shared/domain/totals';

// The refund receipt and the Z-report as printed docs: what they say, that
// every line fits 58 mm (32 columns) and 80 mm (48) paper, and that nothing
// typed at the till (a refund's note, a person's name, a tender's label)
// can become a printer command.

const AT = Date.UTC(2026, 10, 23, 17, 5, 9);
const HOSTILE = 'Note\u001b@\u001dV0 \u202eevil\u200b with a very long word: Supercalifragilisticexpialidocious-and-then-some';

const sale = (s: Partial<Sale> = {}): Sale => ({
  id: 14,
  ref: 'ref',
  amount: 1250,
  tipAmount: 150,
  tipPercent: 12,
  awaitingTip: false,
  tipChosenBy: 'customer',
  currency: 'usd',
  mode: 'live',
  status: 'paid',
  destination: 'dest',
  createdAt: AT - 3_600_000,
  updatedAt: AT,
  paidAt: AT - 3_500_000,
  cancelledAt: null,
  expiredAt: null,
  firstProof: 'webhook',
  paidLate: false,
  paidAmount: 1400,
  tenders: [],
  soldBy: { id: 2, name: 'Ben' },
  shiftId: 3,
  refundedAmount: 700,
  voidedAt: null,
  closedBy: null,
  ...s,
});

const refund = (r: Partial<Refund> = {}): Refund => ({
  id: 2,
  saleId: 14,
  amount: 500,
  currency: 'usd',
  mode: 'live',
  method: 'cash',
  note: null,
  personId: 1,
  personName: 'Ana',
  shiftId: 3,
  voidOfSale: false,
  createdAt: AT,
  ...r,
});

const report = (r: Partial<ShiftReport> = {}): ShiftReport => ({
  shift: {
    id: 3,
    mode: 'live',
    currency: 'usd',
    openedAt: AT - 8 * 3_600_000,
    openedBy: { id: 2, name: 'Ben' },
    floatAmount: 10_000,
    closedAt: AT,
    closedBy: { id: 1, name: 'Ana' },
    countedCash: 14_250,
    expectedCash: 14_500,
  },
  at: AT,
  sales: { count: 12, paidCount: 9, openCount: 0, cancelledCount: 1, expiredCount: 1, voidedCount: 1 },
  taken: { code: 6_000, cash: 5_000, other: 1_200, total: 12_200 },
  otherByLabel: [
    { label: 'Card', amount: 1_000 },
    { label: 'Voucher', amount: 200 },
  ],
  changeGiven: 850,
  tips: 420,
  tippedCount: 3,
  refunds: { count: 2, total: 700, byMethod: { cash: 500, code: 200, other: 0 } },
  net: 11_500,
  cash: { float: 10_000, taken: 5_000, refunded: 500, expected: 14_500, counted: 14_250, overShort: -250 },
  drawerOpenings: { cash: 6, noSale: 1 },
  firstSaleAt: AT - 7 * 3_600_000,
  lastSaleAt: AT - 600_000,
  people: [
    { id: 2, name: 'Ben', sales: 8, taken: 9_000 },
    { id: 1, name: 'Ana', sales: 4, taken: 3_200 },
  ],
  otherCurrencySales: 2,
  ...r,
});

const options = (columns: number, more: Partial<ReportReceiptOptions> = {}): ReportReceiptOptions => ({
  shopName: 'Corner Café',
  timeZone: 'Europe/Paris',
  columns,
  header: ['12 Market Street'],
  footer: ['Thank you!'],
  ...more,
});

const printed = (doc: ReceiptDoc) => doc.lines.flatMap((l) => layoutLine(l, doc.columns));
const text = (doc: ReceiptDoc) => printed(doc).join('\n');

/** Every line within its columns (half for a large line), and no control or format character anywhere. */
function expectPrintable(doc: ReceiptDoc): void {
  for (const line of doc.lines) {
    const room = line.kind === 'text' ? lineColumns(line, doc.columns) : doc.columns;
    for (const out of layoutLine(line, doc.columns)) {
      expect([...out].length, JSON.stringify(out)).toBeLessThanOrEqual(room);
      expect(out).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
    if (line.kind === 'text') expect(layoutLine(line, doc.columns)).toEqual([line.text]);
  }
}

describe('a refund receipt', () => {
  it('says REFUND, the sale, its total, what was handed back now and in all, how, by whom and when', () => {
    const doc = buildRefundReceipt(refund(), sale(), [refund({ id: 1, amount: 200 }), refund(), refund({ id: 3, amount: 100 })], options(48));
    const t = text(doc);
    expect(doc.title).toBe('Refund #2 on sale #14');
    expect(doc.cut).toBe(true);
    expect(doc.lines[doc.lines.findIndex((l) => l.kind === 'text' && l.text === 'REFUND')]).toMatchObject({ bold: true, size: 'large', align: 'center' });
    expect(t).toMatch(/Sale number +#14/);
    expect(t).toMatch(/Sale total +\$14\.00 USD/);
    expect(t).toMatch(/Refunded now +\$5\.00/);
    // In all as it was at this refund: the later one is not counted.
    expect(t).toMatch(/Refunded in all +\$7\.00/);
    expect(t).toMatch(/Method +Cash back/);
    expect(t).toMatch(/By +Ana/);
    expect(t).toMatch(/Date +Monday.*23.*2026/);
    expect(t).toMatch(/Time +18:05:09/);
    expect(t).not.toMatch(/SANDBOX/);
    expect(t).toMatch(/12 Market Street/);
    expect(t).toMatch(/Thank you!/);
  });

  it('carries the note, the void, and the SANDBOX mark for a test sale', () => {
    const doc = buildRefundReceipt(
      refund({ method: 'code', note: 'Sent to the customer’s wallet', voidOfSale: true, mode: 'sandbox' }),
      sale({ mode: 'sandbox' }),
      [],
      options(32),
    );
    const t = text(doc);
    expect(t).toMatch(/Sent back by Code/);
    expect(t).toMatch(/Note: Sent to the customer’s/);
    expect(t).toMatch(/voided/);
    expect(t.match(/SANDBOX/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it.each([32, 48])('fits %i columns with nothing typed turned into a command', (columns) => {
    const doc = buildRefundReceipt(
      refund({ method: 'other', note: HOSTILE, personName: 'Ana\u0007\u001b!\u0000 Maria de los Santos Rodríguez' }),
      sale({ currency: 'eur', mode: 'sandbox' }),
      [],
      options(columns, { shopName: 'Shop\u001bp\u0000 with a name longer than the paper itself', header: ['\u001d(k'] }),
    );
    expectPrintable(doc);
    expect(text(doc)).toMatch(/REFUND/);
  });

  it('prints on a system printer as a page that says REFUND', () => {
    const page = renderReceiptPage(buildRefundReceipt(refund(), sale(), [], options(48)), 80);
    expect(page.html).toMatch(/REFUND/);
    expect(page.html).toMatch(/Refunded now {2,}\$5\.00/);
    expect(page.html).not.toMatch(/<script/);
  });
});

describe('a Z-report', () => {
  it('states every figure of a closed shift, over or short in words', () => {
    const doc = buildShiftReportReceipt(report(), options(48));
    const t = text(doc);
    expect(doc.title).toBe('Z-report of shift #3');
    expect(t).toMatch(/Z-REPORT/);
    expect(t).toMatch(/Shift #3/);
    expect(t).toMatch(/Opened +Monday.*2026 10:05:09/);
    expect(t).toMatch(/by +Ben/);
    expect(t).toMatch(/Closed +Monday.*2026 18:05:09/);
    expect(t).toMatch(/by +Ana/);
    expect(t).toMatch(/Sales rung up +12/);
    expect(t).toMatch(/Paid +9/);
    expect(t).toMatch(/Voided +1/);
    expect(t).toMatch(/Taken USD +\$122\.00/);
    expect(t).toMatch(/Code +\$60\.00/);
    expect(t).toMatch(/Card +\$10\.00/);
    expect(t).toMatch(/Voucher +\$2\.00/);
    expect(t).toMatch(/Change given +\$8\.50/);
    expect(t).toMatch(/Tips \(on 3 sales\) +\$4\.20/);
    expect(t).toMatch(/Refunds \(2\) +\$7\.00/);
    expect(t).toMatch(/Cash back +\$5\.00/);
    expect(t).toMatch(/Sent back by Code +\$2\.00/);
    expect(t).not.toMatch(/ Other +\$0\.00\n.*Net/);
    expect(t).toMatch(/Net \(taken less refunds\) +\$115\.00/);
    expect(t).toMatch(/Float +\$100\.00/);
    expect(t).toMatch(/Cash refunded +\$5\.00/);
    expect(t).toMatch(/Expected in drawer +\$145\.00/);
    expect(t).toMatch(/Counted +\$142\.50/);
    expect(t).toMatch(/Over\/short +Short by \$2\.50/);
    expect(t).toMatch(/Drawer opened for cash +6/);
    expect(t).toMatch(/Drawer opened, no sale +1/);
    expect(t).toMatch(/Ben \(8 sales\) +\$90\.00/);
    expect(t).toMatch(/2 sales in another currency, not counted here/);
    expect(t).not.toMatch(/STILL OPEN/);
  });

  it('an open shift’s report says its figures are so far, and nothing is counted yet', () => {
    const r = report({ cash: { ...report().cash, counted: null, overShort: null }, sales: { ...report().sales, openCount: 2 } });
    r.shift = { ...r.shift, closedAt: null, closedBy: null, countedCash: null, expectedCash: null };
    const t = text(buildShiftReportReceipt(r, options(32)));
    expect(t).toMatch(/STILL OPEN/);
    expect(t).toMatch(/Counted +not yet/);
    expect(t).toMatch(/Over\/short/);
    expect(t).toMatch(/Not counted yet/);
    expect(t).toMatch(/Open +2/);
  });

  it('says over, short or exact in words', () => {
    expect(overShortWords(125, 'usd')).toBe('Over by $1.25');
    expect(overShortWords(-5, 'eur')).toBe('Short by €0.05');
    expect(overShortWords(0, 'usd')).toBe('Exact');
    expect(overShortWords(null, 'usd')).toBe('Not counted yet');
  });

  it.each([32, 48])('fits %i columns with nothing typed turned into a command, on a sandbox shift', (columns) => {
    const r = report({
      otherByLabel: [{ label: HOSTILE.slice(0, 40), amount: 1 }],
      people: [{ id: null, name: '', sales: 1, taken: 1 }, { id: 9, name: 'Zoë\u001b\u0000 Bartholomew-Fitzgerald', sales: 1, taken: 99_999_999 }],
    });
    r.shift = { ...r.shift, mode: 'sandbox', openedBy: { id: 2, name: 'B\u001d\u0007en' } };
    const doc = buildShiftReportReceipt(r, options(columns));
    expectPrintable(doc);
    expect(text(doc)).toMatch(/SANDBOX/);
    expect(text(doc)).toMatch(/No one signed in/);
  });
});

describe('the end-of-day report with refunds', () => {
  it('shows the refunds made that day and the net, only when there were any', () => {
    const usd = { ...emptyTotals('usd'), count: 2, paidCount: 2, paidAmount: 2000, byTender: { code: 0, cash: 2000, other: 0 }, refunds: 450, refundCount: 2 };
    const summary: DaySummary = {
      date: '2026-11-23',
      mode: 'live',
      totals: [usd, { ...emptyTotals('eur'), count: 1, paidCount: 1, paidAmount: 500, byTender: { code: 500, cash: 0, other: 0 } }],
      byStatus: { pending: 0, partly_paid: 0, paid: 3, cancelled: 0, expired: 0 },
      firstSaleAt: AT,
      lastSaleAt: AT,
      count: 3,
      drawerOpenings: { cash: 2, noSale: 0 },
    };
    const doc = buildDaySummaryReceipt(summary, options(32));
    const t = text(doc);
    expect(t).toMatch(/Taken USD +\$20\.00/);
    expect(t).toMatch(/Refunds \(2\) +\$4\.50/);
    expect(t).toMatch(/Net \(taken less refunds\) +\$15\.50/);
    expect(t.match(/Refunds/g)).toHaveLength(1);
    expectPrintable(doc);
  });
});
