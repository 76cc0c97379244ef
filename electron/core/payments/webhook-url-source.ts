import type { Mode } from '../../shared/domain/sale';
import type { TunnelState } from '../tunnel/tunnel-supervisor';

/**
 * Where Code should deliver the webhook for a sale created now.
 * Live: the tunnel's public URL, only while it is online (the sequencer checks
 * the URL is live before registering it); none otherwise, and the sale relies
 * on polling. Sandbox: the listener's loopback URL, which the in-app sandbox
 * sequencer reaches directly and the real one would refuse.
 */
export function webhookUrlSource(options: {
  mode: () => Mode;
  tunnelState: () => TunnelState;
  listener: { localUrl: string; webhookPath: string };
}): () => string | null {
  return () => {
    if (options.mode() === 'sandbox') return `${options.listener.localUrl}${options.listener.webhookPath}`;
    const state = options.tunnelState();
    return state.status === 'online' ? `${state.publicUrl}${options.listener.webhookPath}` : null;
  };
}
