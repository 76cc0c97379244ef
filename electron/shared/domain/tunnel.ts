// The four ways Counter can be reached from the internet (SPEC §4.4), and
// what the tunnel supervisor publishes: plain types and schemas both the main
// process and the renderer can import.
import { z } from 'zod';

export type TunnelMode =
  | { kind: 'quick' }
  | { kind: 'named'; token: string; publicUrl: string }
  | { kind: 'fixed'; url: string }
  | { kind: 'off' };

/**
 * A tunnel mode as the screens see it: a named tunnel's token is a secret the
 * till never shows (it faces the public), only whether one is saved.
 */
export type TunnelModeView =
  | { kind: 'quick' }
  | { kind: 'named'; publicUrl: string; tokenSaved: boolean }
  | { kind: 'fixed'; url: string }
  | { kind: 'off' };

const protocolOf = (u: string): string => {
  try {
    return new URL(u).protocol;
  } catch {
    return '';
  }
};
const httpsUrl = z.string().max(2048).refine((u) => protocolOf(u) === 'https:', 'must be an https:// URL');
const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => protocolOf(u) === 'http:' || protocolOf(u) === 'https:', 'must be an http:// or https:// URL');
const tunnelToken = z
  .string()
  .min(20, 'the tunnel token is too short')
  .max(4096, 'the tunnel token is too long')
  .regex(/^\S+$/, 'the tunnel token must not contain spaces');

/** A complete tunnel mode, as stored and as the supervisor runs it. */
export const tunnelModeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quick') }).strict(),
  z.object({ kind: z.literal('named'), token: tunnelToken, publicUrl: httpsUrl }).strict(),
  z.object({ kind: z.literal('fixed'), url: httpUrl }).strict(),
  z.object({ kind: z.literal('off') }).strict(),
]);

/** A tunnel mode as Settings sends it: a named tunnel without a token keeps the saved one. */
export const tunnelModePatchSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quick') }).strict(),
  z.object({ kind: z.literal('named'), token: tunnelToken.optional(), publicUrl: httpsUrl }).strict(),
  z.object({ kind: z.literal('fixed'), url: httpUrl }).strict(),
  z.object({ kind: z.literal('off') }).strict(),
]);
export type TunnelModePatch = z.output<typeof tunnelModePatchSchema>;

export function tunnelModeView(mode: TunnelMode): TunnelModeView {
  return mode.kind === 'named' ? { kind: 'named', publicUrl: mode.publicUrl, tokenSaved: mode.token.length > 0 } : mode;
}

export type TunnelConnection = {
  connIndex: number;
  /** The edge connection's UUID (`connection=` field). */
  id: string;
  /** Edge colo code, e.g. `ams08`. */
  location: string;
  /** Edge address; IPv4 or IPv6. */
  ip: string;
  /** `quic` or `http2`. */
  protocol: string;
};

export type TunnelOfflineReason =
  | 'binary-missing'
  | 'no-network'
  | 'rate-limited'
  | 'service-error'
  | 'invalid-token'
  | 'crashed'
  | 'connections-lost'
  | 'health-check-failed';

export type TunnelState =
  | { status: 'starting' }
  | { status: 'online'; publicUrl: string; connection?: TunnelConnection }
  | { status: 'offline'; reason: TunnelOfflineReason; message: string; retryAt?: number }
  | { status: 'stopped' };
