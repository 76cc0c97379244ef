import type { AppStatus } from '../../../electron/shared/contract';

export type Tone = 'ok' | 'warn' | 'bad' | 'plain';

export const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The tunnel's state in words, with how worried the owner should be. */
export function tunnelText(status: AppStatus): { text: string; tone: Tone } {
  const t = status.tunnel;
  if (status.tunnelMode === 'off') return { text: 'off (polling only)', tone: 'plain' };
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
