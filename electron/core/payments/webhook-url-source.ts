import type { Mode } from '../../shared/domain/sale';
import type { TunnelState } from '../tunnel/tunnel-supervisor';

/**
 * Where the sequencer should deliver the webhook for a Code payment made now
 * on a sale in `mode` (the sale's own mode, which may differ from the app's
 * when a live sale is finished after switching to sandbox).
 * Live: the tunnel's public URL, only while it is online (the sequencer checks
 * the URL is live before registering it); none otherwise, and the payment
 * relies on polling. Sandbox: the listener's loopback URL, which the in-app
 * sandbox sequencer reaches directly and the real one would refuse.
 */
export function webhookUrlSource(options: {
  tunnelState: () => TunnelState;
  listener: { localUrl: string; webhookPath: string };
}): (mode: Mode) => string | null {
  return (mode) => {
    if (mode === 'sandbox') return `${options.listener.localUrl}${options.listener.webhookPath}`;
    const state = options.tunnelState();
    return state.status === 'online' ? `${state.publicUrl}${options.listener.webhookPath}` : null;
  };
}
