// The network printer path: ESC/POS (or Star) bytes over a raw TCP
// connection, port 9100 as a rule ("JetDirect" / raw printing). One job is
// one connection: connect, ask for the paper status, send the bytes, end, and
// wait for the printer to hang up, which is how a printer says it took the
// whole job. Every failure becomes a PrinterError naming the printer in words
// the cashier can act on; the socket and every timer go on every path.
import { connect, type Socket } from 'node:net';
import type { PrinterSettings } from '../../shared/domain/printer';
import { renderEscPos } from './escpos-render';
import { PrinterError, type PrinterTransport, type PrintPayload } from './printer-transport';

export interface NetworkTiming {
  /** How long a connection may take before the printer counts as offline. */
  connectTimeoutMs: number;
  /** How long to wait for the paper-status answer; no answer is tolerated (many printers never answer). */
  statusTimeoutMs: number;
  /** How long the printer may take no bytes (or not hang up after the last) before the job counts as stalled. */
  writeTimeoutMs: number;
}

export const DEFAULT_NETWORK_TIMING: NetworkTiming = { connectTimeoutMs: 3000, statusTimeoutMs: 2000, writeTimeoutMs: 10_000 };

/** DLE EOT 4: "transmit the paper roll sensor status", answered in real time even while the printer is busy. */
const PAPER_STATUS_QUERY = Buffer.from([0x10, 0x04, 0x04]);

/** A status byte has a fixed shape (bits 1 and 4 set, 0 and 7 clear); anything else is not an answer to read. */
function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}
/** Bits 5 and 6: the paper-end sensor sees no paper. */
function isPaperEnd(b: number): boolean {
  return (b & 0x60) === 0x60;
}

/** A name the resolver does not know: the address in Settings is wrong, not the printer off. */
const NAME_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** Small enough that a stalled printer is noticed within a chunk; a receipt is a few of them. */
const WRITE_CHUNK_BYTES = 4096;

export function createNetworkTransport(timing: Partial<NetworkTiming> = {}): PrinterTransport {
  const t: NetworkTiming = { ...DEFAULT_NETWORK_TIMING, ...timing };
  return {
    async send(payload: PrintPayload, settings: PrinterSettings): Promise<void> {
      const host = settings.host.trim();
      if (!host) throw new PrinterError('printer-not-set', 'No receipt printer address is set: add it in Settings → Printer.');
      if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) {
        throw new PrinterError('printer-not-set', `The receipt printer port ${String(settings.port)} is not a port number: fix it in Settings → Printer.`);
      }
      const bytes = renderEscPos(payload, settings);
      // Star printers in Star mode do not speak DLE EOT; only ask an Epson-compatible one.
      await sendJob({ host, port: settings.port, bytes, askPaperStatus: settings.model === 'epson', timing: t });
    },
  };
}

interface Job {
  host: string;
  port: number;
  bytes: Buffer;
  askPaperStatus: boolean;
  timing: NetworkTiming;
}

type Phase = 'connecting' | 'status' | 'writing' | 'done';

function sendJob(job: Job): Promise<void> {
  const where = `${job.host.includes(':') ? `[${job.host}]` : job.host}:${job.port}`;
  const printer = `The receipt printer at ${where}`;
  const offline = (cause?: unknown) => new PrinterError('printer-offline', `${printer} does not answer: is it on and connected?`, cause);
  const unknownName = (cause: unknown) =>
    new PrinterError('printer-offline', `${printer} cannot be found: check its address in Settings → Printer, and that it is on the network.`, cause);
  const closed = (cause?: unknown) =>
    new PrinterError('printer-closed', `${printer} hung up before the receipt was fully sent: check the printer, then Retry.`, cause);
  const stalled = () => new PrinterError('printer-stalled', `${printer} stopped taking the receipt: is its cover open or paper jammed? Check it, then Retry.`);
  const paperOut = () => new PrinterError('printer-paper-out', `${printer} is out of paper: load a roll, then Retry.`);

  return new Promise<void>((resolve, reject) => {
    let phase: Phase = 'connecting';
    let timer: NodeJS.Timeout | null = null;
    let finished = false; // our last byte (and FIN) reached the operating system
    const socket: Socket = connect({ host: job.host, port: job.port });
    socket.setNoDelay(true);

    const arm = (ms: number, onTimeout: () => void) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
      timer.unref();
    };
    const settle = (error: PrinterError | null) => {
      if (phase === 'done') return;
      phase = 'done';
      if (timer) clearTimeout(timer);
      timer = null;
      socket.removeAllListeners('data');
      socket.destroy();
      // A destroyed socket may still report an error (a late reset): nobody cares any more.
      socket.on('error', () => {});
      if (error) reject(error);
      else resolve();
    };

    // The job goes in chunks, each handed on only once the last was taken:
    // "no progress" is no chunk taken for writeTimeoutMs (the printer stopped
    // reading and TCP's window closed), however long the whole job takes.
    let offset = 0;
    const stall = () => settle(stalled());
    const writeNext = () => {
      if (phase !== 'writing') return;
      arm(job.timing.writeTimeoutMs, stall);
      if (offset >= job.bytes.length) {
        socket.end(() => {
          finished = true;
          // Waiting for the printer to hang up, its sign that it took the job: still "no progress" if it never does.
          if (phase === 'writing') arm(job.timing.writeTimeoutMs, stall);
        });
        return;
      }
      const chunk = job.bytes.subarray(offset, offset + WRITE_CHUNK_BYTES);
      offset += chunk.length;
      socket.write(chunk, (error) => {
        if (!error) writeNext();
      });
    };
    const write = () => {
      phase = 'writing';
      writeNext();
    };

    arm(job.timing.connectTimeoutMs, () => settle(offline()));
    socket.once('connect', () => {
      if (!job.askPaperStatus) return write();
      phase = 'status';
      arm(job.timing.statusTimeoutMs, write);
      socket.write(PAPER_STATUS_QUERY);
    });
    socket.on('data', (chunk: Buffer) => {
      if (phase !== 'status') return; // anything a printer says during the job is not ours to read
      const answer = chunk.find(isStatusByte);
      if (answer === undefined) return;
      if (isPaperEnd(answer)) return settle(paperOut());
      write();
    });
    socket.on('end', () => {
      // The printer hung up. After our last byte, that is the job taken; before, a job cut short.
      if (phase === 'writing' && finished) settle(null);
      else if (phase !== 'done') settle(closed());
    });
    socket.on('close', () => {
      if (phase === 'writing' && finished) settle(null);
      else settle(closed());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Before the connection, any failure (refused, unreachable, reset) means nothing answers there; after it, the printer hung up.
      if (phase === 'connecting') settle(NAME_NOT_FOUND.has(error.code ?? '') ? unknownName(error) : offline(error));
      else settle(closed(error));
    });
  });
}
