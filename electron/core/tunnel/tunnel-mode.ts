// The check applied to a tunnel mode before the supervisor runs it.

import { tunnelModeSchema, type TunnelMode } from '../../shared/domain/tunnel';

export type { TunnelMode };

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

