// The sales log, receipts and the end of day show times on the shop's wall
// clock (AppStatus.timeZone), not the laptop's: the ledger's local days are
// the shop's, and a receipt must say the time the customer saw.

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, kind: string, options: Intl.DateTimeFormatOptions, locale?: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An unknown zone must not blank the log: fall back to the laptop's own.
      f = new Intl.DateTimeFormat(locale, options);
    }
    formats.set(key, f);
  }
  return f;
}

/** "2026-11-23": the calendar date of `ms` in the shop's zone, as the filter takes it. */
export function localDate(ms: number, timeZone: string): string {
  return format(timeZone, 'iso-date', { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').format(ms);
}

export function todayIn(timeZone: string): string {
  return localDate(Date.now(), timeZone);
}

/** Calendar arithmetic on "YYYY-MM-DD" (no clock involved, so DST cannot shift it). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

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
