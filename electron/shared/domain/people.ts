// The people who use the till: the owner, managers and cashiers, their
// roles and PINs, and the till's session. Pure types and rules, shared by
// the core (which enforces them) and the screens (which show them).

export const ROLES = ['cashier', 'manager', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Each role can do everything the roles below it can. */
export const ROLE_RANK: Record<Role, number> = { cashier: 1, manager: 2, owner: 3 };

export const ROLE_WORDS: Record<Role, string> = { cashier: 'Cashier', manager: 'Manager', owner: 'Owner' };

export function hasRole(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;
export const MAX_PERSON_NAME = 40;

/** A person named on a record (a sale, a tender, a shift), with the name they have now. */
export interface PersonRef {
  id: number;
  name: string;
}

/** Who did something: kept on sales, tenders, refunds, drawer openings and audit entries. */
export interface Actor {
  id: number;
  name: string;
  role: Role;
}

/** A person as the owner's People screen shows them (never the PIN or its hash). */
export interface Person extends Actor {
  active: boolean;
  createdAt: number;
  lastSignInAt: number | null;
  /** Failed PIN tries since the last good one. */
  failedPins: number;
  /** Locked out until then after too many failed PINs (the owner can set a new PIN to lift it). */
  lockedUntil: number | null;
}

/** Whom the lock screen offers to sign in (active people only). */
export interface SignInChoice {
  id: number;
  name: string;
  role: Role;
}

/**
 * The till's session.
 * - `setup`: no owner exists yet. The sandbox till sells with no sign-in,
 *   as on a fresh install; creating the owner is the first step of going
 *   live or changing any setting, and from then on roles apply.
 * - `person`: who is signed in; null in setup or when locked.
 * - `locked`: roles apply and nobody is signed in (idle, on demand, or at start).
 */
export interface SessionView {
  setup: boolean;
  person: Actor | null;
  locked: boolean;
  /** When the person signed in. */
  since: number | null;
  /** The till locks after this long without use; 0 never. */
  lockAfterMs: number;
}

/** What a good PIN answers: the person, and what they must read first ("Deposit address changed at … by …"). */
export interface SignInResult {
  session: SessionView;
  notices: string[];
}

/**
 * PIN checks before hashing: digits only, 4–8 of them, not one digit
 * repeated and not a straight run (1234, 9876), which are the first a
 * stranger tries. Null when acceptable, else the reason in words.
 */
export function pinProblem(pin: string): string | null {
  if (!/^[0-9]+$/.test(pin)) return 'A PIN is digits only.';
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) return `A PIN has ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits.`;
  if (/^(\d)\1+$/.test(pin)) return 'Choose a PIN that is not one digit repeated.';
  const steps = [...pin].slice(1).map((d, i) => Number(d) - Number(pin[i]));
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'Choose a PIN that is not a straight run of digits.';
  return null;
}
