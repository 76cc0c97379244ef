// A stand-in receipt printer: a real TCP server on loopback that takes print
// jobs the way a network thermal printer on port 9100 does, answers the
// paper-status query, and decodes the ESC/POS bytes it received into printed
// lines and the commands it saw (cut, drawer kick, alignment, emphasis …).
// It can also misbehave like a real printer: refuse connections (switched
// off), stall (cover open, buffer full), hang up mid-job, run out of paper.
import { createServer, type Server, type Socket } from 'node:net';
import type { NetworkTiming } from '../../electron/core/printing/network-transport';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings } from '../../electron/shared/domain/printer';

export type StandInMode = 'ok' | 'refuse' | 'stall' | 'close-mid-job' | 'paper-out';

export interface DecodedCommand {
  name: 'init' | 'align' | 'bold' | 'size' | 'cut' | 'drawer-kick' | 'status-query' | 'feed' | 'codepage' | (string & {});
  value?: number | string;
}

export interface DecodedEscPos {
  /** The printed text lines, in order (a line is printed by LF, a feed or a cut). */
  lines: string[];
  commands: DecodedCommand[];
  /** The lines joined by \n. */
  text: string;
}

export interface DecodedJob extends DecodedEscPos {
  /** Every byte of one TCP connection. */
  bytes: Buffer;
}

export interface StandInPrinter {
  host: '127.0.0.1';
  port: number;
  /** The jobs printed: one per connection that delivered its bytes and ended (never in paper-out). */
  jobs: DecodedJob[];
  /** Connections that did not end as a print (stalled, closed mid-job, paper out): for a test's diagnostics. */
  aborted: DecodedJob[];
  /** How many connections were accepted in all. */
  connections(): number;
  /** Switch behaviour; 'refuse' stops listening (the same port listens again on any other mode). */
  setMode(mode: StandInMode): Promise<void>;
  mode(): StandInMode;
  /** Resolves with the jobs once at least n were printed; rejects after timeoutMs (5000 unless told). */
  waitForJobs(n: number, timeoutMs?: number): Promise<DecodedJob[]>;
  close(): Promise<void>;
}

/** DLE EOT n answers: bits 1 and 4 are always set; bits 5 and 6 together mean "paper end" (Epson's ESC/POS reference, DLE EOT n=4). */
const STATUS_OK = 0x12;
const STATUS_PAPER_END = 0x72;

export interface StandInOptions {
  mode?: StandInMode;
  /** false: a printer that ignores the paper-status query (many do); the client must print anyway. */
  answersStatus?: boolean;
}

/** Short network timeouts, so a stalled or silent printer fails a job in a fraction of a second. */
export const FAST_PRINTER_TIMING: Partial<NetworkTiming> = { connectTimeoutMs: 1_000, statusTimeoutMs: 500, writeTimeoutMs: 1_000 };

/** The stand-in as the shop's network printer (no drawer kick on cash unless `more` says so). */
export const networkPrinter = (printer: StandInPrinter, more: Partial<PrinterSettings> = {}): PrinterSettings => ({
  ...DEFAULT_PRINTER_SETTINGS,
  kind: 'network',
  host: printer.host,
  port: printer.port,
  drawerOnCash: false,
  ...more,
});

export async function startStandInPrinter(o: StandInOptions = {}): Promise<StandInPrinter> {
  let mode: StandInMode = o.mode ?? 'ok';
  const jobs: DecodedJob[] = [];
  const aborted: DecodedJob[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let accepted = 0;
  let server: Server | null = null;
  let port = 0;

  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const onConnection = (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    // The printer's state when the job came in: a later setMode is for the next job.
    const connMode = mode;
    let bytes = Buffer.alloc(0);
    let answered = 0;
    let printedData = false;
    let stalled = false;
    let done = false;
    const finish = (asJob: boolean) => {
      if (done) return;
      done = true;
      const job: DecodedJob = { bytes, ...decodeEscPos(bytes) };
      (asJob ? jobs : aborted).push(job);
      notify();
    };

    socket.on('data', (chunk: Buffer) => {
      if (stalled) return;
      bytes = Buffer.concat([bytes, chunk]);
      // Answer each status query once, as it arrives: the client waits for
      // the answer before it sends the receipt.
      const decoded = decodeEscPos(bytes);
      const queries = decoded.commands.filter((c) => c.name === 'status-query');
      for (; o.answersStatus !== false && answered < queries.length; answered++) {
        const paperEnd = connMode === 'paper-out' && queries[answered]!.value === 4;
        socket.write(Buffer.from([paperEnd ? STATUS_PAPER_END : STATUS_OK]));
      }
      printedData ||= decoded.commands.some((c) => c.name !== 'status-query') || decoded.lines.length > 0;
      if (connMode === 'stall') {
        // A printer with its cover open or its buffer full: it stops reading
        // (TCP flow control then stops the sender) and never hangs up.
        stalled = true;
        socket.pause();
        finish(false);
      } else if (connMode === 'close-mid-job' && printedData) {
        // It dies with the job half-taken: a reset, as a printer that
        // reboots or loses power sends, not a polite end.
        finish(false);
        socket.resetAndDestroy();
      }
    });
    // The client's end of the job: the printer has everything (a bare status query prints nothing).
    socket.on('end', () => finish(connMode === 'ok' && printedData));
    socket.on('error', () => finish(false));
    socket.on('close', () => {
      sockets.delete(socket);
      finish(false);
    });
  };

  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      const s = createServer(onConnection);
      s.once('error', reject);
      s.listen(wanted, '127.0.0.1', () => {
        s.off('error', reject);
        server = s;
        port = (s.address() as { port: number }).port;
        resolve();
      });
    });

  const stopListening = async (destroySockets: boolean) => {
    const s = server;
    server = null;
    if (destroySockets) for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen(0);
  if (mode === 'refuse') await stopListening(false);

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    jobs,
    aborted,
    connections: () => accepted,
    mode: () => mode,
    async setMode(next) {
      mode = next;
      if (next === 'refuse' && server) await stopListening(false);
      else if (next !== 'refuse' && !server) await listen(port);
    },
    waitForJobs(n, timeoutMs = 5000) {
      return new Promise<DecodedJob[]>((resolve, reject) => {
        const check = () => {
          if (jobs.length < n) return;
          cleanup();
          resolve(jobs.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stand-in printer: ${jobs.length} of ${n} jobs after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => stopListening(true),
  } satisfies StandInPrinter;
}

// ---------------------------------------------------------------------------
// The decoder. Epson's ESC/POS (and what node-thermal-printer emits for it);
// with { model: 'star' }, the Star line-mode commands node-thermal-printer
// emits for a Star printer. Unknown commands are recorded, never dropped.

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const LF = 0x0a;

/** Code page 437's upper half (the printer's default after ESC @). */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
/**
 * Windows-1252's 0x80–0x9F (the rest is Latin-1). Written out because Node's
 * TextDecoder('windows-1252') decodes Latin-1 (0x80 → U+0080, not "€").
 */
const CP1252_C1 = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

type Charset = 'cp437' | 'windows-1252' | 'unknown';

function decodeText(bytes: number[], charset: Charset): string {
  return bytes
    .map((b) => {
      if (b < 0x80) return String.fromCharCode(b);
      if (charset === 'cp437') return CP437_HIGH[b - 0x80]!;
      if (charset === 'windows-1252') return b < 0xa0 ? CP1252_C1[b - 0x80]! : String.fromCharCode(b);
      return '\ufffd';
    })
    .join('');
}

/** ESC t n (Epson) and ESC GS t n (Star): the tables the decoder can read. */
const EPSON_CODEPAGES: Record<number, Charset> = { 0: 'cp437', 16: 'windows-1252' };
const STAR_CODEPAGES: Record<number, Charset> = { 0: 'cp437', 1: 'cp437', 3: 'cp437', 32: 'windows-1252' };

const ALIGN = ['left', 'center', 'right'] as const;
const hex = (bs: number[]) => bs.map((b) => b.toString(16).padStart(2, '0')).join('');

/** Decodes ESC/POS (or Star line-mode) bytes into printed lines and commands, as a printer would read them. */
export function decodeEscPos(input: Uint8Array, o: { model?: 'epson' | 'star' } = {}): DecodedEscPos {
  const star = o.model === 'star';
  const bytes = input;
  const lines: string[] = [];
  const commands: DecodedCommand[] = [];
  let line: number[] = [];
  let charset: Charset = 'cp437';
  let i = 0;

  const flush = () => {
    lines.push(decodeText(line, charset));
    line = [];
  };
  const cmd = (name: string, value?: number | string) => commands.push(value === undefined ? { name } : { name, value });
  /** The n parameter bytes after the command, or null when the job ends inside the command. */
  const params = (at: number, n: number): number[] | null => {
    if (at + n > bytes.length) return null;
    return Array.from(bytes.subarray(at, at + n));
  };
  const truncated = () => {
    cmd('truncated', hex(Array.from(bytes.subarray(i))));
    i = bytes.length;
  };
  const align = (n: number) => ALIGN[n % 48] ?? `unknown-${n}`;
  const codepage = (n: number) => {
    charset = (star ? STAR_CODEPAGES : EPSON_CODEPAGES)[n] ?? 'unknown';
    cmd('codepage', n);
  };

  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === LF) {
      flush();
      i += 1;
      continue;
    }
    if (b === 0x0d) {
      // CR: most printers ignore it (or treat CR LF as one line end).
      i += 1;
      continue;
    }
    if (b >= 0x20 && b !== 0x7f) {
      line.push(b);
      i += 1;
      continue;
    }
    if (star && b === 0x0b) {
      // VT: feeds to the next vertical tab position (a line feed when none are set).
      if (line.length) flush();
      cmd('feed', 1);
      i += 1;
      continue;
    }
    if (star && b === 0x07) {
      cmd('drawer-kick', 'drawer 1');
      i += 1;
      continue;
    }
    if (b === DLE) {
      const p = params(i + 1, 2);
      if (!p) {
        truncated();
        continue;
      }
      if (p[0] === 0x04) cmd('status-query', p[1]);
      else cmd(`unknown:${hex([DLE, p[0]!])}`);
      i += p[0] === 0x04 ? 3 : 2;
      continue;
    }
    if (b === ESC) {
      const c = bytes[i + 1];
      if (c === undefined) {
        truncated();
        continue;
      }
      const at = i + 2;
      const take = (n: number, f: (p: number[]) => void) => {
        const p = params(at, n);
        if (!p) return void truncated();
        f(p);
        i = at + n;
      };
      switch (c) {
        case 0x40: // ESC @: initialise. Text not yet printed (no LF) is discarded, as the printer does.
          line = [];
          charset = 'cp437';
          cmd('init');
          i = at;
          continue;
        case 0x61: // ESC a n
          if (star) break;
          take(1, ([n]) => cmd('align', align(n!)));
          continue;
        case 0x45: // ESC E n (Star: ESC E, no parameter)
          if (star) {
            cmd('bold', 1);
            i = at;
          } else take(1, ([n]) => cmd('bold', n! & 1));
          continue;
        case 0x46: // Star: ESC F, emphasis off
          if (!star) break;
          cmd('bold', 0);
          i = at;
          continue;
        case 0x21: // ESC ! n: print mode; bits 4/5 double height/width, bit 3 emphasis
          if (star) break;
          take(1, ([n]) => {
            cmd('size', `${n! & 0x20 ? 2 : 1}x${n! & 0x10 ? 2 : 1}`);
            cmd('bold', (n! >> 3) & 1);
          });
          continue;
        case 0x64: // ESC d n: Epson feeds n lines; Star cuts (0/2 full, 1/3 partial)
          take(1, ([n]) => {
            if (line.length) flush();
            if (star) cmd('cut', n! % 2 === 0 ? 'full' : 'partial');
            else cmd('feed', n);
          });
          continue;
        case 0x4a: // ESC J n: feed n dots
          if (star) break;
          take(1, ([n]) => {
            if (line.length) flush();
            cmd('feed-dots', n);
          });
          continue;
        case 0x70: // ESC p m t1 t2: a pulse on drawer pin 2 (m 0/48) or 5 (m 1/49), on t1×2 ms, off t2×2 ms
          if (star) break;
          take(3, ([m, t1, t2]) => cmd('drawer-kick', `pin ${m! % 48 === 0 ? 2 : 5}, on ${t1! * 2} ms, off ${t2! * 2} ms`));
          continue;
        case 0x07: // Star: ESC BEL n1 n2, the drawer pulse widths (BEL then fires it)
          if (!star) break;
          take(2, ([n1, n2]) => cmd('drawer-pulse', `${n1}/${n2}`));
          continue;
        case 0x74: // ESC t n
          if (star) break;
          take(1, ([n]) => codepage(n!));
          continue;
        case 0x69: // Star: ESC i n1 n2, height and width magnification
          if (!star) break;
          take(2, ([h, w]) => cmd('size', `${w! + 1}x${h! + 1}`));
          continue;
        case 0x1d: {
          // Star: ESC GS a n (align), ESC GS t n (code page)
          if (!star) break;
          const sub = bytes[at];
          if (sub === undefined) {
            truncated();
            continue;
          }
          if (sub === 0x61 || sub === 0x74) {
            const p = params(at + 1, 1);
            if (!p) {
              truncated();
              continue;
            }
            if (sub === 0x61) cmd('align', align(p[0]!));
            else codepage(p[0]!);
            i = at + 2;
            continue;
          }
          cmd(`unknown:${hex([ESC, 0x1d, sub])}`);
          i = at + 1;
          continue;
        }
        case 0x32: // ESC 2: default line spacing
          cmd('line-spacing', 'default');
          i = at;
          continue;
        case 0x33: // ESC 3 n
          take(1, ([n]) => cmd('line-spacing', n));
          continue;
        case 0x4d: // ESC M n: font
          take(1, ([n]) => cmd('font', n));
          continue;
        case 0x2d: // ESC - n: underline
          take(1, ([n]) => cmd('underline', n));
          continue;
      }
      cmd(`unknown:${hex([ESC, c])}`);
      i = at;
      continue;
    }
    if (b === GS && !star) {
      const c = bytes[i + 1];
      if (c === undefined) {
        truncated();
        continue;
      }
      const at = i + 2;
      if (c === 0x21) {
        // GS ! n: width magnification in the high nibble, height in the low one
        const p = params(at, 1);
        if (!p) {
          truncated();
          continue;
        }
        cmd('size', `${(p[0]! >> 4) + 1}x${(p[0]! & 0x0f) + 1}`);
        i = at + 1;
        continue;
      }
      if (c === 0x56) {
        // GS V m (m 0/1/48/49), or GS V m n (m 65/66, 97/98, 103/104: feed, then cut); the even m of each pair is a full cut
        const m = bytes[at];
        if (m === undefined) {
          truncated();
          continue;
        }
        const withFeed = m >= 65;
        if (withFeed && at + 1 >= bytes.length) {
          truncated();
          continue;
        }
        if (line.length) flush();
        cmd('cut', [1, 49, 66, 98, 104].includes(m) ? 'partial' : 'full');
        i = at + (withFeed ? 2 : 1);
        continue;
      }
      if (c === 0x42) {
        const p = params(at, 1);
        if (!p) {
          truncated();
          continue;
        }
        cmd('invert', p[0]);
        i = at + 1;
        continue;
      }
      cmd(`unknown:${hex([GS, c])}`);
      i = at;
      continue;
    }
    cmd(`unknown:${hex([b])}`);
    i += 1;
  }
  return done();

  function done(): DecodedEscPos {
    // Text at the very end without a line feed stays in the printer's buffer: it is not printed.
    if (line.length) cmd('unprinted', decodeText(line, charset));
    return { lines, commands, text: lines.join('\n') };
  }
}
