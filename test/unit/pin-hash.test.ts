import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPin, parsePinHash, PIN_SCRYPT, PinHashError, verifyPinHash } from '../../electron/core/people/pin-hash';
import { lockoutAfterFailure, PIN_POLICY, pinBlock, waitAfter, waitWords } from '../../electron/core/people/pin-policy';
import { pinProblem } from '../../electron/shared/domain/people';

// PINs are kept only as scrypt hashes with a salt per person, compared in
// constant time; a damaged stored hash is refused in words, never compared.

describe('PIN hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key, and checks the right PIN only', async () => {
    const stored = await hashPin('2580');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    const parts = parsePinHash(stored);
    expect(parts).toMatchObject({ N: 2 ** 15, r: 8, p: 1 });
    expect(parts.salt).toHaveLength(16);
    expect(parts.key).toHaveLength(32);
    expect(await verifyPinHash('2580', stored)).toBe(true);
    expect(await verifyPinHash('2581', stored)).toBe(false);
    expect(await verifyPinHash('0852', stored)).toBe(false);
    expect(await verifyPinHash('25800', stored)).toBe(false);
    expect(await verifyPinHash('', stored)).toBe(false);
  });

  it('gives the same PIN a different salt and hash each time', async () => {
    const [a, b] = await Promise.all([hashPin('2580'), hashPin('2580')]);
    expect(a).not.toBe(b);
    expect(parsePinHash(a).salt.equals(parsePinHash(b).salt)).toBe(false);
    expect(await verifyPinHash('2580', a)).toBe(true);
    expect(await verifyPinHash('2580', b)).toBe(true);
  });

  it('is the scrypt of the PIN with the stored salt and cost (another implementation agrees)', async () => {
    const stored = await hashPin('97531');
    const { salt, key } = parsePinHash(stored);
    const expected = scryptSync('97531', salt, 32, { ...PIN_SCRYPT, maxmem: 64 * 1024 * 1024 });
    expect(key.equals(expected)).toBe(true);
  });

  it('checks a hash made with another cost by the cost written in it', async () => {
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('4826', salt, 32, { N: 1024, r: 8, p: 1 });
    const cheap = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPinHash('4826', cheap)).toBe(true);
    expect(await verifyPinHash('4827', cheap)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['another algorithm', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['missing parts', 'scrypt$32768$8$1$c2FsdA=='],
    ['a cost that is not a power of two', `scrypt$30000$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`],
    ['a cost that would take gigabytes', `scrypt$16777216$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`],
    ['a parallelism out of range', `scrypt$32768$8$99$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`],
    ['a short salt', `scrypt$32768$8$1$${Buffer.alloc(4).toString('base64')}$${Buffer.alloc(32).toString('base64')}`],
    ['a hash cut short', `scrypt$32768$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(8).toString('base64')}`],
    ['text that is not base64', `scrypt$32768$8$1$not base64!$${Buffer.alloc(32).toString('base64')}`],
    ['a number with a sign', `scrypt$+32768$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`],
  ])('refuses a malformed stored hash (%s) in words, without comparing', async (_what, stored) => {
    const error = await verifyPinHash('2580', stored).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinHashError);
    expect(error).toMatchObject({ code: 'malformed-pin-hash', message: expect.stringMatching(/stored PIN is damaged .*the owner must set a new PIN/) });
  });

  it('compares keys of the stored length only, so a wrong PIN of any length is a plain "no" (never a length error from timingSafeEqual)', async () => {
    const stored = await hashPin('13579');
    for (const pin of ['1', '1357', '135790', '1357913579135791', 'x'.repeat(200)]) expect(await verifyPinHash(pin, stored)).toBe(false);
  });
});

describe('PIN rules and the wait after wrong PINs', () => {
  it.each([
    ['12a4', /digits only/],
    ['123', /4 to 8 digits/],
    ['123456789', /4 to 8 digits/],
    ['0000', /one digit repeated/],
    ['1234', /straight run/],
    ['98765', /straight run/],
  ])('refuses %s', (pin, message) => {
    expect(pinProblem(pin)).toMatch(message);
  });

  it('two free mistakes, then 5 s doubling, and 30 minutes at the tenth', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(waitAfter)).toEqual([0, 0, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
    expect(lockoutAfterFailure(9, 1_000)).toBeNull();
    expect(lockoutAfterFailure(10, 1_000)).toBe(1_000 + PIN_POLICY.lockoutMs);
    expect(lockoutAfterFailure(11, 1_000)).toBe(1_000 + 30 * 60_000);
  });

  it('blocks a try during the wait or the lockout, and not after', () => {
    expect(pinBlock({ failedPins: 2, lastFailedAt: 1_000, lockedUntil: null }, 1_000)).toBeNull();
    expect(pinBlock({ failedPins: 3, lastFailedAt: 1_000, lockedUntil: null }, 2_000)).toEqual({ kind: 'wait', ms: 4_000 });
    expect(pinBlock({ failedPins: 3, lastFailedAt: 1_000, lockedUntil: null }, 6_000)).toBeNull();
    expect(pinBlock({ failedPins: 10, lastFailedAt: 0, lockedUntil: 60_000 }, 59_999)).toEqual({ kind: 'locked-out', until: 60_000 });
    expect(pinBlock({ failedPins: 10, lastFailedAt: 0, lockedUntil: 60_000 }, 2_000_000)).toBeNull();
    expect([1, 4_001, 20_000, 119_000, 125_000, 30 * 60_000].map(waitWords)).toEqual(['1 s', '5 s', '20 s', '119 s', '3 min', '30 min']);
  });
});
