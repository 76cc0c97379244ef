import { isoWithOffset } from '../../shared/domain/local-days';
import type { SalesReports } from '../ledger/sales-reports';
import type { Sale } from '../../shared/domain/sale';
import { hundredthsToDecimalString } from '../../shared/domain/money';

/**
 * The accountant's CSV: RFC 4180 (CRLF line ends, fields with a comma, quote
 * or line break quoted, quotes doubled), a header row, amounts as decimals,
 * timestamps in ISO 8601 with the shop's UTC offset, and a UTF-8 byte-order
 * mark so spreadsheet programs read accents right.
 */

export const CSV_BOM = '\uFEFF';
const QUARKS_PER_KIN = 100_000;

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or CR that
 * it strips first) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text and do not evaluate (OWASP's CSV injection advice).
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
  'currency',
  'paid_at',
  'first_proof',
  'paid_late',
  'kin',
  'quarks',
  'exchange_rate',
  'intent_id',
  'destination',
  'cancelled_at',
  'expired_at',
] as const;

function kinOf(quarks: number | null): string | null {
  if (quarks === null) return null;
  return `${Math.trunc(quarks / QUARKS_PER_KIN)}.${String(quarks % QUARKS_PER_KIN).padStart(5, '0')}`;
}

export function saleCsvFields(sale: Sale, timeZone: string): Array<string | number | null> {
  const time = (ms: number | null) => (ms === null ? null : isoWithOffset(ms, timeZone));
  return [
    sale.id,
    time(sale.createdAt),
    sale.status,
    sale.mode,
    hundredthsToDecimalString(sale.amount),
    sale.currency.toUpperCase(),
    time(sale.paidAt),
    sale.firstProof,
    sale.paidLate ? 'yes' : 'no',
    kinOf(sale.quarks),
    sale.quarks,
    sale.exchangeRate,
    sale.intentId,
    sale.destination,
    time(sale.cancelledAt),
    time(sale.expiredAt),
  ];
}

/** Where the CSV goes: a file stream in the app, an HTTP response in the preview. */
export interface CsvSink {
  write(chunk: string): boolean;
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
  reports: SalesReports,
  filter: unknown,
  sink: CsvSink,
  onProgress: (p: ExportProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<number> {
  const total = reports.countSales(filter);
  let written = 0;
  const write = async (text: string) => {
    if (!sink.write(text)) await new Promise<void>((resolve) => sink.once('drain', resolve));
  };
  await write(CSV_BOM + csvRow(SALES_CSV_HEADER));
  onProgress({ written, total });
  for (const batch of reports.iterateSales(filter)) {
    if (signal?.aborted) throw new Error('export cancelled');
    await write(batch.map((sale) => csvRow(saleCsvFields(sale, reports.timeZone))).join(''));
    written += batch.length;
    onProgress({ written, total });
  }
  return written;
}
