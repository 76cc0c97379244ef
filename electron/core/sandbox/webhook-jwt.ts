import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * The body of an "intent submitted" webhook, as the real sequencer builds it
 * (code-server pkg/code/webhook/payload.go `intentSubmittedJsonPayloadProvider`
 * and execution.go): golang-jwt `jwt.NewWithClaims(SigningMethodEdDSA,
 * MapClaims(kvs))`, so the header is exactly {"alg":"EdDSA","typ":"JWT"} and
 * the claims are only the payment's facts, with no exp/iat/iss/jti. Go
 * marshals map keys in sorted order; the payload object below is built in
 * that order so the token bytes match what Go would produce.
 *
 * `fees` is part of the real payload ("quarks - <quarks that reached the
 * destination>"), 0 unless the request configured fee takers.
 * Login-linked payments add `user`; the sandbox does not support those.
 */

export interface WebhookPayload {
  amount: number;
  /** UPPER case, e.g. "USD" (strings.ToUpper in payload.go). */
  currency: string;
  destination: string;
  exchangeRate: number;
  fees: number;
  intent: string;
  quarks: number;
  state: 'SUBMITTED';
}

export function webhookPayload(paid: {
  id: string;
  amount: number;
  currency: string;
  destination: string;
  quarks: number;
  exchangeRate: number;
  feeBasisPoints: number;
}): WebhookPayload {
  return {
    amount: paid.amount,
    currency: paid.currency.toUpperCase(),
    destination: paid.destination,
    exchangeRate: paid.exchangeRate,
    fees: Math.floor((paid.quarks * paid.feeBasisPoints) / 10_000),
    intent: paid.id,
    quarks: paid.quarks,
    state: 'SUBMITTED',
  };
}

export const WEBHOOK_JWT_HEADER = { alg: 'EdDSA', typ: 'JWT' } as const;

export async function signWebhookJwt(payload: WebhookPayload, privateKey: KeyObject): Promise<string> {
  return new SignJWT({ ...payload }).setProtectedHeader({ ...WEBHOOK_JWT_HEADER }).sign(privateKey);
}
