// Date ranges are bounded in every report call. A chart asked for 1500–2026
// used to walk 192,000 local days (each an Intl look-up) before refusing the
// range, freezing the main process for seconds; now the years are bounded in
// the shared filter schema and every report counts a range's days by
// arithmetic before building any. The assertions are on the errors (no
// timing: the refusal comes before any day is built, see local-days.ts).

import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSalesCsv } from '../../electron/core/export/sales-csv';
import { LedgerError } from '../../electron/core/ledger/errors';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { daysInRange, isReportDate, localDaysBetween } from '../../electron/shared/domain/local-days';
import { salesFilterInput, salesFilterShape } from '../../electron/shared/domain/sales-filter';
import { tempDir } from '../support/temp-dir';

let ledger: Ledger;
beforeAll(() => {
  ledger = createLedger({ dir: tempDir(), timeZone: 'America/New_York' });
});
afterAll(() => ledger.close());

const YEARS = /between 1900 and 2100/;

describe('report date bounds', () => {
  it.each([
    ['a 1500–2026 range', { from: '1500-01-01', to: '2026-12-31' }],
    ['a year typo in "to"', { from: '2026-01-01', to: '20260-01-01' }],
    ['a far-future year', { from: '2026-01-01', to: '2206-01-01' }],
    ['year 0000', { from: '0000-01-01', to: '2026-01-01' }],
  ])('%s is refused by every report with a clear message', async (_name, f) => {
    const q = ledger.queries;
    for (const call of [
      () => q.listSales(f),
      () => q.countSales(f),
      () => q.rangeTotals(f),
      () => q.dayTotals(f),
      () => q.chart(f),
    ]) {
      expect(call).toThrow(LedgerError);
      expect(call).toThrow(YEARS);
    }
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await expect(writeSalesCsv(q, f, sink)).rejects.toMatchObject({ code: 'invalid-input' });
    expect(chunks).toEqual([]);
  });

  it('the 1500–2026 chart names the allowed years', () => {
    expect(() => ledger.queries.chart({ from: '1500-01-01', to: '2026-12-31' })).toThrow('Invalid sales filter: from: must be a calendar date YYYY-MM-DD between 1900 and 2100');
  });

  it('the end-of-day summary refuses a date outside the years', () => {
    expect(() => ledger.queries.daySummary('1500-06-01')).toThrow(/The end-of-day summary needs a date: must be a calendar date YYYY-MM-DD between 1900 and 2100/);
    expect(() => ledger.queries.daySummary('2101-01-01')).toThrow(LedgerError);
    expect(ledger.queries.daySummary('2026-06-01')).toMatchObject({ date: '2026-06-01' });
  });

  it('within the years, a range too long for day totals or the chart is refused before its days are built', () => {
    // 1900–2100: both ends valid, 73,414 days: refused by the count alone.
    expect(() => ledger.queries.chart({ from: '1900-01-01', to: '2100-12-31' })).toThrow(/at most 1100 days; choose a shorter range/);
    expect(() => ledger.queries.dayTotals({ from: '1900-01-01', to: '2100-12-31' })).toThrow(/at most 1100 days/);
    // The list, the totals and the export take a long range: it is one indexed SQL range, no day walk.
    expect(ledger.queries.listSales({ from: '1900-01-01', to: '2100-12-31' })).toEqual({ sales: [], nextCursor: null });
    expect(ledger.queries.rangeTotals({ from: '1900-01-01', to: '2100-12-31' })).toEqual([]);
  });

  it('the shared schema (what the API checks at the boundary) and the day helpers', () => {
    expect(salesFilterShape.safeParse({ from: '1500-01-01' }).success).toBe(false);
    expect(salesFilterInput.safeParse({ from: '2026-01-01', to: '2100-12-31' }).success).toBe(true);
    expect(isReportDate('1899-12-31')).toBe(false);
    expect(isReportDate('1900-01-01')).toBe(true);
    expect(isReportDate('2100-12-31')).toBe(true);
    expect(isReportDate('2101-01-01')).toBe(false);
    expect(isReportDate('2026-02-30')).toBe(false);
    expect(daysInRange('2026-01-01', '2026-12-31')).toBe(365);
    expect(daysInRange('2024-02-28', '2024-03-01')).toBe(3);
    // The helper refuses by arithmetic too, whoever calls it.
    expect(() => localDaysBetween('1500-01-01', '2026-12-31', 'UTC')).toThrow(/spans 192\d{3} days, more than 40000/);
    expect(() => localDaysBetween('2026-01-01', '2026-03-01', 'UTC', 30)).toThrow(/more than 30/);
    expect(localDaysBetween('2026-03-07', '2026-03-08', 'America/New_York')).toHaveLength(2);
  });
});
