// What the main process pushes to the renderer, unasked.
import type { PrintJob } from '../domain/printer';
import type { Sale } from '../domain/sale';
import type { AppStatus } from './api-results';

/**
 * Why a sale changed: `credited` a Code payment was proved (the sale may be
 * only partly paid), `tendered` cash or another tender was taken, `failed` a
 * Code payment request was refused (the sale stays open for another tender),
 * `tipped` the tip was chosen (by the customer or the cashier).
 */
export type SaleEventCause = 'created' | 'credited' | 'duplicate' | 'late' | 'tendered' | 'cancelled' | 'expired' | 'failed' | 'tipped';

export type CounterEvent =
  | { type: 'sale'; sale: Sale; cause: SaleEventCause }
  | { type: 'status'; status: AppStatus }
  | { type: 'export'; written: number; total: number; done: boolean }
  | { type: 'tunnel-install'; received: number; total?: number }
  /** A print job changed (queued, printing, printed, failed): the till shows a fault at once, with Retry. */
  | { type: 'print-job'; job: PrintJob };
