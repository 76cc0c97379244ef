import { MAX_PERSON_NAME, pinProblem, ROLE_WORDS, type Actor, type Person, type Role, type SignInChoice } from '../../shared/domain/people';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';
import type { AuditInput } from '../ledger/audit-store';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';
import { hashPin, verifyPinHash } from './pin-hash';
import { lockoutAfterFailure, PIN_POLICY, pinBlock, waitAfter, waitWords } from './pin-policy';

/**
 * The owner, managers and cashiers, their PINs (scrypt hashes with a salt
 * per person: pin-hash.ts) and the delays and lockout after failed tries
 * (pin-policy.ts). Every change, every wrong PIN and every lockout is
 * written with its audit entry in one transaction. A PIN is never logged,
 * echoed or kept; only its hash is stored.
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

export const actorOf = (p: Pick<Person, 'id' | 'name' | 'role'>): Actor => ({ id: p.id, name: p.name, role: p.role });

const roleWord = (role: Role) => ROLE_WORDS[role].toLowerCase();

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new PeopleError('invalid-input', 'Give a name: it shows on the lock screen and on every sale.', { fields: { name: 'Give a name.' } });
  if (trimmed.length > MAX_PERSON_NAME) {
    throw new PeopleError('invalid-input', `A name has at most ${MAX_PERSON_NAME} characters.`, { fields: { name: `At most ${MAX_PERSON_NAME} characters.` } });
  }
  return trimmed;
}

function checkedPin(pin: string, field = 'pin'): string {
  const problem = pinProblem(pin);
  if (problem) throw new PeopleError('invalid-pin', problem, { fields: { [field]: problem } });
  return pin;
}

export function createPeopleService(options: PeopleServiceOptions): PeopleService {
  const { ledger } = options;
  const store = ledger.people;
  const now = options.now ?? Date.now;
  const log = options.logger.child('people');
  // The owner is never removed: once seen, roles apply for good, and the
  // access guard (asked on every call) need not ask the ledger again.
  let ownerSeen = false;
  // One PIN check per person at a time: two tries sent together must not
  // both pass the wait check while the first one's hash is being computed.
  const checking = new Map<number, Promise<unknown>>();

  const hasOwner = () => (ownerSeen ||= store.hasOwner());

  function person(personId: number): Person {
    try {
      return store.get(personId);
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'not-found') {
        throw new PeopleError('unknown-person', 'This person is not on the till: choose your name again.');
      }
      throw error;
    }
  }

  /** The ledger's refusal of a taken name or a second owner, in the words the screens show. */
  function translated<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'conflict') throw new PeopleError('conflict', error.message, { fields: { name: error.message } });
      throw error;
    }
  }

  function serialized<T>(personId: number, run: () => Promise<T>): Promise<T> {
    const before = checking.get(personId) ?? Promise.resolve();
    const mine = before.then(run, run);
    const settled = mine.catch(() => undefined);
    checking.set(personId, settled);
    void settled.then(() => {
      if (checking.get(personId) === settled) checking.delete(personId);
    });
    return mine;
  }

  async function checkPin(personId: number, pin: string): Promise<Actor> {
    const who = person(personId);
    if (!who.active) throw new PeopleError('person-inactive', `${who.name} was removed from the till: ask the owner.`);
    const state = store.pinState(personId);
    const at = now();
    const block = pinBlock(state, at);
    // Refused before the PIN is looked at, and not counted: waiting is the point.
    if (block?.kind === 'locked-out') {
      throw new PeopleError('pin-locked-out', `Too many wrong PINs: ${who.name} is locked out for ${waitWords(block.until - at)}. The owner can set a new PIN.`);
    }
    if (block?.kind === 'wait') throw new PeopleError('pin-wait', `Wait ${waitWords(block.ms)} before trying again.`);

    if (await verifyPinHash(pin, state.pinHash)) {
      if (state.failedPins > 0) store.recordGoodPin(personId);
      return actorOf(who);
    }

    // The failure is counted and audited with the time of the check, not of the hash's end.
    const failed = state.failedPins + 1;
    const lockedUntil = lockoutAfterFailure(failed, at);
    store.recordFailure({ personId, at, lockedUntil }, (p) => {
      const entries: AuditInput[] = [
        { action: 'pin-failed', actor: actorOf(p), summary: `Wrong PIN for ${p.name} (${failed} in a row)`, detail: { personId: p.id, failedPins: failed } },
      ];
      if (lockedUntil !== null) {
        entries.push({
          action: 'pin-locked-out',
          actor: actorOf(p),
          summary: `${p.name} locked out for 30 minutes after ${failed} wrong PINs in a row`,
          detail: { personId: p.id, failedPins: failed, lockedUntil },
        });
      }
      return entries;
    });
    log.warn(`wrong PIN for person ${who.id} (${failed} in a row)${lockedUntil !== null ? ', locked out' : ''}`, { personId: who.id, failed });
    if (lockedUntil !== null) {
      throw new PeopleError('pin-locked-out', `Too many wrong PINs: ${who.name} is locked out for 30 minutes. The owner can set a new PIN.`);
    }
    const wait = waitAfter(failed);
    const left = PIN_POLICY.lockoutAfter - failed;
    const then = wait > 0 ? ` Wait ${waitWords(wait)} before trying again.` : '';
    const warning = left <= 3 ? ` ${left} more wrong ${left === 1 ? 'PIN locks' : 'PINs lock'} ${who.name} out for 30 minutes.` : '';
    throw new PeopleError('wrong-pin', `Wrong PIN.${then}${warning}`);
  }

  return {
    hasOwner,

    choices: () =>
      store
        .list()
        .filter((p) => p.active)
        .map((p) => ({ id: p.id, name: p.name, role: p.role })),

    list: () => store.list(),

    get: person,

    async createOwner(name, pin) {
      const ownerName = checkedName(name);
      checkedPin(pin);
      if (hasOwner()) throw new PeopleError('owner-exists', 'The owner exists already: sign in with their PIN.');
      const pinHash = await hashPin(pin);
      const owner = translated(() =>
        store.insert({ name: ownerName, role: 'owner', pinHash, at: now() }, (p) => ({
          action: 'owner-created',
          actor: actorOf(p),
          summary: `${p.name} became the owner: from now on every person signs in with a PIN`,
          detail: { personId: p.id, name: p.name },
        })),
      );
      ownerSeen = true;
      log.info(`owner created (person ${owner.id})`, { personId: owner.id });
      return actorOf(owner);
    },

    async add(by, input) {
      const personName = checkedName(input.name);
      checkedPin(input.pin);
      const pinHash = await hashPin(input.pin);
      return translated(() =>
        store.insert({ name: personName, role: input.role, pinHash, at: now() }, (p) => ({
          action: 'person-added',
          actor: by,
          summary: `${by.name} added ${p.name} (${roleWord(p.role)})`,
          detail: { personId: p.id, name: p.name, role: p.role },
        })),
      );
    },

    update(by, input) {
      const change = {
        personId: input.personId,
        at: now(),
        ...(input.name !== undefined ? { name: checkedName(input.name) } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      };
      person(input.personId);
      return translated(() =>
        store.update(change, (before, after) => {
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          if (before.name !== after.name) changes.name = { from: before.name, to: after.name };
          if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
          if (before.active !== after.active) changes.active = { from: before.active, to: after.active };
          if (!Object.keys(changes).length) return null;
          const words = [
            changes.name ? `renamed ${before.name} to ${after.name}` : null,
            changes.role ? `made ${after.name} a ${roleWord(after.role)}` : null,
            changes.active ? (after.active ? `brought ${after.name} back` : `removed ${after.name}`) : null,
          ].filter(Boolean);
          return { action: 'person-changed', actor: by, summary: `${by.name} ${words.join(', ')}`, detail: { personId: after.id, changes } };
        }),
      );
    },

    async setPin(by, personId, pin) {
      checkedPin(pin);
      const target = person(personId);
      // Only with the current PIN: a till left signed in must not let anyone take the owner's PIN over.
      if (target.role === 'owner') {
        throw new PeopleError('invalid-input', 'The owner’s PIN changes only with the current one: use Change my PIN.');
      }
      const pinHash = await hashPin(pin);
      const lifted = target.lockedUntil !== null && target.lockedUntil > now();
      return store.setPinHash({ personId, pinHash, at: now() }, (p) => ({
        action: 'pin-changed',
        actor: by,
        summary: `${by.name} set a new PIN for ${p.name}${lifted ? ' (lockout lifted)' : ''}`,
        detail: { personId: p.id, liftedLockout: lifted },
      }));
    },

    async changeOwnPin(who, currentPin, newPin) {
      checkedPin(newPin, 'newPin');
      if (newPin === currentPin) throw new PeopleError('invalid-pin', 'Choose a new PIN different from the current one.', { fields: { newPin: 'Choose a different PIN.' } });
      await serialized(who.id, () => checkPin(who.id, currentPin));
      const pinHash = await hashPin(newPin);
      store.setPinHash({ personId: who.id, pinHash, at: now() }, (p) => ({
        action: 'pin-changed',
        actor: who,
        summary: `${p.name} changed their own PIN`,
        detail: { personId: p.id, own: true },
      }));
    },

    verifyPin: (personId, pin) => serialized(personId, () => checkPin(personId, pin)),
  };
}
