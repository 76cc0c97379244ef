import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802,
 * RFC 7677; PostgreSQL's `scram_build_secret`), made here so the password
 * itself never reaches the server: `ALTER ROLE … PASSWORD '<verifier>'`
 * stores it as given. The password goes through the same SASLprep mapping
 * as node-postgres's client (pg/lib/crypto/sasl.js) and PostgreSQL's
 * server: non-ASCII spaces to a space, "mapped to nothing" characters
 * dropped, NFKC. A generated password is base64url, where all of that is
 * the identity.
 */
const ITERATIONS = 4096;

export function saslPrep(password: string): string {
  // eslint-disable-next-line no-misleading-character-class -- RFC 3454 B.1 lists joiners and variation selectors on purpose.
  const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
  return password.replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ').replace(mappedToNothing, '').normalize('NFKC');
}

export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(saslPrep(password), salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
