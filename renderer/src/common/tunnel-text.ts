import type { AppStatus } from '../../../electron/shared/contract';

export type Tone = 'ok' | 'warn' | 'bad' | 'plain';

export const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * The tunnel's state in words, with how worried the owner should be. In
 * sandbox mode the simulated sequencer delivers webhooks on this computer,
 * so a tunnel that is down or missing is nothing to be alarmed about.
 */
export function tunnelText(status: AppStatus): { text: string; tone: Tone; detail?: string } {
  const t = status.tunnel;
  if (status.tunnelMode === 'off') return { text: 'off (polling only)', tone: 'plain' };
  if (status.mode === 'sandbox' && (t.status === 'offline' || t.status === 'stopped')) {
    return { text: 'not needed in sandbox mode', tone: 'plain', detail: t.status === 'offline' ? `offline: ${t.message}` : 'stopped' };
  }
  switch (t.status) {
    case 'starting':
      return { text: 'starting…', tone: 'warn' };
    case 'online':
      return { text: `online · ${t.publicUrl}`, tone: 'ok' };
    case 'offline':
      return { text: `offline: ${t.message}${t.retryAt ? ` (retrying at ${clock(t.retryAt)})` : ''}`, tone: 'bad' };
    case 'stopped':
      return { text: 'stopped', tone: 'plain' };
  }
}

export const cloudflaredMissing = (status: AppStatus | null): boolean =>
  status?.tunnel.status === 'offline' && status.tunnel.reason === 'binary-missing' && status.tunnelMode !== 'off';
