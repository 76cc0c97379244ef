import type { Actor } from '../../shared/domain/people';

/**
 * What the access guard hands every API implementation with its arguments:
 * who is calling. Null only before the owner exists (setup), where the till
 * sells with no sign-in; once roles apply, every method but the lock
 * screen's own has a signed-in actor.
 */
export interface CallContext {
  actor: Actor | null;
}
