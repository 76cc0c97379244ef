// People in words, as the screens name them.
import type { Actor, PersonRef } from '../../../electron/shared/domain/people';
import { ROLE_WORDS } from '../../../electron/shared/domain/people';

/** "Ana (owner)". */
export function actorText(actor: Pick<Actor, 'name' | 'role'>): string {
  return `${actor.name} (${ROLE_WORDS[actor.role].toLowerCase()})`;
}

/** A person named on a record, or what an unnamed one means: before the owner existed, nobody signed in. */
export function personRefText(ref: PersonRef | null, none = 'nobody signed in (before the owner was created)'): string {
  return ref ? ref.name : none;
}
