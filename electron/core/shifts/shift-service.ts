import type { Actor } from '../../shared/domain/people';
import type { Shift, ShiftReport } from '../../shared/domain/shift';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import type { Ledger } from '../ledger/ledger';

/**
 * STUB (issue 15, helper C builds it): shifts, opened with a counted float
 * and closed with the counted cash, and their Z-reports.
 */
export class ShiftError extends CounterError {
  override readonly name = 'ShiftError';
}

export interface ShiftService {
  /** The open shift, or null. */
  current(): Shift | null;
  open(by: Actor, float: number): Shift;
  close(by: Actor, countedCash: number): ShiftReport;
  /** The live report of an open shift, the kept one of a closed shift. */
  report(shiftId: number): ShiftReport;
  list(options: { limit: number; beforeId?: number }): Shift[];
}

export interface ShiftServiceOptions {
  ledger: Ledger;
  /** The shop's mode and currency now: a shift is opened in them. */
  config: () => { mode: 'live' | 'sandbox'; currency: string };
  now?: () => number;
  logger: Logger;
}

export function createShiftService(options: ShiftServiceOptions): ShiftService {
  void options;
  const notBuilt = (): never => {
    throw new ShiftError('not-built', 'Shifts are not built yet.');
  };
  return { current: () => null, open: notBuilt, close: notBuilt, report: notBuilt, list: () => [] };
}
