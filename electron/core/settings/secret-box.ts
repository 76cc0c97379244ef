/**
 * What the host offers to keep a secret at rest (the shop database's
 * password): Electron's safeStorage in the app, nothing in the browser
 * preview and tests. Defined here because the core never imports Electron;
 * electron/main adapts safeStorage to it.
 */
export interface SecretBox {
  /** Whether encryption works now (safeStorage.isEncryptionAvailable(): a Linux without a key ring says no). */
  available(): boolean;
  /** The text encrypted, as base64. */
  encrypt(text: string): string;
  /** The text back from encrypt()'s base64; throws when it cannot (another machine's key). */
  decrypt(base64: string): string;
}
