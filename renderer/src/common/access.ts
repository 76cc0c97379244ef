// What the person at the till may use, read from the same table the main
// process enforces (shared/contract/access.ts). The screens only hide what
// a person cannot use; the main process refuses it whatever they show.
import { METHOD_ACCESS } from '../../../electron/shared/contract/access';
import type { ApiMethod, SessionView } from '../../../electron/shared/contract';
import { hasRole } from '../../../electron/shared/domain/people';

/**
 * Whether the session may call `method`: 'anyone' methods always; in setup
 * (no owner yet) cashier and manager methods that need no named person;
 * once roles apply, a signed-in person of at least the method's role.
 * Nothing before the session is known.
 */
export function canUse(session: SessionView | null, method: ApiMethod): boolean {
  if (!session) return false;
  const access = METHOD_ACCESS[method];
  if (access.role === 'anyone') return true;
  if (session.setup) return access.person !== true && access.role !== 'owner';
  if (session.locked || !session.person) return false;
  return hasRole(session.person.role, access.role);
}

/** Roles apply (an owner exists) and nobody is signed in: the lock screen covers the window. */
export function isLocked(session: SessionView | null): boolean {
  return session !== null && !session.setup && (session.locked || session.person === null);
}

/** Roles apply: sales need an open shift and a signed-in person. */
export function rolesApply(session: SessionView | null): boolean {
  return session !== null && !session.setup;
}
