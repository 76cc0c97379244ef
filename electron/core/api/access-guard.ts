import type { ApiMethod } from '../../shared/contract';
import type { CounterCore } from '../app/counter-core';
import type { CallContext } from './call-context';

/**
 * STUB (issue 15, helper A builds it): enforces METHOD_ACCESS on every call
 * (locked till, role, setup, person, open shift) and says who calls.
 */
export function createAccessGuard(core: Pick<CounterCore, 'session'>): (method: ApiMethod) => CallContext {
  return () => ({ actor: core.session.actor() });
}
