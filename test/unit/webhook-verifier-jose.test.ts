// The listener checks signatures with node:crypto directly (for speed on its
// own thread); jose is the well-kept reference. Every token here must get the
// same verdict from both: accepted or refused.
import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { base64url, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier } from '../../electron/core/webhook/webhook-verifier';

const code = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const payload = {
  amount: 1,
  currency: 'USD',
  destination: 'codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR',
  exchangeRate: 0.00001,
  intent: 'So11111111111111111111111111111111111111112',
  quarks: 100_000,
  state: 'SUBMITTED',
};
const sign = (claims: Record<string, unknown>, key = code.privateKey, header: Record<string, unknown> = { alg: 'EdDSA', typ: 'JWT' }) =>
  new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
const part = (value: unknown) => base64url.encode(JSON.stringify(value));
/** A compact JWS signed by hand, for headers jose would not write. */
function signedRaw(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${base64url.encode(signBytes(null, Buffer.from(input), code.privateKey))}`;
}

async function joseAccepts(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, code.publicKey, { algorithms: ['EdDSA'] });
    return true;
  } catch {
    return false;
  }
}

describe('the webhook verifier agrees with jose', () => {
  const verifier = createWebhookVerifier({ live: code.publicKey });

  it('on genuine, forged, tampered and malformed tokens', async () => {
    const genuine = await sign(payload);
    const [h, p, s] = genuine.split('.') as [string, string, string];
    const tokens: Record<string, string> = {
      genuine,
      'with exp in the future': await sign({ ...payload, exp: Math.floor(Date.now() / 1000) + 600 }),
      'with exp in the past': await sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 600 }),
      'with nbf in the future': await sign({ ...payload, nbf: Math.floor(Date.now() / 1000) + 600 }),
      'signed by a stranger': await sign(payload, stranger.privateKey),
      'payload swapped after signing': `${h}.${part({ ...payload, amount: 1000 })}.${s}`,
      'header swapped to alg none': `${part({ alg: 'none' })}.${p}.`,
      'header swapped to HS256': `${part({ alg: 'HS256', typ: 'JWT' })}.${p}.${s}`,
      'crit header, validly signed': signedRaw({ alg: 'EdDSA', crit: ['x-counter'], 'x-counter': 1 }, payload),
      'signature cut short': `${h}.${p}.${s.slice(0, 40)}`,
      'signature of zeros': `${h}.${p}.${base64url.encode(new Uint8Array(64))}`,
      'two segments': `${h}.${p}`,
      'not base64url': `${h}.${p}.${s}!`,
    };
    const verdicts = await Promise.all(
      Object.entries(tokens).map(async ([name, token]) => [name, verifier(token).ok, await joseAccepts(token)] as const),
    );
    for (const [name, ours, jose] of verdicts) expect({ name, ours }).toEqual({ name, ours: jose });
    // And the cases are not all one verdict.
    expect(verdicts.filter(([, ours]) => ours).map(([name]) => name)).toEqual(['genuine', 'with exp in the future']);
  });
});
