import { hasRole, type Actor } from '../../shared/domain/people';
import type { Shift } from '../../shared/domain/shift';
import type { CounterCore } from '../app/counter-core';
import { ShiftError } from '../shifts/shift-service';
import { personOf } from './access-guard';
import type { CallContext } from './call-context';
import type { Implementations } from './implementations';

/**
 * The shift methods. The access guard has already checked the role
 * (METHOD_ACCESS); the rules about whose shift it is live here: a cashier
 * closes only a shift they opened and reads or prints only their own
 * shifts' reports; a manager or the owner may do any. The open shift's live
 * report (currentShift) is the till's, shown to whoever works it.
 */
export type ShiftMethods = 'currentShift' | 'openShift' | 'closeShift' | 'shiftReport' | 'listShifts' | 'printShiftReport';

export function shiftHandlers(core: CounterCore): Pick<Implementations, ShiftMethods> {
  const mayActOn = (actor: Actor, shift: Shift) => hasRole(actor.role, 'manager') || shift.openedBy.id === actor.id;

  /** The shift, when this person may see it; 'forbidden' for another cashier's. */
  const ownShift = (ctx: CallContext, shiftId: number): Shift => {
    const actor = personOf(ctx, core);
    const shift = core.shifts.report(shiftId).shift;
    if (!mayActOn(actor, shift)) {
      throw new ShiftError('forbidden', `Only a manager can see another person's shift (shift #${shift.id} was opened by ${shift.openedBy.name}).`);
    }
    return shift;
  };

  return {
    currentShift: () => core.shifts.currentReport(),
    openShift: ({ float }, ctx) => core.shifts.open(personOf(ctx, core), float),
    closeShift: ({ countedCash }, ctx) => {
      const actor = personOf(ctx, core);
      const open = core.shifts.current();
      if (!open) throw new ShiftError('no-shift', 'No shift is open.');
      if (!mayActOn(actor, open)) {
        throw new ShiftError('forbidden', `Only a manager can close another person's shift (shift #${open.id} was opened by ${open.openedBy.name}).`);
      }
      // Closes this shift and no other, should another have taken its place in between.
      return core.shifts.close(actor, countedCash, open.id);
    },
    shiftReport: ({ shiftId }, ctx) => {
      ownShift(ctx, shiftId);
      return core.shifts.report(shiftId);
    },
    listShifts: ({ limit, beforeId }) => core.shifts.list({ limit, ...(beforeId !== undefined ? { beforeId } : {}) }),
    printShiftReport: ({ shiftId }, ctx) => {
      ownShift(ctx, shiftId);
      const job = core.printing.enqueueShiftReport(shiftId, 'manual');
      if (!job) throw new ShiftError('no-printer', 'No receipt printer is set: choose one in Settings → Printer.');
      return job;
    },
  };
}
