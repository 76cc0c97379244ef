import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, chmodSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import bs58 from 'bs58';
import { z } from 'zod';
import { SandboxError } from './errors';

/**
 * The sandbox signs its webhooks with an Ed25519 key of its own, generated
 * once per install, so a sandbox webhook can never pass for a live one (the
 * live listener only trusts Code's production key) and the listener's real
 * verification path runs in sandbox mode too.
 */

export const SANDBOX_KEY_FILE = 'sandbox-key.json';

export interface SandboxKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte public key in base58, the encoding of Code's `codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR`. */
  publicKeyBase58: string;
}

const KeyFileSchema = z.object({
  version: z.literal(1),
  algorithm: z.literal('Ed25519'),
  publicKeyBase58: z.string().min(32).max(44),
  privateKeyJwk: z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
  createdAt: z.string(),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

/**
 * Loads `<dir>/sandbox-key.json`, or creates it (mode 0600, written to a
 * temporary file, fsynced, then hard-linked into place so two racing starts
 * cannot both win). A file that exists but is unreadable as a key throws a
 * SandboxError('key-file-corrupt') and is left untouched: the owner decides.
 */
export function loadOrCreateSandboxKey(dir: string): SandboxKey {
  const path = join(dir, SANDBOX_KEY_FILE);
  const existing = readIfExists(path);
  if (existing !== null) return parseKeyFile(existing, path);

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const file: KeyFile = {
    version: 1,
    algorithm: 'Ed25519',
    publicKeyBase58: bs58.encode(Buffer.from(String(jwk.x), 'base64url')),
    privateKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x), d: String(jwk.d) },
    createdAt: new Date().toISOString(),
  };
  const text = `${JSON.stringify(file, null, 2)}\n`;

  const tmp = join(dir, `.${SANDBOX_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeDurably(tmp, text);
  try {
    // link() fails with EEXIST when another start created the file first:
    // then that key is the install's key, not ours.
    linkSync(tmp, path);
    unlinkSync(tmp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      unlinkSync(tmp);
      return parseKeyFile(readFileSync(path, 'utf8'), path);
    }
    // File systems without hard links (FAT, some network shares): rename is
    // still atomic, only the race above is lost.
    renameSync(tmp, path);
  }
  fsyncDirectory(dir);
  return parseKeyFile(text, path);
}

function readIfExists(path: string): string | null {
  try {
    const text = readFileSync(path, 'utf8');
    tightenMode(path);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SandboxError('key-file-corrupt', `sandbox key file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

function parseKeyFile(text: string, path: string): SandboxKey {
  const corrupt = (why: string, cause?: unknown): SandboxError =>
    new SandboxError('key-file-corrupt', `sandbox key file ${path} is corrupt (${why}); move it away to generate a new sandbox key`, { cause });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt('not JSON', error);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) throw corrupt(`unexpected content: ${parsed.error.issues[0]?.path.join('.') || 'root'}`);
  const file = parsed.data;

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: file.privateKeyJwk, format: 'jwk' });
  } catch (error) {
    throw corrupt('private key rejected', error);
  }
  const publicKey = createPublicKey(privateKey);
  const x = String(publicKey.export({ format: 'jwk' }).x);
  const publicKeyBase58 = bs58.encode(Buffer.from(x, 'base64url'));
  // The public half is derived, never trusted: a stored public key that does
  // not belong to the private key means the file was edited or damaged.
  if (x !== file.privateKeyJwk.x || publicKeyBase58 !== file.publicKeyBase58) throw corrupt('public key does not match private key');
  return { privateKey, publicKey, publicKeyBase58 };
}

function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort: some file systems refuse fsync on directories
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A private key readable by group or others is tightened back to 0600. */
function tightenMode(path: string): void {
  if (process.platform === 'win32') return;
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}
