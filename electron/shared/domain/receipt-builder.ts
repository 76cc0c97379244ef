// What a printed receipt says, laid out for a receipt printer's columns: a
// sale's receipt, the end-of-day report and the test receipt. The same words
// as the receipt on screen (renderer/src/sales-log/receipt/receipt-view.tsx),
// and the same tender wording (tender-text.ts), so a printed copy and the
// screen never disagree. Pure: the ESC/POS renderer and the system printer
// turn the ReceiptDoc into bytes or a page.
//
// Text comes from the owner (shop name, header, footer) and from the ledger
// (tender labels typed by the cashier): control and format characters are
// stripped from every line, so nothing in a receipt can become a printer
// command, and every line fits the paper's columns.
import { formatMoney, quarksToKinString } from './money';
import type { PrinterSettings, ReceiptCopy } from './printer';
import { REFUND_METHOD_WORDS, REFUND_METHODS, type Refund } from './refund';
import type { ShiftReport } from './shift';
import type { ReceiptAlign, ReceiptDoc, ReceiptLine } from './receipt-doc';
import { outstanding, SALE_STATUS_WORDS, totalDue, type Sale, type SaleStatus } from './sale';
import { tipLineName } from './tip';
import { netTakings, type CurrencyTotals, type DaySummary } from './totals';
import { codeNumbers, paidWithText, tenderTitle } from './tender-text';
import { shopDateFormat } from './shop-date-format';

export interface SaleReceiptOptions {
  shopName: string;
  timeZone: string;
  header: string[];
  footer: string[];
  columns: number;
  copy: ReceiptCopy;
  /** The owner's choice (Settings): Kin paid, exchange rate and intent id of each Code payment. */
  receiptDetails?: boolean;
}

export interface DaySummaryReceiptOptions {
  shopName: string;
  timeZone: string;
  columns: number;
  header: string[];
  footer: string[];
}

/** The shop's layout of a refund receipt or a Z-report. */
export type ReportReceiptOptions = DaySummaryReceiptOptions;

export interface TestReceiptOptions {
  shopName: string;
  columns: number;
  settings: PrinterSettings;
  at: number;
  timeZone: string;
}

/** A receipt needs room for "Sale number  #123456": narrower paper than this is a mistake, not a layout. */
export const MIN_RECEIPT_COLUMNS = 16;
export const MAX_RECEIPT_COLUMNS = 64;


const COPY_WORDS: Record<ReceiptCopy, string> = { customer: 'Customer copy', shop: 'Shop copy' };

const MODE_WORDS: Record<DaySummary['mode'], string> = { live: 'Live sales', sandbox: 'Sandbox (test) sales', all: 'Live and sandbox sales' };

// ---------------------------------------------------------------------------
// Text safety and layout

/**
 * One printable line: tabs and other spaces become plain spaces, control and
 * format characters (C0, C1, DEL, bidi and zero-width marks, line and paragraph
 * separators) go, and the text is composed (NFC), so one character is one column.
 */
export function printableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\t\n\v\f\r\p{Zs}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, '');
}

/** Length in printed columns: code points, once the text is printable. */
export function columnsOf(text: string): number {
  return [...text].length;
}

function sliceColumns(text: string, start: number, end?: number): string {
  return [...text].slice(start, end).join('');
}

/** Words to lines of at most `columns`; a word longer than a line is cut across lines. Never returns no line. */
export function wrapText(text: string, columns: number): string[] {
  const width = Math.max(1, Math.floor(columns));
  const lines: string[] = [];
  let current = '';
  for (const word of printableText(text).trim().split(/ +/)) {
    if (!word) continue;
    const joined = current ? `${current} ${word}` : word;
    if (columnsOf(joined) <= width) {
      current = joined;
      continue;
    }
    if (current) lines.push(current);
    let rest = word;
    while (columnsOf(rest) > width) {
      lines.push(sliceColumns(rest, 0, width));
      rest = sliceColumns(rest, width);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** Columns a text line may use: double-size characters take two columns each. */
export function lineColumns(line: Extract<ReceiptLine, { kind: 'text' }>, columns: number): number {
  return line.size === 'large' ? Math.floor(columns / 2) : columns;
}

/**
 * A label and a value on one line, the value against the right edge; when
 * both do not fit, the label wraps and the value sits on its own line at the
 * right. Every string returned is exactly `columns` wide or less.
 */
export function layoutPair(left: string, right: string, columns: number): string[] {
  // The label keeps its leading spaces: an indented line under its heading.
  const l = printableText(left).trimEnd();
  const r = printableText(right).trim();
  const room = columns - columnsOf(l) - columnsOf(r);
  if (room >= 1) return [l + ' '.repeat(room) + r];
  const rightLines = wrapText(r, columns).map((s) => ' '.repeat(columns - columnsOf(s)) + s);
  return [...(l.trim() ? wrapText(l, columns) : []), ...rightLines];
}

/** Any line of a doc as the printed strings it becomes (text wrapped, pairs laid out, a rule across): what the renderers print. */
export function layoutLine(line: ReceiptLine, columns: number): string[] {
  switch (line.kind) {
    case 'text':
      return wrapText(line.text, lineColumns(line, columns));
    case 'pair':
      return layoutPair(line.left, line.right, columns);
    case 'rule':
      return ['-'.repeat(columns)];
    case 'feed':
      return Array.from({ length: Math.max(0, Math.floor(line.lines)) }, () => '');
  }
}

/** Builds a doc's lines, each already within the columns (a text longer than a line becomes several). */
class DocLines {
  readonly lines: ReceiptLine[] = [];
  constructor(readonly columns: number) {}

  text(text: string, o: { align?: ReceiptAlign; bold?: boolean; size?: 'normal' | 'large' } = {}): this {
    for (const part of wrapText(text, o.size === 'large' ? Math.floor(this.columns / 2) : this.columns)) {
      const line: ReceiptLine = { kind: 'text', text: part };
      if (o.align && o.align !== 'left') line.align = o.align;
      if (o.bold) line.bold = true;
      if (o.size === 'large') line.size = 'large';
      this.lines.push(line);
    }
    return this;
  }

  /** Owner-written lines (header, footer): blank ones keep their place as an empty line. */
  ownerLines(lines: readonly string[], align: ReceiptAlign = 'center'): this {
    for (const raw of lines) {
      const text = printableText(raw).trim();
      if (text) this.text(text, { align });
      else this.feed(1);
    }
    return this;
  }

  pair(left: string, right: string, bold = false): this {
    const laid = layoutPair(left, right, this.columns);
    if (laid.length === 1) {
      const line: ReceiptLine = { kind: 'pair', left: printableText(left).trimEnd(), right: printableText(right).trim() };
      if (bold) line.bold = true;
      this.lines.push(line);
    } else {
      // Too long for one line: the label as text, the value under it against the right edge.
      if (printableText(left).trim()) this.text(left, { bold });
      this.text(right, { bold, align: 'right' });
    }
    return this;
  }

  rule(): this {
    this.lines.push({ kind: 'rule' });
    return this;
  }

  feed(lines: number): this {
    this.lines.push({ kind: 'feed', lines });
    return this;
  }
}

function checkColumns(columns: number): number {
  if (!Number.isInteger(columns) || columns < MIN_RECEIPT_COLUMNS || columns > MAX_RECEIPT_COLUMNS) {
    throw new RangeError(`a receipt is ${MIN_RECEIPT_COLUMNS} to ${MAX_RECEIPT_COLUMNS} characters wide, not ${String(columns)}`);
  }
  return columns;
}

// ---------------------------------------------------------------------------
// Dates in the shop's time zone

const DATE_FORMATS: Record<'date' | 'time' | 'full', Intl.DateTimeFormatOptions> = {
  date: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  full: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
};

function dateFormat(timeZone: string, kind: 'date' | 'time' | 'full'): Intl.DateTimeFormat {
  return shopDateFormat(timeZone, `receipt-${kind}`, DATE_FORMATS[kind]);
}

/** "Monday 23 November 2026" (the shop's calendar day of the instant). */
function longDateAt(ms: number, timeZone: string): string {
  return dateFormat(timeZone, 'date').format(ms);
}

/** "Monday 23 November 2026" for a "YYYY-MM-DD" (a calendar date, so formatted in UTC). */
function longDateOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return dateFormat('UTC', 'date').format(Date.UTC(y, m - 1, d));
}

function clockTime(ms: number, timeZone: string): string {
  return dateFormat(timeZone, 'time').format(ms);
}

// ---------------------------------------------------------------------------
// A sale's receipt


function shopHead(doc: DocLines, shopName: string, header: readonly string[]): void {
  doc.text(printableText(shopName).trim() || 'Counter', { align: 'center', bold: true, size: 'large' });
  doc.ownerLines(header);
}

/**
 * A sale's receipt, one copy: shop, header, SANDBOX when it was a test, the
 * amount, what paid it, date and time in the shop's zone, subtotal and tip
 * when tipped, the total, the sale number, each tender (cash with its
 * change), the copy, the footer.
 */
export function buildSaleReceipt(sale: Sale, o: SaleReceiptOptions): ReceiptDoc {
  const columns = checkColumns(o.columns);
  const doc = new DocLines(columns);
  const money = (n: number) => formatMoney(n, sale.currency);
  const at = sale.paidAt ?? sale.createdAt;
  const sandbox = sale.mode === 'sandbox';

  shopHead(doc, o.shopName, o.header);
  doc.text('Receipt', { align: 'center' });
  if (sandbox) {
    doc.feed(1);
    doc.text('*** SANDBOX ***', { align: 'center', bold: true, size: 'large' });
    doc.text('test sale, no real money', { align: 'center' });
  }
  if (sale.status !== 'paid') doc.text(`NOT PAID · ${SALE_STATUS_WORDS[sale.status]}`, { align: 'center', bold: true });
  doc.rule();

  doc.text(money(totalDue(sale)), { align: 'center', bold: true, size: 'large' });
  if (sale.status === 'paid') doc.text(paidWithText(sale) ?? 'Paid', { align: 'center' });
  doc.feed(1);

  doc.pair('Date', longDateAt(at, o.timeZone));
  doc.pair('Time', clockTime(at, o.timeZone));
  // The tip on a line of its own, under the sale it was added to.
  if (sale.tipAmount > 0) {
    doc.pair('Subtotal', money(sale.amount));
    doc.pair(tipLineName(sale), money(sale.tipAmount));
  }
  doc.pair('Total', `${money(totalDue(sale))} ${sale.currency.toUpperCase()}`, true);
  doc.pair('Sale number', `#${sale.id}`);

  const tenders = tenderLines(sale);
  if (tenders.length) {
    doc.rule();
    for (const [left, right] of tenders) doc.pair(left, right);
  }
  if (o.receiptDetails) detailLines(doc, sale);

  doc.rule();
  doc.text(COPY_WORDS[o.copy], { align: 'center' });
  if (sandbox) doc.text('SANDBOX · no real money', { align: 'center', bold: true });
  if (o.footer.length) {
    doc.feed(1);
    doc.ownerLines(o.footer);
  }
  return { title: `Receipt for sale #${sale.id} (${o.copy} copy)`, lines: doc.lines, columns, cut: true };
}

/** Each paid tender: "Code payment 1 of 3  $1.00", "Cash  $20.00" and "Change  $7.50", "Card (other)  $5.00"; what is still owed. */
function tenderLines(sale: Sale): Array<[string, string]> {
  const paid = [...sale.tenders].filter((t) => t.status === 'paid').sort((a, b) => a.seq - b.seq);
  // One Code payment that paid it all: "Paid with Code" has said it.
  if (paid.length === 0 || (sale.status === 'paid' && paid.length === 1 && paid[0]!.kind === 'code')) return [];
  const numbers = codeNumbers({ tenders: paid });
  const money = (n: number) => formatMoney(n, sale.currency);
  const lines: Array<[string, string]> = [];
  for (const t of paid) {
    if (t.kind === 'cash') {
      lines.push(['Cash', money(t.tendered ?? t.amount)]);
      if ((t.change ?? 0) > 0) lines.push(['Change', money(t.change ?? 0)]);
    } else {
      lines.push([tenderTitle(t, numbers), money(t.amount)]);
    }
  }
  const owed = outstanding(sale);
  if (sale.status !== 'paid' && owed > 0) lines.push(['Still owed', money(owed)]);
  return lines;
}

/** Kin paid, the rate and the intent id of each paid Code payment. */
function detailLines(doc: DocLines, sale: Sale): void {
  const code = sale.tenders.filter((t) => t.kind === 'code' && t.status === 'paid').sort((a, b) => a.seq - b.seq);
  const numbers = codeNumbers({ tenders: code });
  doc.rule();
  doc.text('Payment details', { bold: true });
  if (code.length === 0) {
    doc.text('No Code payment.');
    return;
  }
  for (const t of code) {
    if (code.length > 1) doc.text(tenderTitle(t, numbers));
    doc.pair('Paid in Kin', t.quarks === null ? '-' : `${quarksToKinString(t.quarks)} Kin`);
    doc.pair('Exchange rate', t.exchangeRate === null ? '-' : `1 Kin = ${t.exchangeRate} ${sale.currency.toUpperCase()}`);
    doc.text('Intent id');
    doc.text(t.intentId ?? '-');
  }
}

// ---------------------------------------------------------------------------
// The end-of-day report

/**
 * One day's closing, as the End of day screen shows it: per currency what
 * was taken (by tender, tips, change given) and what was rung up but not
 * paid; the counts by status, the first and last sale, the drawer openings.
 */
export function buildDaySummaryReceipt(summary: DaySummary, o: DaySummaryReceiptOptions): ReceiptDoc {
  const columns = checkColumns(o.columns);
  const doc = new DocLines(columns);
  shopHead(doc, o.shopName, o.header);
  doc.text('End of day', { align: 'center', bold: true });
  doc.text(longDateOf(summary.date), { align: 'center' });
  doc.text(MODE_WORDS[summary.mode], { align: 'center' });
  if (summary.mode === 'sandbox') doc.text('SANDBOX · test sales, no real money', { align: 'center', bold: true });
  if (summary.mode === 'all') doc.text('Includes SANDBOX test sales (no real money)', { align: 'center' });
  doc.text(`Times in ${o.timeZone}`, { align: 'center' });
  doc.rule();

  if (summary.totals.length === 0) doc.text('No sales on this day.');
  summary.totals.forEach((t, i) => {
    if (i > 0) doc.feed(1);
    currencyLines(doc, t);
  });
  doc.rule();

  doc.pair('Sales rung up', String(summary.count));
  for (const status of Object.keys(SALE_STATUS_WORDS) as SaleStatus[]) doc.pair(SALE_STATUS_WORDS[status], String(summary.byStatus[status] ?? 0));
  doc.pair('First sale', summary.firstSaleAt === null ? '-' : clockTime(summary.firstSaleAt, o.timeZone));
  doc.pair('Last sale', summary.lastSaleAt === null ? '-' : clockTime(summary.lastSaleAt, o.timeZone));
  doc.rule();
  doc.text('Cash drawer opened', { bold: true });
  doc.pair('For cash', String(summary.drawerOpenings.cash));
  doc.pair('No sale', String(summary.drawerOpenings.noSale));

  if (o.footer.length) {
    doc.rule();
    doc.ownerLines(o.footer);
  }
  return { title: `End of day ${summary.date} (${summary.mode})`, lines: doc.lines, columns, cut: true };
}

const TENDER_WORDS = [
  ['code', 'Code'],
  ['cash', 'Cash'],
  ['other', 'Other'],
] as const;

function currencyLines(doc: DocLines, t: CurrencyTotals): void {
  const money = (n: number) => formatMoney(n, t.currency);
  const sales = (n: number) => `${n} ${n === 1 ? 'sale' : 'sales'}`;
  doc.pair(`Taken ${t.currency.toUpperCase()}`, money(t.paidAmount), true);
  doc.text(`${t.paidCount} paid ${t.paidCount === 1 ? 'sale' : 'sales'}, of ${t.count} rung up`);
  if (t.paidLateCount > 0) doc.text(`${t.paidLateCount} paid late`);
  // Only the kinds that took something are listed.
  for (const [kind, name] of TENDER_WORDS) if (t.byTender[kind] !== 0) doc.pair(`  ${name}`, money(t.byTender[kind]));
  if (t.tips > 0 || t.tippedCount > 0) doc.pair(`Tips (on ${sales(t.tippedCount)})`, money(t.tips));
  if (t.changeGiven > 0) doc.pair('Change given', money(t.changeGiven));
  // Refunds made that day (of any day's sales): taken stays what was taken, net is what the shop kept.
  if (t.refundCount > 0) {
    doc.pair(`Refunds (${t.refundCount})`, money(t.refunds));
    doc.pair('Net (taken less refunds)', money(netTakings(t)), true);
  }
  if (t.unpaidCount === 0) doc.pair('Rung up, not paid', 'none');
  else {
    doc.pair('Rung up, not paid', money(t.unpaidAmount));
    const parts = (
      [
        [t.partlyPaidCount, 'partly paid'],
        [t.pendingCount, 'pending'],
        [t.cancelledCount, 'cancelled'],
        [t.expiredCount, 'expired'],
      ] as const
    )
      .filter(([n]) => n > 0)
      .map(([n, status]) => `${n} ${status}`);
    if (parts.length) doc.text(parts.join(' · '));
  }
}

// ---------------------------------------------------------------------------
// A refund's receipt

/**
 * What the customer (or the shop) keeps of a refund: REFUND, the sale it
 * was made on and what that sale came to, the amount handed back now and in
 * all up to this refund, how (in words) and the note, who made it and when,
 * marked SANDBOX when the sale was a test. `refunds` are the sale's refunds
 * (a reprint shows "in all" as it was at this refund, not as it is now).
 */
export function buildRefundReceipt(refund: Refund, sale: Sale, refunds: readonly Refund[], o: ReportReceiptOptions): ReceiptDoc {
  const columns = checkColumns(o.columns);
  const doc = new DocLines(columns);
  const money = (n: number) => formatMoney(n, refund.currency);
  const sandbox = refund.mode === 'sandbox';
  const inAll = refunds.filter((r) => r.id <= refund.id).reduce((n, r) => n + r.amount, 0) || refund.amount;

  shopHead(doc, o.shopName, o.header);
  doc.text('REFUND', { align: 'center', bold: true, size: 'large' });
  if (sandbox) {
    doc.text('*** SANDBOX ***', { align: 'center', bold: true, size: 'large' });
    doc.text('test sale, no real money', { align: 'center' });
  }
  doc.rule();
  doc.text(money(refund.amount), { align: 'center', bold: true, size: 'large' });
  doc.text(REFUND_METHOD_WORDS[refund.method], { align: 'center' });
  doc.feed(1);
  doc.pair('Date', longDateAt(refund.createdAt, o.timeZone));
  doc.pair('Time', clockTime(refund.createdAt, o.timeZone));
  doc.pair('Sale number', `#${sale.id}`);
  doc.pair('Sale total', `${money(totalDue(sale))} ${sale.currency.toUpperCase()}`);
  doc.pair('Refunded now', money(refund.amount), true);
  doc.pair('Refunded in all', money(inAll));
  doc.pair('Method', REFUND_METHOD_WORDS[refund.method]);
  if (refund.note) doc.text(`Note: ${refund.note}`);
  if (refund.voidOfSale) doc.text('The sale was voided: everything it took was handed back.');
  doc.pair('By', refund.personName || `person #${refund.personId}`);
  doc.rule();
  doc.text(`Refund #${refund.id}`, { align: 'center' });
  if (sandbox) doc.text('SANDBOX · no real money', { align: 'center', bold: true });
  if (o.footer.length) {
    doc.feed(1);
    doc.ownerLines(o.footer);
  }
  return { title: `Refund #${refund.id} on sale #${sale.id}`, lines: doc.lines, columns, cut: true };
}

// ---------------------------------------------------------------------------
// A shift's Z-report

const SHIFT_MODE_WORDS: Record<ShiftReport['shift']['mode'], string> = { live: 'Live sales', sandbox: 'Sandbox (test) sales' };

/** "Over by $1.00", "Short by $2.50", "Exact", or "Not counted yet" while the shift is open. */
export function overShortWords(overShort: number | null, currency: string): string {
  if (overShort === null) return 'Not counted yet';
  if (overShort === 0) return 'Exact';
  return `${overShort > 0 ? 'Over' : 'Short'} by ${formatMoney(Math.abs(overShort), currency)}`;
}

/**
 * A shift's Z-report as the shift screen shows it: who opened and closed it
 * and when, the sales rung up on it, what was taken by tender (other
 * tenders by label), tips, refunds by method, net, the cash drawer (float,
 * cash taken and refunded, expected, counted, over or short in words), the
 * drawer openings, the first and last sale, who sold, and the sales in
 * another currency left out. An open shift's report says its figures are
 * so far.
 */
export function buildShiftReportReceipt(report: ShiftReport, o: ReportReceiptOptions): ReceiptDoc {
  const columns = checkColumns(o.columns);
  const doc = new DocLines(columns);
  const { shift } = report;
  const money = (n: number) => formatMoney(n, shift.currency);
  const when = (ms: number) => `${longDateAt(ms, o.timeZone)} ${clockTime(ms, o.timeZone)}`;
  const salesWord = (n: number) => `${n} ${n === 1 ? 'sale' : 'sales'}`;

  shopHead(doc, o.shopName, o.header);
  doc.text('Z-REPORT', { align: 'center', bold: true, size: 'large' });
  doc.text(`Shift #${shift.id}`, { align: 'center', bold: true });
  doc.text(SHIFT_MODE_WORDS[shift.mode], { align: 'center' });
  if (shift.mode === 'sandbox') doc.text('SANDBOX · test sales, no real money', { align: 'center', bold: true });
  if (shift.closedAt === null) doc.text(`STILL OPEN · figures at ${clockTime(report.at, o.timeZone)}`, { align: 'center', bold: true });
  doc.text(`Times in ${o.timeZone}`, { align: 'center' });
  doc.rule();

  doc.pair('Opened', when(shift.openedAt));
  doc.pair('  by', shift.openedBy.name);
  if (shift.closedAt !== null) {
    doc.pair('Closed', when(shift.closedAt));
    doc.pair('  by', shift.closedBy?.name ?? '-');
  } else doc.pair('Closed', 'not yet');
  doc.rule();

  doc.pair('Sales rung up', String(report.sales.count));
  doc.pair('  Paid', String(report.sales.paidCount));
  if (report.sales.openCount > 0) doc.pair('  Open', String(report.sales.openCount));
  doc.pair('  Cancelled', String(report.sales.cancelledCount));
  doc.pair('  Expired', String(report.sales.expiredCount));
  doc.pair('  Voided', String(report.sales.voidedCount));
  doc.rule();

  doc.pair(`Taken ${shift.currency.toUpperCase()}`, money(report.taken.total), true);
  doc.pair('  Code', money(report.taken.code));
  doc.pair('  Cash', money(report.taken.cash));
  doc.pair('  Other', money(report.taken.other));
  for (const other of report.otherByLabel) doc.pair(`    ${other.label}`, money(other.amount));
  doc.pair('Change given', money(report.changeGiven));
  doc.pair(`Tips (on ${salesWord(report.tippedCount)})`, money(report.tips));
  doc.pair(`Refunds (${report.refunds.count})`, money(report.refunds.total));
  for (const method of REFUND_METHODS) {
    if (report.refunds.byMethod[method] !== 0) doc.pair(`  ${REFUND_METHOD_WORDS[method]}`, money(report.refunds.byMethod[method]));
  }
  doc.pair('Net (taken less refunds)', money(report.net), true);
  doc.rule();

  doc.text('Cash drawer', { bold: true });
  doc.pair('Float', money(report.cash.float));
  doc.pair('Cash taken', money(report.cash.taken));
  doc.pair('Cash refunded', money(report.cash.refunded));
  doc.pair('Expected in drawer', money(report.cash.expected), true);
  doc.pair('Counted', report.cash.counted === null ? 'not yet' : money(report.cash.counted));
  doc.pair('Over/short', overShortWords(report.cash.overShort, shift.currency), true);
  doc.pair('Drawer opened for cash', String(report.drawerOpenings.cash));
  doc.pair('Drawer opened, no sale', String(report.drawerOpenings.noSale));
  doc.rule();

  doc.pair('First sale', report.firstSaleAt === null ? '-' : clockTime(report.firstSaleAt, o.timeZone));
  doc.pair('Last sale', report.lastSaleAt === null ? '-' : clockTime(report.lastSaleAt, o.timeZone));
  if (report.people.length) {
    doc.rule();
    doc.text('Who sold', { bold: true });
    for (const p of report.people) doc.pair(`${p.name || 'No one signed in'} (${salesWord(p.sales)})`, money(p.taken));
  }
  if (report.otherCurrencySales > 0) {
    doc.rule();
    doc.text(`${salesWord(report.otherCurrencySales)} in another currency, not counted here.`);
  }
  if (o.footer.length) {
    doc.rule();
    doc.ownerLines(o.footer);
  }
  return { title: `Z-report of shift #${shift.id}`, lines: doc.lines, columns, cut: true };
}

// ---------------------------------------------------------------------------
// The test receipt

/** What "Print a test receipt" prints: the settings it was printed with, a ruler to check the width, and the accented letters a receipt may carry. */
export function buildTestReceipt(o: TestReceiptOptions): ReceiptDoc {
  const columns = checkColumns(o.columns);
  const s = o.settings;
  const doc = new DocLines(columns);
  shopHead(doc, o.shopName, s.header);
  doc.text('Test receipt', { align: 'center', bold: true });
  doc.text(`${longDateAt(o.at, o.timeZone)} ${clockTime(o.at, o.timeZone)}`, { align: 'center' });
  doc.rule();
  if (s.kind === 'network') {
    doc.pair('Printer', `${s.host}:${s.port}`);
    doc.pair('Commands', s.model === 'star' ? 'Star' : 'Epson ESC/POS');
  }
  else if (s.kind === 'system') doc.pair('Printer', s.systemName || 'system default');
  else doc.pair('Printer', 'none');
  doc.pair('Paper', `${s.paperWidth} mm, ${columns} characters`);
  doc.pair('Print when paid', s.autoPrint ? 'on' : 'off');
  const copies = [s.copies.customer && 'customer', s.copies.shop && 'shop'].filter(Boolean).join(' and ');
  doc.pair('Copies', copies || 'none');
  doc.pair('Drawer on cash', s.drawerOnCash ? 'on' : 'off');
  doc.rule();
  // A ruler as wide as the paper: the last digit must sit at the right edge.
  doc.text(Array.from({ length: columns }, (_, i) => String((i + 1) % 10)).join(''));
  doc.text('Café crème 12,50 € · £3.00');
  doc.text('If you can read this, the printer works.', { align: 'center' });
  if (s.footer.length) {
    doc.feed(1);
    doc.ownerLines(s.footer);
  }
  return { title: 'Test receipt', lines: doc.lines, columns, cut: true };
}
