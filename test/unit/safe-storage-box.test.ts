import { describe, expect, it } from 'vitest';
import { safeStorageSecretBox, type SafeStorageLike } from '../../electron/main/safe-storage-box';

// Electron's safeStorage as the core's SecretBox: base64 out, the text back,
// and "not available" whenever safeStorage says so (or throws, as it does
// on Linux before the app is ready).

/** A stand-in for safeStorage: XOR with a key, as opaque as needed here. */
function standIn(available: () => boolean): SafeStorageLike {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5a));
  return {
    isEncryptionAvailable: available,
    encryptString: (text) => xor(Buffer.from(text, 'utf8')),
    decryptString: (encrypted) => xor(encrypted).toString('utf8'),
  };
}

describe('safeStorageSecretBox', () => {
  it('encrypts to base64 that is not the text, and decrypts it back', () => {
    const box = safeStorageSecretBox(standIn(() => true));
    expect(box.available()).toBe(true);
    const sealed = box.encrypt('shop-secret-€-42');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').toString()).not.toContain('shop-secret');
    expect(box.decrypt(sealed)).toBe('shop-secret-€-42');
  });

  it('is not available when safeStorage says no, or throws', () => {
    expect(safeStorageSecretBox(standIn(() => false)).available()).toBe(false);
    expect(
      safeStorageSecretBox(
        standIn(() => {
          throw new Error('not ready');
        }),
      ).available(),
    ).toBe(false);
  });
});
