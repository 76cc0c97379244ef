import { createPublicKey, type KeyObject } from 'node:crypto';
import bs58 from 'bs58';

/** The Ed25519 key Code's production sequencer signs webhooks with (base58, from Code's docs). */
export const CODE_PRODUCTION_WEBHOOK_KEY = 'codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR';

/** A base58 raw 32-byte Ed25519 public key as a Node KeyObject that jose accepts. */
export function ed25519PublicKeyFromBase58(base58: string): KeyObject {
  const raw = bs58.decode(base58);
  if (raw.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}
