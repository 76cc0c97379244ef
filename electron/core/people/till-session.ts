import type { Actor, SessionView, SignInResult } from '../../shared/domain/people';
import type { Logger } from '../app/logger';
import type { Ledger } from '../ledger/ledger';
import type { PeopleService } from './people-service';

/**
 * STUB (issue 15, helper A builds it): who is signed in on this till, the
 * idle lock, and the notices a sign-in shows.
 */
export interface TillSession {
  view(): SessionView;
  /** Who calls now: the signed-in person; null in setup or when locked. */
  actor(): Actor | null;
  signIn(personId: number, pin: string): Promise<SignInResult>;
  /** The owner was just created: they are signed in. */
  signInOwner(owner: Actor): SignInResult;
  lock(reason: 'on-demand' | 'idle'): SessionView;
  touch(): void;
  onChange(listener: (view: SessionView) => void): () => void;
  close(): void;
}

export interface TillSessionOptions {
  people: PeopleService;
  ledger: Ledger;
  /** The idle lock, from the settings (0: never). */
  lockAfterMs: () => number;
  now?: () => number;
  logger: Logger;
}

export function createTillSession(options: TillSessionOptions): TillSession {
  const view = (): SessionView => ({ setup: !options.people.hasOwner(), person: null, locked: false, since: null, lockAfterMs: options.lockAfterMs() });
  return {
    view,
    actor: () => null,
    signIn: () => Promise.reject(new Error('not built')),
    signInOwner: () => ({ session: view(), notices: [] }),
    lock: view,
    touch: () => {},
    onChange: () => () => {},
    close: () => {},
  };
}
