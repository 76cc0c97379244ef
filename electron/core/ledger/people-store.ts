import type Database from 'better-sqlite3';
import { z } from 'zod';
import { MAX_PERSON_NAME, ROLES, type Person, type Role } from '../../shared/domain/people';
import type { AuditInput, AuditStore } from './audit-store';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { parseInput as parse } from './parse-input';

/**
 * The people who use the till (migration 11), on the ledger's connection:
 * their names, roles and PIN hashes, and the failed-PIN counters, so a
 * restart neither forgets nor resets a lockout. The policy (how long to wait,
 * when to lock out) is the people service's; this store keeps the facts and
 * writes each change with its audit entry in one IMMEDIATE transaction.
 * A PIN hash never leaves this module except to the service's `pinHash` read.
 */

const positiveId = z.number().int().positive();
const time = z.number().int().nonnegative();
const name = z.string().trim().min(1, 'give a name').max(MAX_PERSON_NAME, `at most ${MAX_PERSON_NAME} characters`);
const pinHash = z.string().startsWith('scrypt$').max(300);
const insertInput = z.object({ name, role: z.enum(ROLES), pinHash, at: time }).strict();
const updateInput = z
  .object({ personId: positiveId, name: name.optional(), role: z.enum(['cashier', 'manager']).optional(), active: z.boolean().optional(), at: time })
  .strict();
const failureInput = z.object({ personId: positiveId, at: time, lockedUntil: time.nullable() }).strict();

interface PersonRow {
  id: number;
  name: string;
  role: Role;
  active: 0 | 1;
  failed_pins: number;
  last_failed_at: number | null;
  locked_until: number | null;
  last_sign_in_at: number | null;
  created_at: number;
}

/** What the PIN checks need besides the Person: when the last failure was. */
export interface PinState {
  failedPins: number;
  lastFailedAt: number | null;
  lockedUntil: number | null;
}

const PERSON_COLUMNS = 'id, name, role, active, failed_pins, last_failed_at, locked_until, last_sign_in_at, created_at';

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  role: r.role,
  active: r.active === 1,
  createdAt: r.created_at,
  lastSignInAt: r.last_sign_in_at,
  failedPins: r.failed_pins,
  lockedUntil: r.locked_until,
});

/** An audit entry about the row just written (its id and name are known only then). */
type AuditOf = (person: Person) => AuditInput | AuditInput[] | null;

export interface PeopleStoreOptions {
  db: Database.Database;
  ensureOpen: () => void;
  audit: AuditStore;
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;

export function createPeopleStore({ db, ensureOpen, audit }: PeopleStoreOptions) {
  const stmt = {
    byId: db.prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = ?`),
    all: db.prepare(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY active DESC, CASE role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, lower(name), id`),
    hasOwner: db.prepare(`SELECT 1 FROM people WHERE role = 'owner' LIMIT 1`),
    pinHash: db.prepare('SELECT pin_hash FROM people WHERE id = ?'),
    nameTaken: db.prepare('SELECT id FROM people WHERE active = 1 AND lower(trim(name)) = lower(trim(?)) AND id <> ?'),
    insert: db.prepare(
      `INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES (@name, @role, @pinHash, @at, @at)`,
    ),
    update: db.prepare(
      `UPDATE people SET name = @name, role = @role, active = @active, updated_at = @at WHERE id = @personId`,
    ),
    setPin: db.prepare(
      `UPDATE people SET pin_hash = @pinHash, failed_pins = 0, last_failed_at = NULL, locked_until = NULL, updated_at = @at WHERE id = @personId`,
    ),
    failure: db.prepare(
      `UPDATE people SET failed_pins = failed_pins + 1, last_failed_at = @at, locked_until = @lockedUntil WHERE id = @personId`,
    ),
    goodPin: db.prepare('UPDATE people SET failed_pins = 0, last_failed_at = NULL, locked_until = NULL WHERE id = ?'),
    signedIn: db.prepare('UPDATE people SET last_sign_in_at = ? WHERE id = ?'),
  };

  function row(id: number): PersonRow {
    const found = stmt.byId.get(id) as PersonRow | undefined;
    if (!found) throw new LedgerError('not-found', `No person with id ${id}.`);
    return found;
  }

  const appendAll = (entries: AuditInput | AuditInput[] | null) => {
    for (const entry of entries === null ? [] : Array.isArray(entries) ? entries : [entries]) audit.append(entry);
  };

  /** The same name twice among the active people would make the lock screen ambiguous. */
  function refuseTakenName(personName: string, exceptId: number): void {
    if (stmt.nameTaken.get(personName, exceptId)) throw new LedgerError('conflict', `Someone is already called "${personName.trim()}": choose another name.`);
  }

  function get(id: unknown): Person {
    ensureOpen();
    return toPerson(row(parse(positiveId, id, 'person id')));
  }

  function list(): Person[] {
    ensureOpen();
    return (stmt.all.all() as PersonRow[]).map(toPerson);
  }

  function hasOwner(): boolean {
    ensureOpen();
    return stmt.hasOwner.get() !== undefined;
  }

  /** The stored hash and counters, for the PIN check only. */
  function pinState(id: unknown): PinState & { pinHash: string } {
    ensureOpen();
    const r = row(parse(positiveId, id, 'person id'));
    const { pin_hash } = stmt.pinHash.get(r.id) as { pin_hash: string };
    return { pinHash: pin_hash, failedPins: r.failed_pins, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until };
  }

  function insert(input: unknown, auditOf: AuditOf): Person {
    ensureOpen();
    const p = parse(insertInput, input, 'person');
    return immediate(db, () => {
      if (p.role === 'owner' && hasOwner()) throw new LedgerError('conflict', 'The owner exists already.');
      refuseTakenName(p.name, 0);
      const { lastInsertRowid } = stmt.insert.run(p);
      const person = toPerson(row(Number(lastInsertRowid)));
      appendAll(auditOf(person));
      return person;
    });
  }

  /** Renames, changes a cashier's or manager's role, or makes them (in)active; the owner's role and activity never change. */
  function update(input: unknown, auditOf: (before: Person, after: Person) => AuditInput | null): Person {
    ensureOpen();
    const p = parse(updateInput, input, 'person change');
    return immediate(db, () => {
      const before = toPerson(row(p.personId));
      if (before.role === 'owner' && (p.role !== undefined || p.active === false)) {
        throw new LedgerError('invalid-input', 'The owner stays the owner: only their name can change.');
      }
      const next = { name: p.name ?? before.name, role: p.role ?? before.role, active: p.active ?? before.active };
      if (next.active) refuseTakenName(next.name, before.id);
      stmt.update.run({ personId: p.personId, name: next.name, role: next.role, active: next.active ? 1 : 0, at: p.at });
      const after = toPerson(row(p.personId));
      appendAll(auditOf(before, after));
      return after;
    });
  }

  /** A new PIN hash; it lifts a lockout and clears the failed tries. */
  function setPinHash(input: unknown, auditOf: AuditOf): Person {
    ensureOpen();
    const p = parse(z.object({ personId: positiveId, pinHash, at: time }).strict(), input, 'PIN change');
    return immediate(db, () => {
      row(p.personId);
      stmt.setPin.run(p);
      const person = toPerson(row(p.personId));
      appendAll(auditOf(person));
      return person;
    });
  }

  /** One more failed try (and the lockout, when the policy says so), with its audit entries. */
  function recordFailure(input: unknown, auditOf: AuditOf): Person {
    ensureOpen();
    const p = parse(failureInput, input, 'failed PIN');
    return immediate(db, () => {
      stmt.failure.run(p);
      const person = toPerson(row(p.personId));
      appendAll(auditOf(person));
      return person;
    });
  }

  /** A good PIN: the failed tries are forgotten. */
  function recordGoodPin(id: unknown): void {
    ensureOpen();
    const personId = parse(positiveId, id, 'person id');
    immediate(db, () => stmt.goodPin.run(personId));
  }

  /** A sign-in: its time (the next sign-in's notices start there) and its audit entry. */
  function recordSignIn(input: unknown, auditOf: AuditOf): Person {
    ensureOpen();
    const p = parse(z.object({ personId: positiveId, at: time }).strict(), input, 'sign-in');
    return immediate(db, () => {
      stmt.goodPin.run(p.personId);
      stmt.signedIn.run(p.at, p.personId);
      const person = toPerson(row(p.personId));
      appendAll(auditOf(person));
      return person;
    });
  }

  return { get, list, hasOwner, pinState, insert, update, setPinHash, recordFailure, recordGoodPin, recordSignIn };
}
