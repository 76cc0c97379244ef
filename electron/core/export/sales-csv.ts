import type { SalesQueries } from '../ledger/sales-queries';
import type { SaleExportRow } from '../ledger/sale-row';
import { hundredthsToDecimalString, QUARKS_PER_KIN, quarksToKinString } from '../../shared/domain/money';
import { isoWithOffset } from '../../shared/domain/local-days';
import { CsvBytes, createIsoWriter } from './csv-bytes';

/**
 * The accountant's CSV: RFC 4180 (CRLF line ends, fields with a comma, quote
 * or line break quoted, quotes doubled), a header row, amounts as decimals,
 * timestamps in ISO 8601 with the shop's UTC offset, and a UTF-8 byte-order
 * mark so spreadsheet programs read accents right.
 *
 * One row per sale, its tenders summed on the row (README, "The CSV"):
 * `amount` is what was rung up, `tip_amount` the tip beside it (with
 * `tip_percent` when it was a preset) and `total` what the customer owed,
 * amount and tip; `paid_amount` what was taken on it (every
 * paid tender, cash net of change, so a partly paid sale shows what it has
 * and the column sums to the takings), split into `code_amount`,
 * `cash_amount` and `other_amount`; `change_given` is the change handed back
 * on cash. `kin`/`quarks` sum the paid Code payments; `intent_ids` lists
 * every Code payment's intent, in order. `refunded_amount` is what was
 * handed back on the sale so far (refunds and a void's); `paid_amount`
 * stays what was taken, so the net is the one less the other.
 */

export const CSV_BOM = '\uFEFF';
const NEEDS_NEUTRALISING = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const NEEDS_ANY_CHANGE = /^[=+\-@\t\r]|[",\r\n]/;

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or CR that
 * it strips first) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text and do not evaluate (OWASP's CSV injection advice).
 */
export function neutraliseFormula(value: string): string {
  return NEEDS_NEUTRALISING.test(value) ? `'${value}` : value;
}

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const SALES_CSV_HEADER = [
  'sale_id',
  'created_at',
  'status',
  'mode',
  'amount',
  'tip_amount',
  'tip_percent',
  'total',
  'paid_amount',
  'code_amount',
  'cash_amount',
  'change_given',
  'other_amount',
  'other_labels',
  'tenders',
  'currency',
  'paid_at',
  'first_proof',
  'paid_late',
  'kin',
  'quarks',
  'exchange_rate',
  'intent_ids',
  'destination',
  'cancelled_at',
  'expired_at',
  'refunded_amount',
] as const;

const kinOf = (quarks: number | null): string | null => (quarks === null ? null : quarksToKinString(quarks));

/** A sale's cells, in SALES_CSV_HEADER's order, before CSV quoting: the plain statement of what each line holds. */
export function saleCsvFields(row: SaleExportRow, timeZone: string): Array<string | number | null> {
  const [
    id,
    createdAt,
    status,
    mode,
    amount,
    tipAmount,
    tipPercent,
    paidAmount,
    codeAmount,
    cashAmount,
    changeGiven,
    otherAmount,
    otherLabels,
    tenders,
    currency,
    paidAt,
    firstProof,
    paidLate,
    quarks,
    exchangeRate,
    intentIds,
    destination,
    cancelledAt,
    expiredAt,
    refundedAmount,
  ] = row;
  const time = (ms: number | null) => (ms === null ? null : isoWithOffset(ms, timeZone));
  return [
    id,
    time(createdAt),
    status,
    mode,
    hundredthsToDecimalString(amount),
    hundredthsToDecimalString(tipAmount),
    tipPercent,
    hundredthsToDecimalString(amount + tipAmount),
    hundredthsToDecimalString(paidAmount),
    hundredthsToDecimalString(codeAmount),
    hundredthsToDecimalString(cashAmount),
    hundredthsToDecimalString(changeGiven),
    hundredthsToDecimalString(otherAmount),
    otherLabels,
    tenders,
    currency.toUpperCase(),
    time(paidAt),
    firstProof,
    paidLate === 1 ? 'yes' : 'no',
    kinOf(quarks),
    quarks,
    exchangeRate,
    intentIds,
    destination,
    time(cancelledAt),
    time(expiredAt),
    hundredthsToDecimalString(refundedAmount),
  ];
}

/** Bytes handed to the sink at a time (about 270 lines): few progress events, little in flight. */
const CHUNK_BYTES = 64 * 1024;
const COMMA = 44;
const DOT = 46;
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Appends one sale's CSV line to `out`, as fast as the export needs at a
 * million rows: exactly the bytes of `csvRow(saleCsvFields(row))` (a test
 * holds it to that), but the cells the ledger's schema constrains (ids,
 * statuses, modes, proof sources, positive amounts and quarks) skip the
 * quoting checks and are written digit by digit, repeated cells (the
 * currency, the shop's deposit address) are prepared once, and the times
 * come from one writer per export.
 */
export function createCsvRowEncoder(timeZone: string): (row: SaleExportRow, out: CsvBytes) => void {
  const time = createIsoWriter(timeZone);
  const currencies = new Map<string, Uint8Array>();
  let lastDestination: string | null = null;
  let destinationCell: Uint8Array = new Uint8Array();

  /** A cell from text the schema does not constrain: quoted and neutralised only when it needs it. */
  const textCell = (out: CsvBytes, text: string) => out.text(NEEDS_ANY_CHANGE.test(text) ? csvField(text) : text);
  const decimal = (out: CsvBytes, hundredths: number) => {
    if (!(hundredths >= 0 && Number.isSafeInteger(hundredths))) return out.text(csvField(hundredthsToDecimalString(hundredths)));
    out.uint(Math.trunc(hundredths / 100));
    out.byte(DOT);
    out.padded(hundredths % 100, 2);
  };
  const optionalTime = (out: CsvBytes, ms: number | null) => {
    if (ms !== null) time(out, ms);
  };

  return (r, out) => {
    const currency = r[14];
    out.uint(r[0]);
    out.byte(COMMA);
    time(out, r[1]);
    out.byte(COMMA);
    out.ascii(r[2]);
    out.byte(COMMA);
    out.ascii(r[3]);
    out.byte(COMMA);
    decimal(out, r[4]);
    out.byte(COMMA);
    decimal(out, r[5]);
    out.byte(COMMA);
    // The schema holds tip_percent to a whole 1–100, or null.
    const tipPercent = r[6];
    if (tipPercent !== null) {
      if (tipPercent >= 0 && Number.isSafeInteger(tipPercent)) out.uint(tipPercent);
      else out.text(csvField(tipPercent));
    }
    out.byte(COMMA);
    decimal(out, r[4] + r[5]);
    // paid_amount, code_amount, cash_amount, change_given, other_amount
    for (let i = 7; i <= 11; i++) {
      out.byte(COMMA);
      decimal(out, r[i] as number);
    }
    out.byte(COMMA);
    if (r[12] !== null) textCell(out, r[12]);
    out.byte(COMMA);
    out.uint(r[13]);
    out.byte(COMMA);
    let currencyCell = currencies.get(currency);
    if (!currencyCell) currencies.set(currency, (currencyCell = Buffer.from(csvField(currency.toUpperCase()), 'utf8')));
    out.bytes(currencyCell);
    out.byte(COMMA);
    optionalTime(out, r[15]);
    out.byte(COMMA);
    if (r[16] !== null) out.ascii(r[16]);
    out.byte(COMMA);
    out.ascii(r[17] === 1 ? 'yes' : 'no');
    out.byte(COMMA);
    const quarks = r[18];
    const plainQuarks = quarks !== null && quarks >= 0 && Number.isSafeInteger(quarks);
    if (plainQuarks) {
      out.uint(Math.trunc(quarks / QUARKS_PER_KIN));
      out.byte(DOT);
      out.padded(quarks % QUARKS_PER_KIN, 5);
    } else if (quarks !== null) {
      out.text(csvField(kinOf(quarks)));
    }
    out.byte(COMMA);
    if (plainQuarks) out.uint(quarks);
    else if (quarks !== null) out.text(csvField(quarks));
    out.byte(COMMA);
    // A positive number's text has neither a sign nor a character that needs quotes. JSON.stringify
    // writes a finite number exactly as String() does, but String() keeps each result in V8's
    // number-to-string cache, which carried ~800,000 of them into the old generation.
    const exchangeRate = r[19];
    if (exchangeRate !== null) out.ascii(exchangeRate >= 0 && Number.isFinite(exchangeRate) ? JSON.stringify(exchangeRate) : csvField(exchangeRate));
    out.byte(COMMA);
    if (r[20] !== null) textCell(out, r[20]);
    out.byte(COMMA);
    if (r[21] !== lastDestination) {
      lastDestination = r[21];
      destinationCell = Buffer.from(NEEDS_ANY_CHANGE.test(lastDestination) ? csvField(lastDestination) : lastDestination, 'utf8');
    }
    out.bytes(destinationCell);
    out.byte(COMMA);
    optionalTime(out, r[22]);
    out.byte(COMMA);
    optionalTime(out, r[23]);
    out.byte(COMMA);
    decimal(out, r[24]);
    out.bytes(CRLF);
  };
}

/** Where the CSV goes: a file stream in the app, an HTTP response in the preview. */
export interface CsvSink {
  write(chunk: Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface ExportProgress {
  written: number;
  total: number;
}

/**
 * Streams every sale the filter matches, oldest first, honouring the sink's
 * back-pressure; returns the number of sales written.
 */
export async function writeSalesCsv(
  reports: Pick<SalesQueries, 'countSales' | 'iterateSales' | 'timeZone'>,
  filter: unknown,
  sink: CsvSink,
  onProgress: (p: ExportProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<number> {
  const total = reports.countSales(filter);
  const encode = createCsvRowEncoder(reports.timeZone);
  const out = new CsvBytes(CHUNK_BYTES + 16 * 1024);
  let written = 0;
  let encoded = 0;
  // Resolves once the sink has room again. The next chunk is read and
  // encoded while the previous one is still being written out, so the disk
  // and the formatting overlap; at most two chunks are in memory.
  let room = Promise.resolve();
  const flush = async () => {
    await room;
    const chunk = out.take();
    room = sink.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => sink.once('drain', resolve));
    written = encoded;
    onProgress({ written, total });
  };
  out.text(CSV_BOM + csvRow(SALES_CSV_HEADER));
  await flush();
  for (const batch of reports.iterateSales(filter)) {
    if (signal?.aborted) throw new Error('export cancelled');
    for (const row of batch) encode(row, out);
    encoded += batch.length;
    if (out.length >= CHUNK_BYTES) await flush();
  }
  if (out.length) await flush();
  await room;
  return written;
}
