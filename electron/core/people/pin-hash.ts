import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CounterError } from '../app/errors';

/**
 * A PIN kept only as a scrypt hash with a random salt per person:
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`. The cost is in the string, so
 * a later version can raise it and still check the PINs stored before.
 *
 * A 4–8 digit PIN has at most 10^8 values, so no hash makes it safe against
 * someone holding the file; the cost (about 50 ms a try) and the salt only
 * make a stolen ledger slow to search and stop one table serving every till.
 * What really guards a PIN is the delays and the lockout (people-service).
 */

export const PIN_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that at N = 2^15, r = 8, and is refused. */
const maxmemFor = (N: number, r: number) => 2 * 128 * N * r;

/** A stored PIN hash that is not one this module wrote (a ledger edited by hand, or damaged). */
export class PinHashError extends CounterError {
  override readonly name = 'PinHashError';
}

function derive(pin: string, salt: Buffer, keyBytes: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: maxmemFor(cost.N, cost.r) };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a PIN with a fresh 16-byte salt. The PIN's rules (pinProblem) are the caller's to check first. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, KEY_BYTES, PIN_SCRYPT);
  return ['scrypt', PIN_SCRYPT.N, PIN_SCRYPT.r, PIN_SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The parts of a stored hash, or a PinHashError. The bounds keep an edited
 * row from asking scrypt for gigabytes (a way to stall the till) or from
 * comparing a key cut short.
 */
export function parsePinHash(stored: string): ParsedHash {
  const malformed = (why: string) => new PinHashError('malformed-pin-hash', `This person's stored PIN is damaged (${why}): the owner must set a new PIN.`);
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw malformed('not a scrypt hash');
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const num = (text: string) => (/^[1-9][0-9]{0,7}$/.test(text) ? Number(text) : Number.NaN);
  const N = num(n);
  const R = num(r);
  const P = num(p);
  if (!(N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0)) throw malformed('cost out of range');
  if (!(R >= 1 && R <= 32 && P >= 1 && P <= 4)) throw malformed('parameters out of range');
  if (!B64.test(salt) || !B64.test(key)) throw malformed('not base64');
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length < SALT_BYTES) throw malformed('salt too short');
  if (keyBytes.length !== KEY_BYTES) throw malformed('hash of the wrong length');
  return { N, r: R, p: P, salt: saltBytes, key: keyBytes };
}

/**
 * Whether `pin` is the one `stored` was made from. The comparison takes the
 * same time wherever the first differing byte is (timingSafeEqual), and both
 * sides always have the stored key's length, so it never throws on a length.
 */
export async function verifyPinHash(pin: string, stored: string): Promise<boolean> {
  const parsed = parsePinHash(stored);
  const key = await derive(pin, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}
