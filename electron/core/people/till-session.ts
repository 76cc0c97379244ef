import type { Actor, SessionView, SignInResult } from '../../shared/domain/people';
import type { Logger } from '../app/logger';
import type { Ledger } from '../ledger/ledger';
import { PeopleError, type PeopleService } from './people-service';
import { paymentSetupNotices } from './sign-in-notices';

/**
 * Who is signed in on this till (one session: the core serves one till),
 * the idle lock, and what a sign-in must show first. Nobody is signed in at
 * start once the owner exists: the till starts locked. Locking only forgets
 * who is signed in; a sale in progress goes on (a payment still credits).
 */
export interface TillSession {
  view(): SessionView;
  /** Who calls now: the signed-in person; null in setup or when locked. */
  actor(): Actor | null;
  signIn(personId: number, pin: string): Promise<SignInResult>;
  /** The owner was just created: they are signed in. */
  signInOwner(owner: Actor): SignInResult;
  lock(reason: 'on-demand' | 'idle'): SessionView;
  /** The till is in use: the idle lock starts counting again. */
  touch(): void;
  /** The idle time setting changed: the timer follows it, and the screens hear of it. */
  refresh(): void;
  onChange(listener: (view: SessionView) => void): () => void;
  close(): void;
}

/** The timer functions the idle lock uses (tests pass their own and fire them by hand). */
export interface SessionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: SessionTimers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // The idle lock never keeps the process alive on its own.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TillSessionOptions {
  people: PeopleService;
  ledger: Ledger;
  /** The idle lock, from the settings (0: never). */
  lockAfterMs: () => number;
  now?: () => number;
  timers?: SessionTimers;
  logger: Logger;
}

export function createTillSession(options: TillSessionOptions): TillSession {
  const { people, ledger } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const log = options.logger.child('till-session');
  const listeners = new Set<(view: SessionView) => void>();
  let person: Actor | null = null;
  let since: number | null = null;
  let lastUse = 0;
  let timer: unknown = null;

  const view = (): SessionView => {
    const setup = !people.hasOwner();
    return { setup, person: setup ? null : person, locked: !setup && person === null, since: setup ? null : since, lockAfterMs: options.lockAfterMs() };
  };

  function emit(): SessionView {
    const current = view();
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch (error) {
        log.error(`session listener failed: ${(error as Error).message}`);
      }
    }
    return current;
  }

  function disarm(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  /** Sets the timer for what is left of the idle time; when it fires, the idle time is checked again (the setting may have changed). */
  function arm(): void {
    disarm();
    const limit = options.lockAfterMs();
    if (person === null || limit <= 0) return;
    const left = Math.max(0, lastUse + limit - now());
    timer = timers.setTimeout(() => {
      timer = null;
      if (person === null) return;
      const ms = options.lockAfterMs();
      if (ms > 0 && now() - lastUse >= ms) lock('idle');
      else arm();
    }, left);
  }

  function begin(who: Actor): SessionView {
    person = who;
    since = now();
    lastUse = since;
    arm();
    log.info(`person ${who.id} signed in`, { personId: who.id, role: who.role });
    return emit();
  }

  function lock(reason: 'on-demand' | 'idle'): SessionView {
    disarm();
    const who = person;
    if (who === null) return view();
    person = null;
    since = null;
    // Idle locks are not audited: they would fill the log with noise.
    if (reason === 'on-demand') ledger.audit.append({ action: 'sign-out', actor: who, summary: `${who.name} locked the till` });
    log.info(`till locked (${reason})`, { personId: who.id, reason });
    return emit();
  }

  return {
    view,

    actor() {
      if (person === null || !people.hasOwner()) return null;
      // The row as it is now: a rename or a new role applies at once, and a removed person is signed out.
      const current = people.get(person.id);
      if (!current.active) {
        lock('idle');
        return null;
      }
      if (current.name !== person.name || current.role !== person.role) person = { id: current.id, name: current.name, role: current.role };
      return person;
    },

    async signIn(personId, pin) {
      if (!people.hasOwner()) throw new PeopleError('owner-needed', 'Nobody signs in yet: create the owner first (Settings → Owner).');
      const previous = people.get(personId).lastSignInAt;
      const who = await people.verifyPin(personId, pin);
      const at = now();
      const created = people.get(who.id).createdAt;
      ledger.people.recordSignIn({ personId: who.id, at }, (p) => ({
        action: 'sign-in',
        actor: who,
        summary: `${p.name} signed in`,
        detail: { personId: p.id },
      }));
      // What changed since this person last looked: from their previous sign-in, or from when they were added.
      const notices = paymentSetupNotices(ledger, previous ?? created, (id) => {
        try {
          return people.get(id).role;
        } catch {
          return null;
        }
      });
      return { session: begin(who), notices };
    },

    signInOwner(owner) {
      ledger.people.recordSignIn({ personId: owner.id, at: now() }, () => null);
      return { session: begin(owner), notices: [] };
    },

    lock,

    touch() {
      if (person === null) return;
      lastUse = now();
      arm();
    },

    refresh() {
      arm();
      emit();
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    close() {
      disarm();
      listeners.clear();
    },
  };
}
