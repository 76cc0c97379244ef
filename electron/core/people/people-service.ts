import type { Actor, Person, Role, SignInChoice } from '../../shared/domain/people';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import type { Ledger } from '../ledger/ledger';

/**
 * STUB (issue 15, helper A builds it): the owner, managers and cashiers,
 * their PINs (scrypt hashes with a salt per person) and the delays and
 * lockout after failed tries.
 */
export class PeopleError extends CounterError {
  override readonly name = 'PeopleError';
}

export interface PeopleService {
  /** Whether the owner exists: from then on roles apply. */
  hasOwner(): boolean;
  choices(): SignInChoice[];
  list(): Person[];
  get(personId: number): Person;
  createOwner(name: string, pin: string): Promise<Actor>;
  add(by: Actor, input: { name: string; role: Exclude<Role, 'owner'>; pin: string }): Promise<Person>;
  update(by: Actor, input: { personId: number; name?: string; role?: Exclude<Role, 'owner'>; active?: boolean }): Person;
  setPin(by: Actor, personId: number, pin: string): Promise<Person>;
  changeOwnPin(person: Actor, currentPin: string, newPin: string): Promise<void>;
  /** Checks a person's PIN with the delays and lockout: the person when right, a PeopleError when not. */
  verifyPin(personId: number, pin: string): Promise<Actor>;
}

export interface PeopleServiceOptions {
  ledger: Ledger;
  now?: () => number;
  logger: Logger;
}

export function createPeopleService(options: PeopleServiceOptions): PeopleService {
  void options;
  const notBuilt = (): never => {
    throw new PeopleError('not-built', 'People are not built yet.');
  };
  return {
    hasOwner: () => false,
    choices: () => [],
    list: () => [],
    get: notBuilt,
    createOwner: notBuilt,
    add: notBuilt,
    update: notBuilt,
    setPin: notBuilt,
    changeOwnPin: notBuilt,
    verifyPin: notBuilt,
  };
}
