import { CounterError } from '../app/errors';
import type { PrinterSettings } from '../../shared/domain/printer';
import type { ReceiptDoc } from '../../shared/domain/receipt-doc';

/**
 * What one print job hands to a printer: a document to print (or none, for a
 * bare drawer kick) and whether to open the cash drawer with it. The queue
 * builds it; a transport only delivers it.
 */
export interface PrintPayload {
  doc: ReceiptDoc | null;
  drawerKick: boolean;
}

/**
 * A way to a printer: the network (ESC/POS bytes over TCP) or a system
 * printer (Electron's silent print). `send` resolves when the printer has
 * taken the whole job, and rejects with a PrinterError otherwise.
 */
export interface PrinterTransport {
  send(payload: PrintPayload, settings: PrinterSettings): Promise<void>;
}

export type PrinterErrorCode =
  /** Nothing answers at the printer's address (refused, unreachable, no connection in time). */
  | 'printer-offline'
  /** The printer said it has no paper: nothing was printed. */
  | 'printer-paper-out'
  /** The printer accepted the connection but stopped taking the bytes. */
  | 'printer-stalled'
  /** The printer hung up before it had taken the whole job. */
  | 'printer-closed'
  /** No printer is chosen in Settings (or its address is missing). */
  | 'printer-not-set'
  /** The chosen printer cannot do what was asked (e.g. a drawer kick through a system printer). */
  | 'printer-unsupported';

/** A print that did not happen; `message` names the printer and is meant to be shown to the cashier as is. */
export class PrinterError extends CounterError {
  override readonly name = 'PrinterError';
  declare readonly code: PrinterErrorCode;
  constructor(code: PrinterErrorCode, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
  }
}
