import { CounterError } from '../app/errors';
import type { CounterCore } from '../app/counter-core';
import type { Implementations } from './implementations';

/** STUB (issue 15, helper C builds it): the shift methods. */
export type ShiftMethods = 'currentShift' | 'openShift' | 'closeShift' | 'shiftReport' | 'listShifts' | 'printShiftReport';

const notBuilt = (): never => {
  throw new CounterError('not-built', 'Not built yet.');
};

export function shiftHandlers(core: CounterCore): Pick<Implementations, ShiftMethods> {
  void core;
  return { currentShift: () => null, openShift: notBuilt, closeShift: notBuilt, shiftReport: notBuilt, listShifts: () => [], printShiftReport: notBuilt };
}
