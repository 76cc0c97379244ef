import { verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Mode } from '../../shared/domain/sale';

/**
 * The payload Code's sequencer signs when an intent is paid (SPEC §3). Real
 * webhooks carry no exp/iat/iss/jti, so none is required; replay safety comes
 * from the ledger crediting a Code payment once.
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
    exp: z.number().optional(),
    nbf: z.number().optional(),
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
  | { ok: true; payload: CodeWebhookPayload; /** The modes whose key the signature verifies with (both when they share a key). */ verifiedBy: Mode[] }
  | { ok: false; status: 400 | 401; kind: VerifyRejection; reason: string };

/** The keys a webhook may be signed with: Code's production key for live sales, this install's sandbox key for sandbox sales. */
export type WebhookKeys = Partial<Record<Mode, KeyObject>>;

/** base64url segments only, so nothing else reaches the JSON parser or the crypto. */
const COMPACT_JWS = /^[A-Za-z0-9_-]{2,1024}\.[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{2,512}$/;

const refuse = (status: 400 | 401, kind: VerifyRejection, reason: string): VerifyResult => ({ ok: false, status, kind, reason });

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A verifier of Code webhook bodies (compact JWS, Ed25519 `EdDSA`) against
 * the candidate keys, cheapest checks first, because most of what reaches a
 * public listener is forged: the shape of the token, its header (every
 * algorithm but EdDSA, `none` and HMAC included, is refused before any
 * crypto; so is any `crit` or `b64` parameter, which would change what is
 * signed), the shape of the payload, and only then one Ed25519 verification
 * per distinct key (node:crypto, synchronous: the listener's thread does
 * nothing else). It says which mode's key verified the token; whether that is
 * the key of the sale the token is about is the handler's question.
 */
export function createWebhookVerifier(keys: WebhookKeys): (raw: string) => VerifyResult {
  // One verification per distinct key: a test or bench may use one key for both modes.
  const candidates: Array<{ key: KeyObject; modes: Mode[] }> = [];
  for (const mode of ['live', 'sandbox'] as const) {
    const key = keys[mode];
    if (!key) continue;
    const same = candidates.find((c) => c.key.equals(key));
    if (same) same.modes.push(mode);
    else candidates.push({ key, modes: [mode] });
  }

  return (raw) => {
    const token = raw.trim();
    if (!COMPACT_JWS.test(token)) return refuse(400, 'not-a-jwt', 'body is not a compact JWT');
    const [h, p, s] = token.split('.') as [string, string, string];
    const header = decodeJson(h);
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return refuse(400, 'bad-header', 'JWT header is not valid JSON');
    const { alg } = header as Record<string, unknown>;
    if (alg !== 'EdDSA') return refuse(401, 'algorithm-refused', `JWT algorithm ${JSON.stringify(alg)} is not accepted (EdDSA only)`);
    if ('crit' in header || 'b64' in header) return refuse(400, 'bad-header', 'JWT header parameters crit and b64 are not accepted');
    const claims = decodeJson(p);
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return refuse(400, 'malformed-jwt', 'malformed JWT: the payload is not a JSON object');
    const parsed = codeWebhookPayload.safeParse(claims);
    if (!parsed.success) {
      return refuse(
        400,
        'not-a-code-webhook',
        `payload is not a Code webhook: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const signature = Buffer.from(s, 'base64url');
    // An Ed25519 signature is 64 bytes: anything else cannot verify, so no key is tried.
    if (signature.length !== 64) return refuse(401, 'bad-signature', 'signature does not verify');
    const input = Buffer.from(`${h}.${p}`, 'ascii');
    const verifiedBy: Mode[] = [];
    for (const candidate of candidates) {
      if (verify(null, input, candidate.key, signature)) verifiedBy.push(...candidate.modes);
    }
    if (!verifiedBy.length) return refuse(401, 'bad-signature', 'signature does not verify');
    // Real webhooks carry no time claims; one that does is held to them, as jose would.
    const nowSeconds = Date.now() / 1000;
    if (parsed.data.exp !== undefined && parsed.data.exp <= nowSeconds) return refuse(401, 'claims-rejected', 'JWT claims rejected: "exp" claim timestamp check failed');
    if (parsed.data.nbf !== undefined && parsed.data.nbf > nowSeconds) return refuse(401, 'claims-rejected', 'JWT claims rejected: "nbf" claim timestamp check failed');
    return { ok: true, payload: parsed.data, verifiedBy };
  };
}
