// The four ways Counter can be reached from the internet (SPEC §4.4), and
// the check applied to a mode coming from Settings.

import { z } from 'zod';

export type { TunnelMode } from '../../shared/tunnel-types';
import type { TunnelMode } from '../../shared/tunnel-types';

const protocolOf = (u: string): string => {
  try {
    return new URL(u).protocol;
  } catch {
    return '';
  }
};
const httpsUrl = z.string().refine((u) => protocolOf(u) === 'https:', 'must be an https:// URL');
const httpUrl = z
  .string()
  .refine((u) => protocolOf(u) === 'http:' || protocolOf(u) === 'https:', 'must be an http:// or https:// URL');

/** For the settings IPC boundary: what a tunnel mode may look like. */
export const tunnelModeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quick') }),
  z.object({
    kind: z.literal('named'),
    token: z.string().min(20, 'the tunnel token is too short').regex(/^\S+$/, 'the tunnel token must not contain spaces'),
    publicUrl: httpsUrl,
  }),
  z.object({ kind: z.literal('fixed'), url: httpUrl }),
  z.object({ kind: z.literal('off') }),
]);

/** Validates a mode; throws a TypeError that says what is wrong. */
export function parseTunnelMode(mode: unknown): TunnelMode {
  const parsed = tunnelModeSchema.safeParse(mode);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`tunnel-supervisor: invalid tunnel mode: ${issue ? `${issue.path.join('.') || 'mode'} ${issue.message}` : 'unknown'}`);
  }
  // Without a trailing slash, so `${publicUrl}/path` is always one slash.
  const bare = (u: string) => u.replace(/\/+$/, '');
  const valid = parsed.data;
  if (valid.kind === 'named') return { ...valid, publicUrl: bare(valid.publicUrl) };
  if (valid.kind === 'fixed') return { ...valid, url: bare(valid.url) };
  return valid;
}

