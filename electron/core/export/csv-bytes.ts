import { offsetAt } from '../../shared/domain/local-days';

/**
 * Appends CSV text straight into a Buffer, digits and all, for a million
 * export rows: building each cell and line as a JS string first made the
 * export spend its time, and its memory, on short-lived strings.
 */
export class CsvBytes {
  private buf: Buffer;
  private pos = 0;

  constructor(private readonly capacity = 128 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Hands over what was written; writing goes on in a fresh buffer, so the one handed over can still be in flight. */
  take(): Buffer {
    const done = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
    return done;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(code: number): void {
    this.room(1);
    this.buf[this.pos++] = code;
  }

  /** Text known to be ASCII: a schema vocabulary (status, mode), digits, an offset. */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.pos + i] = text.charCodeAt(i);
    this.pos += text.length;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A non-negative safe integer in decimal. */
  uint(n: number): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.padded(n, digits);
  }

  /** 0 ≤ n < 10^width, zero-padded to `width` digits. */
  padded(n: number, width: number): void {
    this.room(width);
    let x = n;
    for (let i = this.pos + width - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    this.pos += width;
  }
}

const QUARTER_MS = 900_000;
const HOUR_MS = 3_600_000;

/**
 * Writes ISO 8601 with the zone's offset at that instant
 * ("2026-03-29T03:15:00.000+02:00"), the same text as local-days'
 * `isoWithOffset`. Every zone changes offset on a quarter hour, so Intl is
 * asked once per quarter hour seen, and "YYYY-MM-DDTHH:" is built once per
 * local hour an export passes through.
 */
export function createIsoWriter(timeZone: string): (out: CsvBytes, ms: number) => void {
  const quarters = new Map<number, { offset: number; suffix: string }>();
  let hourStart = Number.NaN;
  let hourPrefix: Uint8Array = new Uint8Array();
  return (out, ms) => {
    const quarter = Math.floor(ms / QUARTER_MS);
    let zone = quarters.get(quarter);
    if (!zone) {
      // Bounded: an export reads in time order, so old quarters are not needed again.
      if (quarters.size >= 4_096) quarters.clear();
      const offset = offsetAt(quarter * QUARTER_MS, timeZone);
      zone = { offset, suffix: offsetSuffix(offset) };
      quarters.set(quarter, zone);
    }
    const local = ms + zone.offset;
    let intoHour = local - hourStart;
    if (!(intoHour >= 0 && intoHour < HOUR_MS)) {
      hourStart = Math.floor(local / HOUR_MS) * HOUR_MS;
      hourPrefix = Buffer.from(new Date(hourStart).toISOString().slice(0, 14), 'latin1');
      intoHour = local - hourStart;
    }
    out.bytes(hourPrefix);
    out.padded(Math.floor(intoHour / 60_000), 2);
    out.byte(58); // :
    out.padded(Math.floor(intoHour / 1000) % 60, 2);
    out.byte(46); // .
    out.padded(intoHour % 1000, 3);
    out.ascii(zone.suffix);
  };
}

function offsetSuffix(offset: number): string {
  const minutes = Math.abs(offset) / 60_000;
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
