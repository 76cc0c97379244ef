import { MAX_AMOUNT_HUNDREDTHS } from '../../shared/domain/money';
import type { Actor } from '../../shared/domain/people';
import type { Shift, ShiftReport } from '../../shared/domain/shift';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import { LedgerError } from '../ledger/errors';
import type { Ledger, ShiftConflict } from '../ledger/ledger';
import { buildShiftReport } from './shift-report';

/**
 * Shifts: opened with a counted float in the till's mode and currency, and
 * closed with the counted cash, which freezes the Z-report (expected cash,
 * over or short) in the shift's row. At most one is open; one left open
 * across a restart is still open (it is a row). Opening publishes the live
 * report, closing publishes null and queues the Z-report's print.
 */
export class ShiftError extends CounterError {
  override readonly name = 'ShiftError';
}

export interface ShiftService {
  /** The open shift, or null. */
  current(): Shift | null;
  /** The open shift's live report, or null when none is open. */
  currentReport(): ShiftReport | null;
  open(by: Actor, float: number): Shift;
  /** Closes the open shift (only if it is `shiftId`, when given) and answers its frozen Z-report. */
  close(by: Actor, countedCash: number, shiftId?: number): ShiftReport;
  /** The live report of an open shift, the kept one of a closed shift. */
  report(shiftId: number): ShiftReport;
  list(options: { limit: number; beforeId?: number }): Shift[];
}

export interface ShiftServiceOptions {
  ledger: Ledger;
  /** The shop's mode and currency now: a shift is opened in them. */
  config: () => { mode: 'live' | 'sandbox'; currency: string };
  /** Tells the screens a shift opened (its live report) or closed (null). */
  publish?: (shift: ShiftReport | null) => void;
  /** Queues the Z-report's automatic print after a close (the print queue decides whether a printer is set). */
  printReport?: (shiftId: number) => unknown;
  now?: () => number;
  logger: Logger;
}

/** A whole, non-negative number of hundredths, or a ShiftError naming `what`. */
function requireAmount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_AMOUNT_HUNDREDTHS) {
    throw new ShiftError('invalid-input', `The ${what} must be a whole amount of cents, zero or more.`);
  }
  return value;
}

/** The ledger's refusals, in the shift's own words and codes. */
function asShiftError(error: unknown): unknown {
  if (!(error instanceof LedgerError)) return error;
  if (error.code === 'not-found' && /No shift is open/.test(error.message)) return new ShiftError('no-shift', 'No shift is open.', { cause: error });
  if (error.code !== 'conflict') return error;
  const conflict = error.details as ShiftConflict | undefined;
  if (conflict?.reason === 'open-sales') return new ShiftError('open-sales', error.message, { cause: error });
  if (conflict?.reason === 'shift-open') return new ShiftError('shift-open', error.message, { cause: error });
  if (conflict?.reason === 'not-open-shift') return new ShiftError('not-open-shift', error.message, { cause: error });
  return error;
}

export function createShiftService(options: ShiftServiceOptions): ShiftService {
  const { ledger } = options;
  const log = options.logger.child('shifts');
  const now = options.now ?? Date.now;

  function report(shiftId: number): ShiftReport {
    const kept = ledger.shifts.keptReport(shiftId);
    if (kept) return kept;
    const shift = ledger.shifts.get(shiftId);
    return buildShiftReport(shift, ledger.shifts.figures(shiftId), now());
  }

  function currentReport(): ShiftReport | null {
    const shift = ledger.shifts.current();
    return shift ? report(shift.id) : null;
  }

  function publish(shift: ShiftReport | null): void {
    try {
      options.publish?.(shift);
    } catch (error) {
      log.error(`publishing the shift failed: ${(error as Error).message}`);
    }
  }

  function open(by: Actor, float: number): Shift {
    requireAmount(float, 'float');
    const { mode, currency } = options.config();
    let shift: Shift;
    try {
      shift = ledger.shifts.open({ mode, currency, by, float });
    } catch (error) {
      throw asShiftError(error);
    }
    log.info('shift opened', { shiftId: shift.id, by: by.id, float, mode, currency });
    publish(report(shift.id));
    return shift;
  }

  function close(by: Actor, countedCash: number, shiftId?: number): ShiftReport {
    requireAmount(countedCash, 'counted cash');
    let closed: ShiftReport;
    try {
      closed = ledger.shifts.close({ by, countedCash, ...(shiftId !== undefined ? { shiftId } : {}) }, buildShiftReport);
    } catch (error) {
      throw asShiftError(error);
    }
    const { id } = closed.shift;
    log.info('shift closed', { shiftId: id, by: by.id, counted: countedCash, expected: closed.cash.expected, overShort: closed.cash.overShort });
    publish(null);
    // The close is kept whatever the printer does: a fault shows in the print queue, with Retry.
    try {
      options.printReport?.(id);
    } catch (error) {
      log.warn(`the Z-report of shift #${id} was not queued for printing: ${(error as Error).message}`);
    }
    return closed;
  }

  return {
    current: () => ledger.shifts.current(),
    currentReport,
    open,
    close,
    report,
    list: (o) => ledger.shifts.list(o),
  };
}
