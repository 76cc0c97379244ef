import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * The payload Code's sequencer signs when an intent is paid (SPEC §3). Real
 * webhooks carry no exp/iat/iss/jti, so none is required; replay safety comes
 * from the ledger crediting a sale once.
 */
const codeWebhookPayload = z
  .object({
    amount: z.number().finite().positive(),
    currency: z.string().min(1).max(16),
    destination: z.string().min(1).max(64),
    exchangeRate: z.number().finite().positive(),
    intent: z.string().min(1).max(64),
    quarks: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    state: z.string().max(64),
    fees: z.number().int().nonnegative().optional(),
    user: z.string().max(128).optional(),
  })
  .loose();

export type CodeWebhookPayload = z.infer<typeof codeWebhookPayload>;

/** Stable names for why a body was refused: floods are counted by these, not by the varying reason text. */
export type VerifyRejection =
  | 'not-a-jwt'
  | 'bad-header'
  | 'algorithm-refused'
  | 'bad-signature'
  | 'claims-rejected'
  | 'malformed-jwt'
  | 'not-a-code-webhook';

export type VerifyResult =
  | { ok: true; payload: CodeWebhookPayload }
  | { ok: false; status: 400 | 401; kind: VerifyRejection; reason: string };

/** base64url segments only, so nothing else reaches the JSON parser or the crypto. */
const COMPACT_JWS = /^[A-Za-z0-9_-]{2,1024}\.[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{2,512}$/;

/**
 * Verifies a Code webhook body: a compact JWS signed with Ed25519 (`EdDSA`)
 * by `key`. Every other algorithm, `none` and HMAC included, is refused
 * before any verification is attempted.
 */
export async function verifyCodeWebhook(raw: string, key: KeyObject): Promise<VerifyResult> {
  const token = raw.trim();
  if (!COMPACT_JWS.test(token)) return { ok: false, status: 400, kind: 'not-a-jwt', reason: 'body is not a compact JWT' };
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { ok: false, status: 400, kind: 'bad-header', reason: 'JWT header is not valid JSON' };
  }
  if (alg !== 'EdDSA') return { ok: false, status: 401, kind: 'algorithm-refused', reason: `JWT algorithm ${JSON.stringify(alg)} is not accepted (EdDSA only)` };
  let claims: unknown;
  try {
    ({ payload: claims } = await jwtVerify(token, key, { algorithms: ['EdDSA'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, status: 401, kind: 'bad-signature', reason: 'signature does not verify' };
    if (error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired) {
      return { ok: false, status: 401, kind: 'claims-rejected', reason: `JWT claims rejected: ${(error as Error).message}` };
    }
    return { ok: false, status: 400, kind: 'malformed-jwt', reason: `malformed JWT: ${(error as Error).message}` };
  }
  const parsed = codeWebhookPayload.safeParse(claims);
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      kind: 'not-a-code-webhook',
      reason: `payload is not a Code webhook: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  }
  return { ok: true, payload: parsed.data };
}
