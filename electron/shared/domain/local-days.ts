/**
 * The shop thinks in local calendar days; the ledger stores UTC milliseconds.
 * These helpers turn a local date ("2026-03-29") in an IANA time zone into
 * the half-open UTC interval it covers, honouring DST days of 23 or 25 hours.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || !timeZone) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/**
 * The calendar years a report may ask about. Counter records sales "now", so
 * a year outside these is a typo (1500 for 2015); refusing it here keeps a
 * report from walking hundreds of thousands of days, each an Intl call, on
 * the main process (a 1500–2026 chart froze it for 3 s). 1900, not 2000:
 * the ledger's tests keep sales around 1970 to prove the rollup's pre-epoch
 * buckets and old fractional-minute zones, and a wide but bounded span costs
 * nothing since every report counts a range's days before walking it.
 */
export const MIN_REPORT_YEAR = 1900;
export const MAX_REPORT_YEAR = 2100;
export const REPORT_DATE_HINT = `must be a calendar date YYYY-MM-DD between ${MIN_REPORT_YEAR} and ${MAX_REPORT_YEAR}`;

/** A calendar date within the years reports cover. */
export function isReportDate(value: unknown): value is string {
  if (!isLocalDate(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= MIN_REPORT_YEAR && year <= MAX_REPORT_YEAR;
}

/** How many local dates `from`..`to` spans, both inclusive, by calendar arithmetic alone (no time zone, no loop). */
export function daysInRange(from: string, to: string): number {
  const day = (date: string) => {
    const m = DATE_PATTERN.exec(date);
    if (!m || !isLocalDate(date)) throw new RangeError(`not a calendar date: ${date}`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
  };
  return day(to) - day(from) + 1;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds. */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets keyed by quarter hour: every zone changes offset on a 15-minute
 * boundary, and asking Intl for each of a million export rows is the slow part.
 */
const QUARTER_HOUR_MS = 900_000;
const offsetCache = new Map<string, number>();

function cachedOffsetAt(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size > 200_000) offsetCache.clear();
    offset = offsetAt(Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS, timeZone);
    offsetCache.set(key, offset);
  }
  return offset;
}

/** ISO 8601 with the zone's offset at that instant: "2026-03-29T03:15:00.000+02:00". */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = cachedOffsetAt(ms, timeZone);
  const local = new Date(ms + offset).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "YYYY-MM-DD" of instant `ms` on the shop's wall calendar. */
export function localDateOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** First UTC instant whose local date is `date`. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const m = DATE_PATTERN.exec(date);
  if (!m || !isLocalDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const wallMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let t = wallMidnight - offsetAt(wallMidnight, timeZone);
  t = wallMidnight - offsetAt(t, timeZone);
  // Where the clocks jump over midnight, local 00:00 does not exist and the
  // day begins at the first instant after the gap.
  if (localDateOf(t, timeZone) < date) {
    while (localDateOf(t, timeZone) < date) t += HOUR_MS;
    while (localDateOf(t - 60_000, timeZone) === date) t -= 60_000;
  } else {
    while (localDateOf(t - 60_000, timeZone) === date) t -= 60_000;
  }
  return t;
}

/** Calendar arithmetic on "YYYY-MM-DD" (no clock involved, so DST cannot shift it). */
export function addDays(date: string, days: number): string {
  const m = DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

export function nextLocalDate(date: string): string {
  return addDays(date, 1);
}

export interface LocalDay {
  date: string;
  /** Inclusive UTC start, milliseconds. */
  start: number;
  /** Exclusive UTC end, milliseconds. */
  end: number;
}

/**
 * Every local day from `from` to `to`, both inclusive. Refuses, before any
 * work, a range longer than `maxDays`: each day costs Intl look-ups, so the
 * length is checked by arithmetic first, never by walking the range.
 */
export function localDaysBetween(from: string, to: string, timeZone: string, maxDays = 40_000): LocalDay[] {
  const length = daysInRange(from, to);
  if (length > maxDays) throw new RangeError(`${from}..${to} spans ${length} days, more than ${maxDays}`);
  const days: LocalDay[] = [];
  let date = from;
  let start = startOfLocalDay(date, timeZone);
  while (date <= to) {
    const next = nextLocalDate(date);
    const end = startOfLocalDay(next, timeZone);
    days.push({ date, start, end });
    date = next;
    start = end;
  }
  return days;
}
