// What the supervisor tells its subscribers, and the words it uses.

import type { CloudflaredFailure } from './cloudflared-output';

export type { TunnelOfflineReason, TunnelState } from '../../shared/domain/tunnel';
import type { TunnelOfflineReason, TunnelState } from '../../shared/domain/tunnel';

/** The offline reason and message for cloudflared's last words before it exited. */
export function failureState(
  failure: { failure: CloudflaredFailure; detail: string } | null,
  exit: { code: number | null; signal: NodeJS.Signals | null },
): { reason: TunnelOfflineReason; message: string } {
  const detail = failure?.detail ?? '';
  switch (failure?.failure) {
    case 'no-network':
      return { reason: 'no-network', message: `Cannot reach Cloudflare to open the tunnel; is the internet connection down? (${detail})` };
    case 'rate-limited':
      return {
        reason: 'rate-limited',
        message: `Cloudflare is refusing new quick tunnels from this network for now (${detail}). Payments are still confirmed by polling.`,
      };
    case 'service-error':
      return { reason: 'service-error', message: `Cloudflare's quick-tunnel service answered with an error (${detail}).` };
    case 'invalid-token':
      return { reason: 'invalid-token', message: `Cloudflare refused the named tunnel's token (${detail}). Check the token in Settings.` };
    case undefined:
      break;
  }
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${String(exit.code)}`;
  return { reason: 'crashed', message: `cloudflared stopped unexpectedly (${how}).` };
}

export function describeState(s: TunnelState): string {
  switch (s.status) {
    case 'online':
      return `online at ${s.publicUrl}${s.connection ? ` (edge ${s.connection.location}, ${s.connection.protocol})` : ''}`;
    case 'offline':
      return `offline (${s.reason}): ${s.message}${s.retryAt !== undefined ? ` retry at ${new Date(s.retryAt).toISOString()}` : ''}`;
    default:
      return s.status;
  }
}

/** `where` is the URL as it may be shown (health-check.ts `shown`), never the one with the path secret. */
export function healthCheckFailedMessage(where: string, failures: number, last: string): string {
  return `${where} did not answer the health check ${failures} times in a row (last: ${last}).`;
}
