import { createPublicKey, sign, verify } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bs58 from 'bs58';
import { jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSandboxKey, SANDBOX_KEY_FILE } from '../../electron/core/sandbox/sandbox-key';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'counter-sandbox-key-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

describe('loadOrCreateSandboxKey', () => {
  it('creates an Ed25519 key once and loads the same key next time', () => {
    const first = loadOrCreateSandboxKey(dir);
    const second = loadOrCreateSandboxKey(dir);

    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(first.privateKey.type).toBe('private');
    expect(first.publicKey.type).toBe('public');
    expect(second.publicKeyBase58).toBe(first.publicKeyBase58);
    const message = Buffer.from('sandbox');
    expect(verify(null, message, first.publicKey, sign(null, message, second.privateKey))).toBe(true);
  });

  it('encodes the public key as base58 of its raw 32 bytes, like Code’s production key', () => {
    const key = loadOrCreateSandboxKey(dir);
    const raw = bs58.decode(key.publicKeyBase58);
    expect(raw).toHaveLength(32);
    expect(bs58.decode('codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR')).toHaveLength(32);

    // A verifier holding only the base58 string rebuilds the same key.
    const rebuilt = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
    expect(rebuilt.export({ format: 'jwk' })).toEqual(key.publicKey.export({ format: 'jwk' }));
  });

  it('signs JWTs that jose verifies with the public key', async () => {
    const key = loadOrCreateSandboxKey(dir);
    const token = await new SignJWT({ intent: 'x' }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(key.privateKey);
    await expect(jwtVerify(token, key.publicKey, { algorithms: ['EdDSA'] })).resolves.toMatchObject({ payload: { intent: 'x' } });
  });

  it.runIf(posix)('writes the key file readable by its owner only', () => {
    loadOrCreateSandboxKey(dir);
    expect(statSync(join(dir, SANDBOX_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('tightens a key file other users can read back to 0600', () => {
    loadOrCreateSandboxKey(dir);
    chmodSync(join(dir, SANDBOX_KEY_FILE), 0o644);
    loadOrCreateSandboxKey(dir);
    expect(statSync(join(dir, SANDBOX_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('creates a missing directory and leaves no temporary files behind', () => {
    const nested = join(dir, 'user-data', 'sandbox');
    loadOrCreateSandboxKey(nested);
    expect(readdirSync(nested)).toEqual([SANDBOX_KEY_FILE]);
  });

  it('stores the public key in the file and never the derived objects', () => {
    const key = loadOrCreateSandboxKey(dir);
    const file = JSON.parse(readFileSync(join(dir, SANDBOX_KEY_FILE), 'utf8'));
    expect(file).toMatchObject({ version: 1, algorithm: 'Ed25519', publicKeyBase58: key.publicKeyBase58, privateKeyJwk: { kty: 'OKP', crv: 'Ed25519' } });
  });

  describe('a corrupt key file is reported and left untouched', () => {
    function expectCorrupt(content: string, why: RegExp): void {
      const path = join(dir, SANDBOX_KEY_FILE);
      writeFileSync(path, content, { mode: 0o600 });
      let thrown: unknown;
      try {
        loadOrCreateSandboxKey(dir);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: 'SandboxError', code: 'key-file-corrupt' });
      expect((thrown as Error).message).toContain(path);
      expect((thrown as Error).message).toMatch(why);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }

    it('when it is not JSON', () => expectCorrupt('{"version": 1, "algo', /not JSON/));

    it('when it is empty', () => expectCorrupt('', /not JSON/));

    it('when fields are missing', () => expectCorrupt(JSON.stringify({ version: 1, algorithm: 'Ed25519' }), /unexpected content/));

    it('when the stored public key does not belong to the private key', () => {
      loadOrCreateSandboxKey(dir);
      const path = join(dir, SANDBOX_KEY_FILE);
      const file = JSON.parse(readFileSync(path, 'utf8'));
      const other = JSON.parse(JSON.stringify(file));
      rmSync(path);
      loadOrCreateSandboxKey(dir);
      const fresh = JSON.parse(readFileSync(path, 'utf8'));
      expectCorrupt(JSON.stringify({ ...fresh, publicKeyBase58: other.publicKeyBase58 }), /does not match/);
    });

    it('when the private key is not a valid key', () => {
      loadOrCreateSandboxKey(dir);
      const file = JSON.parse(readFileSync(join(dir, SANDBOX_KEY_FILE), 'utf8'));
      file.privateKeyJwk.d = 'A'.repeat(43);
      expectCorrupt(JSON.stringify(file), /does not match|rejected/);
    });
  });
});
