import type { AuditEntry } from '../../shared/domain/audit';
import { isoWithOffset } from '../../shared/domain/local-days';
import { CSV_BOM, csvRow, type CsvSink } from './sales-csv';

/**
 * The audit log as CSV, oldest first, in the sales CSV's dialect (RFC 4180,
 * CRLF, a UTF-8 byte-order mark, times in ISO 8601 with the shop's offset,
 * cells that a spreadsheet would run as a formula neutralised: a person's
 * name or a note is typed by someone, and may start with "=").
 * `detail` is the entry's JSON, secrets already left out when it was written.
 */

export const AUDIT_CSV_HEADER = ['id', 'at', 'person_id', 'person_name', 'action', 'summary', 'detail', 'sale_id', 'shift_id'] as const;

export function auditCsvFields(entry: AuditEntry, timeZone: string): Array<string | number | null> {
  return [
    entry.id,
    isoWithOffset(entry.at, timeZone),
    entry.personId,
    entry.personName,
    entry.action,
    entry.summary,
    JSON.stringify(entry.detail),
    entry.saleId,
    entry.shiftId,
  ];
}

/** Lines handed to the sink at a time. */
const CHUNK_LINES = 500;

/**
 * Streams every entry to the sink, honouring its back-pressure; returns the
 * number of entries written. The entries are turned into lines in one
 * synchronous pass first: the ledger's row iterator keeps the connection
 * busy while it is open, so it must not stay open across a wait for the
 * sink (a payment landing meanwhile would be refused). A shop's audit log
 * is small beside its sales (a few dozen lines a day).
 */
export async function writeAuditCsv(entries: Iterable<AuditEntry>, timeZone: string, sink: CsvSink): Promise<number> {
  const lines: string[] = [];
  for (const entry of entries) lines.push(csvRow(auditCsvFields(entry, timeZone)));
  const write = async (text: string) => {
    if (!sink.write(Buffer.from(text, 'utf8'))) await new Promise<void>((resolve) => sink.once('drain', resolve));
  };
  await write(CSV_BOM + csvRow(AUDIT_CSV_HEADER));
  for (let i = 0; i < lines.length; i += CHUNK_LINES) await write(lines.slice(i, i + CHUNK_LINES).join(''));
  return lines.length;
}
