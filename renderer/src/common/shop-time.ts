// The sales log, receipts and the end of day show times on the shop's wall
// clock (AppStatus.timeZone), not the laptop's: the ledger's local days are
// the shop's, and a receipt must say the time the customer saw. Only the
// display formats live here; calendar dates and their arithmetic are
// shared's (electron/shared/domain/local-days.ts).
import { shopDateFormat } from '../../../electron/shared/domain/shop-date-format';

const format = shopDateFormat;

/** A row of the log: "Mon 23 Nov, 14:05:09". */
export function rowTime(ms: number, timeZone: string): string {
  return format(timeZone, 'row', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** A fact in the detail or on a receipt: "23 Nov 2026, 14:05:09 CET". */
export function fullTime(ms: number, timeZone: string): string {
  return format(timeZone, 'full', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(ms);
}

/** "14:05:09". */
export function clockTime(ms: number, timeZone: string): string {
  return format(timeZone, 'clock', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** "Monday 23 November 2026" for a "YYYY-MM-DD" (a calendar date, so formatted in UTC). */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format('UTC', 'long-date', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(Date.UTC(y, m - 1, d));
}

/** "23 Nov" for a "YYYY-MM-DD". */
export function dayMonth(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format('UTC', 'day-month', { day: 'numeric', month: 'short' }).format(Date.UTC(y, m - 1, d));
}

/** "Mon 23 Nov" for a "YYYY-MM-DD". */
export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return format('UTC', 'short-date', { weekday: 'short', day: 'numeric', month: 'short' }).format(Date.UTC(y, m - 1, d));
}
