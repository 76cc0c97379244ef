// What the main process pushes to the renderer, unasked.
import type { Sale } from '../domain/sale';
import type { AppStatus } from './api-results';

export type SaleEventCause = 'created' | 'credited' | 'duplicate' | 'late' | 'cancelled' | 'expired' | 'failed';

export type CounterEvent =
  | { type: 'sale'; sale: Sale; cause: SaleEventCause }
  | { type: 'status'; status: AppStatus }
  | { type: 'export'; written: number; total: number; done: boolean }
  | { type: 'tunnel-install'; received: number; total?: number };
