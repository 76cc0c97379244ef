// What the main process pushes to the renderer, unasked.
import type { PrintJob } from '../domain/printer';
import type { Sale } from '../domain/sale';
import type { AppStatus } from './api-results';
import type { SessionView } from '../domain/people';
import type { ShiftReport } from '../domain/shift';

/**
 * Why a sale changed: `credited` a Code payment was proved (the sale may be
 * only partly paid), `tendered` cash or another tender was taken, `failed` a
 * Code payment request was refused (the sale stays open for another tender),
 * `tipped` the tip was chosen (by the customer or the cashier), `refunded`
 * money was handed back (a refund, or a void).
 */
export type SaleEventCause = 'created' | 'credited' | 'duplicate' | 'late' | 'tendered' | 'cancelled' | 'expired' | 'failed' | 'tipped' | 'refunded' | 'voided';

export type CounterEvent =
  | { type: 'sale'; sale: Sale; cause: SaleEventCause }
  | { type: 'status'; status: AppStatus }
  | { type: 'export'; written: number; total: number; done: boolean }
  | { type: 'tunnel-install'; received: number; total?: number }
  /** A print job changed (queued, printing, printed, failed): the till shows a fault at once, with Retry. */
  | { type: 'print-job'; job: PrintJob }
  /** Someone signed in, the till locked (idle, on demand, at start), or the owner was created. */
  | { type: 'session'; session: SessionView }
  /** A shift opened or closed (null: none open now). */
  | { type: 'shift'; shift: ShiftReport | null };
