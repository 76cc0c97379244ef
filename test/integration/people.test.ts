import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/app/logger';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { actorOf, createPeopleService } from '../../electron/core/people/people-service';
import { PIN_POLICY } from '../../electron/core/people/pin-policy';
import { createTillSession, type SessionTimers } from '../../electron/core/people/till-session';
import type { AuditAction } from '../../electron/shared/domain/audit';
import type { Actor, SessionView } from '../../electron/shared/domain/people';
import { everyTable } from '../support/every-table';
import { tempDir } from '../support/temp-dir';

// People on the real ledger file: the owner (once), managers and cashiers,
// PINs kept only as hashes, the delays and the lockout after wrong PINs on a
// fake clock (kept across a restart), and the till's session with its idle
// lock on timers fired by hand.

const open: Ledger[] = [];
afterEach(() => {
  for (const ledger of open.splice(0)) ledger.close();
});

function clock(start = Date.UTC(2026, 10, 30, 12)) {
  let t = start;
  return { now: () => t, tick: (ms: number) => (t += ms) };
}

function start(dir = tempDir(), c = clock()) {
  const ledger = createLedger({ dir, timeZone: 'UTC', now: c.now });
  open.push(ledger);
  const people = createPeopleService({ ledger, now: c.now, logger: silentLogger });
  return { dir, ledger, people, clock: c };
}

const audit = (ledger: Ledger, action?: AuditAction) => ledger.audit.page({ limit: 1000, ...(action ? { action } : {}) }).entries;

async function caught(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal, and it succeeded');
}

/** The owner Ana (PIN 2580) with a cashier Ben (PIN 1357) and a manager Cleo (PIN 8642). */
async function shop(t = start()) {
  const owner = await t.people.createOwner('Ana', '2580');
  const ben = actorOf(await t.people.add(owner, { name: 'Ben', role: 'cashier', pin: '1357' }));
  const cleo = actorOf(await t.people.add(owner, { name: 'Cleo', role: 'manager', pin: '8642' }));
  return { ...t, owner, ben, cleo };
}

describe('the owner', () => {
  it('is created once, with the PIN kept only as a salted scrypt hash, and audited', async () => {
    const t = start();
    expect(t.people.hasOwner()).toBe(false);
    const owner = await t.people.createOwner('  Ana  ', '2580');
    expect(owner).toEqual({ id: 1, name: 'Ana', role: 'owner' });
    expect(t.people.hasOwner()).toBe(true);
    const row = t.ledger.database.prepare('SELECT * FROM people').get() as Record<string, unknown>;
    expect(row.pin_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(everyTable(t.ledger.database))).not.toMatch(/2580/);
    expect(t.people.list()).toEqual([
      { id: 1, name: 'Ana', role: 'owner', active: true, createdAt: t.clock.now(), lastSignInAt: null, failedPins: 0, lockedUntil: null },
    ]);
    expect(audit(t.ledger)).toMatchObject([{ action: 'owner-created', personId: 1, personName: 'Ana', summary: expect.stringMatching(/Ana became the owner/) }]);

    const before = everyTable(t.ledger.database);
    expect(await caught(t.people.createOwner('Zed', '9713'))).toMatchObject({ code: 'owner-exists', message: expect.stringMatching(/exists already/) });
    expect(everyTable(t.ledger.database)).toEqual(before);
  });

  it.each([
    ['1234', /straight run/],
    ['7777', /one digit repeated/],
    ['12', /4 to 8 digits/],
    ['12ab', /digits only/],
  ])('is refused with the PIN %s, and nothing is written', async (pin, message) => {
    const t = start();
    const before = everyTable(t.ledger.database);
    expect(await caught(t.people.createOwner('Ana', pin))).toMatchObject({ code: 'invalid-pin', message: expect.stringMatching(message) });
    expect(everyTable(t.ledger.database)).toEqual(before);
    expect(t.people.hasOwner()).toBe(false);
  });

  it('is refused without a name, or with a name too long', async () => {
    const t = start();
    expect(await caught(t.people.createOwner('   ', '2580'))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/Give a name/) });
    expect(await caught(t.people.createOwner('x'.repeat(41), '2580'))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/at most 40/) });
    expect(t.people.list()).toEqual([]);
  });

  it('stays the owner: their role cannot change and they cannot be removed', async () => {
    const { people, owner, ledger } = await shop();
    const before = everyTable(ledger.database);
    expect(await caught(() => people.update(owner, { personId: owner.id, active: false }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/stays the owner/) });
    expect(await caught(() => people.update(owner, { personId: owner.id, role: 'manager' }))).toMatchObject({ code: 'invalid-input' });
    expect(everyTable(ledger.database)).toEqual(before);
    expect(people.update(owner, { personId: owner.id, name: 'Ana B.' })).toMatchObject({ name: 'Ana B.', role: 'owner' });
  });
});

describe('managers and cashiers', () => {
  it('are added, renamed, given another role and removed by the owner, each change audited with who and what', async () => {
    const t = await shop();
    const { people, owner, ben, ledger } = t;
    expect(people.choices()).toEqual([
      { id: 1, name: 'Ana', role: 'owner' },
      { id: 3, name: 'Cleo', role: 'manager' },
      { id: 2, name: 'Ben', role: 'cashier' },
    ]);
    expect(people.update(owner, { personId: ben.id, name: 'Benjamin', role: 'manager' })).toMatchObject({ name: 'Benjamin', role: 'manager', active: true });
    expect(people.update(owner, { personId: ben.id, active: false })).toMatchObject({ active: false });
    expect(people.choices().map((c) => c.name)).toEqual(['Ana', 'Cleo']);
    // Still listed (his sales name him), as inactive.
    expect(people.list().find((p) => p.id === ben.id)).toMatchObject({ name: 'Benjamin', active: false });
    // Nothing changed: nothing audited.
    people.update(owner, { personId: ben.id, active: false });

    const entries = audit(ledger).reverse();
    expect(entries.map((e) => e.action)).toEqual(['owner-created', 'person-added', 'person-added', 'person-changed', 'person-changed']);
    expect(entries[1]).toMatchObject({ personName: 'Ana', summary: 'Ana added Ben (cashier)', detail: { personId: ben.id, name: 'Ben', role: 'cashier' } });
    expect(entries[3]).toMatchObject({
      personName: 'Ana',
      summary: 'Ana renamed Ben to Benjamin, made Benjamin a manager',
      detail: { personId: ben.id, changes: { name: { from: 'Ben', to: 'Benjamin' }, role: { from: 'cashier', to: 'manager' } } },
    });
    expect(entries[4]).toMatchObject({ summary: 'Ana removed Benjamin', detail: { changes: { active: { from: true, to: false } } } });
    expect(JSON.stringify(entries)).not.toMatch(/1357|8642|2580/);
  });

  it('a removed person cannot sign in, and their name is free again', async () => {
    const { people, owner, ben } = await shop();
    people.update(owner, { personId: ben.id, active: false });
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'person-inactive', message: 'Ben was removed from the till: ask the owner.' });
    const ben2 = await people.add(owner, { name: 'ben', role: 'cashier', pin: '4826' });
    expect(ben2).toMatchObject({ name: 'ben', active: true });
    // Bringing the first Ben back would make two active "Ben"s.
    expect(await caught(() => people.update(owner, { personId: ben.id, active: true }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already called "Ben"/) });
  });

  it('two active people cannot share a name (the lock screen must tell them apart)', async () => {
    const { people, owner, ledger } = await shop();
    const before = everyTable(ledger.database);
    expect(await caught(people.add(owner, { name: ' CLEO ', role: 'cashier', pin: '4826' }))).toMatchObject({ code: 'conflict', message: 'Someone is already called "CLEO": choose another name.' });
    expect(everyTable(ledger.database)).toEqual(before);
  });

  it('are refused a weak PIN, and nothing is written', async () => {
    const { people, owner, ledger } = await shop();
    const before = everyTable(ledger.database);
    expect(await caught(people.add(owner, { name: 'Dan', role: 'cashier', pin: '4321' }))).toMatchObject({ code: 'invalid-pin', message: expect.stringMatching(/straight run/) });
    expect(await caught(people.setPin(owner, 2, '999999'))).toMatchObject({ code: 'invalid-pin' });
    expect(everyTable(ledger.database)).toEqual(before);
  });

  it('the owner’s own PIN is not set over their head: it changes only with the current one', async () => {
    const { people, owner, ledger } = await shop();
    const before = everyTable(ledger.database);
    expect(await caught(people.setPin(owner, owner.id, '9713'))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/only with the current one/) });
    expect(everyTable(ledger.database)).toEqual(before);
    await people.changeOwnPin(owner, '2580', '9713');
    expect(await people.verifyPin(owner.id, '9713')).toEqual(owner);
  });

  it('an unknown person is refused in words', async () => {
    const { people } = await shop();
    expect(await caught(people.verifyPin(99, '1357'))).toMatchObject({ code: 'unknown-person', message: expect.stringMatching(/not on the till/) });
  });
});

describe('wrong PINs: delays and the lockout', () => {
  it('two are free; from the third a wait, doubling; a try during the wait is refused without checking or counting', async () => {
    const { people, ben, clock: c } = await shop();
    for (const n of [1, 2]) {
      expect(await caught(people.verifyPin(ben.id, '0000'))).toMatchObject({ code: 'wrong-pin', message: 'Wrong PIN.' });
      expect(people.get(ben.id).failedPins).toBe(n);
    }
    expect(await caught(people.verifyPin(ben.id, '0000'))).toMatchObject({ code: 'wrong-pin', message: 'Wrong PIN. Wait 5 s before trying again.' });
    // Even the right PIN is refused during the wait, and the refusal is not counted.
    c.tick(1_000);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'pin-wait', message: 'Wait 4 s before trying again.' });
    expect(people.get(ben.id).failedPins).toBe(3);
    c.tick(4_000);
    expect(await caught(people.verifyPin(ben.id, '0000'))).toMatchObject({ code: 'wrong-pin', message: 'Wrong PIN. Wait 10 s before trying again.' });
    c.tick(9_999);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'pin-wait', message: 'Wait 1 s before trying again.' });
    c.tick(1);
    // A good PIN forgets the wrong ones.
    expect(await people.verifyPin(ben.id, '1357')).toEqual({ id: ben.id, name: 'Ben', role: 'cashier' });
    expect(people.get(ben.id)).toMatchObject({ failedPins: 0, lockedUntil: null });
    expect(await caught(people.verifyPin(ben.id, '0000'))).toMatchObject({ message: 'Wrong PIN.' });
  });

  it('locks the person out for 30 minutes at the tenth wrong PIN in a row, audits every wrong PIN and the lockout, then lets them in', async () => {
    const { people, ben, ledger, clock: c } = await shop();
    const messages: string[] = [];
    for (let n = 1; n <= 10; n++) {
      messages.push((await caught(people.verifyPin(ben.id, '0000'))).message);
      c.tick(PIN_POLICY.lockoutMs);
    }
    expect(messages[6]).toBe('Wrong PIN. Wait 80 s before trying again. 3 more wrong PINs lock Ben out for 30 minutes.');
    expect(messages[8]).toBe('Wrong PIN. Wait 6 min before trying again. 1 more wrong PIN locks Ben out for 30 minutes.');
    expect(messages[9]).toBe('Too many wrong PINs: Ben is locked out for 30 minutes. The owner can set a new PIN.');
    const lockedAt = c.now() - PIN_POLICY.lockoutMs;
    expect(people.get(ben.id)).toMatchObject({ failedPins: 10, lockedUntil: lockedAt + PIN_POLICY.lockoutMs });

    // The time ticked after the tenth was the whole lockout; go back inside it.
    c.tick(-1);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'pin-locked-out', message: 'Too many wrong PINs: Ben is locked out for 1 s. The owner can set a new PIN.' });
    c.tick(-10 * 60_000);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'pin-locked-out', message: expect.stringMatching(/locked out for 11 min/) });
    expect(people.get(ben.id).failedPins).toBe(10);

    expect(audit(ledger, 'pin-failed')).toHaveLength(10);
    expect(audit(ledger, 'pin-failed')[0]).toMatchObject({ personId: ben.id, personName: 'Ben', summary: 'Wrong PIN for Ben (10 in a row)', detail: { failedPins: 10 } });
    expect(audit(ledger, 'pin-locked-out')).toMatchObject([{ personId: ben.id, detail: { failedPins: 10, lockedUntil: lockedAt + PIN_POLICY.lockoutMs } }]);

    c.tick(10 * 60_000 + 1);
    expect(await people.verifyPin(ben.id, '1357')).toMatchObject({ id: ben.id });
    expect(people.get(ben.id)).toMatchObject({ failedPins: 0, lockedUntil: null });
  });

  it('after a lockout ends, one more wrong PIN locks again (waiting buys one guess, not ten)', async () => {
    const { people, ben, clock: c } = await shop();
    for (let n = 1; n <= 10; n++) {
      await caught(people.verifyPin(ben.id, '0000'));
      c.tick(PIN_POLICY.lockoutMs);
    }
    expect(await caught(people.verifyPin(ben.id, '0000'))).toMatchObject({ code: 'pin-locked-out' });
    expect(people.get(ben.id)).toMatchObject({ failedPins: 11, lockedUntil: c.now() + PIN_POLICY.lockoutMs });
  });

  it('keeps the count and the wait across a restart', async () => {
    const c = clock();
    const first = await shop(start(tempDir(), c));
    for (let n = 1; n <= 4; n++) {
      await caught(first.people.verifyPin(first.ben.id, '0000'));
      c.tick(n < 4 ? 10_000 : 1_000);
    }
    first.ledger.close();

    const again = start(first.dir, c);
    expect(again.people.get(first.ben.id)).toMatchObject({ failedPins: 4 });
    expect(await caught(again.people.verifyPin(first.ben.id, '1357'))).toMatchObject({ code: 'pin-wait', message: 'Wait 9 s before trying again.' });
    c.tick(9_000);
    expect(await again.people.verifyPin(first.ben.id, '1357')).toMatchObject({ id: first.ben.id });
  });

  it('the owner lifts a lockout by setting a new PIN, and it is audited', async () => {
    const { people, owner, ben, ledger, clock: c } = await shop();
    for (let n = 1; n <= 10; n++) {
      await caught(people.verifyPin(ben.id, '0000'));
      c.tick(PIN_POLICY.lockoutMs);
    }
    c.tick(-PIN_POLICY.lockoutMs + 1_000);
    expect(people.get(ben.id).lockedUntil).toBeGreaterThan(c.now());
    expect(await people.setPin(owner, ben.id, '9713')).toMatchObject({ id: ben.id, failedPins: 0, lockedUntil: null });
    expect(audit(ledger, 'pin-changed')).toMatchObject([
      { personId: owner.id, personName: 'Ana', summary: 'Ana set a new PIN for Ben (lockout lifted)', detail: { personId: ben.id, liftedLockout: true } },
    ]);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'wrong-pin' });
    expect(await people.verifyPin(ben.id, '9713')).toMatchObject({ id: ben.id });
  });

  it('tries sent together are checked one after another: only the first is counted, the others wait', async () => {
    const { people, ben } = await shop();
    await caught(people.verifyPin(ben.id, '0000'));
    await caught(people.verifyPin(ben.id, '0000'));
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => people.verifyPin(ben.id, '0000')));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'))).toEqual(['wrong-pin', 'pin-wait', 'pin-wait', 'pin-wait']);
    expect(people.get(ben.id).failedPins).toBe(3);
  });

  it('a damaged stored PIN is refused in words until the owner sets a new one', async () => {
    const { people, owner, ben, ledger } = await shop();
    ledger.database.prepare(`UPDATE people SET pin_hash = 'scrypt$garbage' WHERE id = ?`).run(ben.id);
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'malformed-pin-hash', message: expect.stringMatching(/damaged/) });
    expect(people.get(ben.id).failedPins).toBe(0);
    await people.setPin(owner, ben.id, '1357');
    expect(await people.verifyPin(ben.id, '1357')).toMatchObject({ id: ben.id });
  });
});

describe('changing one’s own PIN', () => {
  it('needs the current PIN (a wrong one counts), a valid new one, and is audited', async () => {
    const { people, ben, ledger } = await shop();
    expect(await caught(people.changeOwnPin(ben, '1357', '1111'))).toMatchObject({ code: 'invalid-pin', message: expect.stringMatching(/repeated/) });
    expect(await caught(people.changeOwnPin(ben, '1357', '1357'))).toMatchObject({ code: 'invalid-pin', message: expect.stringMatching(/different/) });
    expect(people.get(ben.id).failedPins).toBe(0);
    expect(await caught(people.changeOwnPin(ben, '0000', '4826'))).toMatchObject({ code: 'wrong-pin' });
    expect(people.get(ben.id).failedPins).toBe(1);
    await people.changeOwnPin(ben, '1357', '4826');
    expect(await caught(people.verifyPin(ben.id, '1357'))).toMatchObject({ code: 'wrong-pin' });
    expect(await people.verifyPin(ben.id, '4826')).toMatchObject({ id: ben.id });
    expect(audit(ledger, 'pin-changed')).toMatchObject([{ personId: ben.id, summary: 'Ben changed their own PIN', detail: { own: true } }]);
  });
});

/** Timers the test fires by hand: the idle lock's, with the delay it was armed for. */
function handTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: SessionTimers & { fire(): void; armed(): number[] } = {
    setTimeout(fn, ms) {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    fire() {
      const due = [...pending.values()];
      pending.clear();
      for (const t of due) t.fn();
    },
    armed: () => [...pending.values()].map((t) => t.ms),
  };
  return timers;
}

async function tillSession(lockAfterMs = 5 * 60_000) {
  const t = await shop();
  const timers = handTimers();
  let limit = lockAfterMs;
  const session = createTillSession({ people: t.people, ledger: t.ledger, lockAfterMs: () => limit, now: t.clock.now, timers, logger: silentLogger });
  const views: SessionView[] = [];
  session.onChange((v) => views.push(v));
  return { ...t, session, timers, views, setLimit: (ms: number) => (limit = ms) };
}

describe('the till’s session', () => {
  it('is open with nobody named before the owner exists, and locked at start once they do', async () => {
    const t = start();
    const session = createTillSession({ people: t.people, ledger: t.ledger, lockAfterMs: () => 300_000, logger: silentLogger });
    expect(session.view()).toEqual({ setup: true, person: null, locked: false, since: null, lockAfterMs: 300_000 });
    expect(session.actor()).toBeNull();
    expect(await caught(session.signIn(1, '2580'))).toMatchObject({ code: 'owner-needed' });
    await t.people.createOwner('Ana', '2580');
    expect(session.view()).toMatchObject({ setup: false, person: null, locked: true });
    session.close();
  });

  it('signs a person in with their PIN (audited, last sign-in kept) and locks on demand (audited as sign-out)', async () => {
    const { session, ben, views, ledger, people, clock: c } = await tillSession();
    const result = await session.signIn(ben.id, '1357');
    expect(result).toEqual({ session: { setup: false, person: ben, locked: false, since: c.now(), lockAfterMs: 300_000 }, notices: [] });
    expect(session.actor()).toEqual(ben);
    expect(people.get(ben.id).lastSignInAt).toBe(c.now());
    expect(session.lock('on-demand')).toMatchObject({ person: null, locked: true });
    expect(session.actor()).toBeNull();
    expect(views.map((v) => v.person?.name ?? null)).toEqual(['Ben', null]);
    expect(audit(ledger).slice(0, 2)).toMatchObject([
      { action: 'sign-out', personName: 'Ben', summary: 'Ben locked the till' },
      { action: 'sign-in', personName: 'Ben', summary: 'Ben signed in' },
    ]);
    // Locking a locked till changes nothing and tells no one.
    session.lock('on-demand');
    expect(views).toHaveLength(2);
  });

  it('a wrong PIN signs nobody in', async () => {
    const { session, ben, views } = await tillSession();
    expect(await caught(session.signIn(ben.id, '0000'))).toMatchObject({ code: 'wrong-pin' });
    expect(session.view()).toMatchObject({ locked: true, person: null });
    expect(views).toEqual([]);
  });

  it('locks itself after the idle time without use (not audited); use pushes the lock back', async () => {
    const { session, ben, timers, views, ledger, clock: c } = await tillSession(5 * 60_000);
    await session.signIn(ben.id, '1357');
    expect(timers.armed()).toEqual([300_000]);
    c.tick(4 * 60_000);
    session.touch();
    expect(timers.armed()).toEqual([300_000]);
    c.tick(4 * 60_000);
    // A timer armed earlier fires early (as after a clock change): the idle time is checked again, not assumed.
    timers.fire();
    expect(session.view()).toMatchObject({ person: ben, locked: false });
    expect(timers.armed()).toEqual([60_000]);
    c.tick(60_000);
    timers.fire();
    expect(session.view()).toMatchObject({ person: null, locked: true });
    expect(views.at(-1)).toMatchObject({ locked: true });
    expect(audit(ledger, 'sign-out')).toEqual([]);
    expect(timers.armed()).toEqual([]);
  });

  it('with an idle time of 0 never locks by itself; a new idle time applies at once', async () => {
    const { session, ben, timers, views, setLimit } = await tillSession(0);
    await session.signIn(ben.id, '1357');
    expect(timers.armed()).toEqual([]);
    setLimit(60_000);
    session.refresh();
    expect(timers.armed()).toEqual([60_000]);
    expect(views.at(-1)).toMatchObject({ lockAfterMs: 60_000, person: ben });
  });

  it('follows the person’s row: a new name or role applies at once, and a removed person is signed out', async () => {
    const { session, cleo, owner, people } = await tillSession();
    await session.signIn(cleo.id, '8642');
    people.update(owner, { personId: cleo.id, role: 'cashier', name: 'Cleo M.' });
    expect(session.actor()).toEqual({ id: cleo.id, name: 'Cleo M.', role: 'cashier' });
    people.update(owner, { personId: cleo.id, active: false });
    expect(session.actor()).toBeNull();
    expect(session.view()).toMatchObject({ locked: true });
  });

  it('the owner is signed in when created', async () => {
    const t = start();
    const session = createTillSession({ people: t.people, ledger: t.ledger, lockAfterMs: () => 0, now: t.clock.now, logger: silentLogger });
    const owner: Actor = await t.people.createOwner('Ana', '2580');
    expect(session.signInOwner(owner)).toEqual({ session: { setup: false, person: owner, locked: false, since: t.clock.now(), lockAfterMs: 0 }, notices: [] });
    expect(t.people.get(owner.id).lastSignInAt).toBe(t.clock.now());
  });
});
