import type { SecretBox } from '../core/settings/secret-box';

/** The part of Electron's safeStorage the SecretBox uses (a stand-in in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Electron's safeStorage as the core's SecretBox: the shop database's
 * password encrypted with the system's key store (Keychain, DPAPI, the
 * Linux secret service). Asked each time whether it is available, since on
 * Linux it is only once the app is ready and a key ring answers.
 */
export function safeStorageSecretBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    available: () => {
      try {
        return safeStorage.isEncryptionAvailable();
      } catch {
        return false;
      }
    },
    encrypt: (text) => safeStorage.encryptString(text).toString('base64'),
    decrypt: (base64) => safeStorage.decryptString(Buffer.from(base64, 'base64')),
  };
}
