import './install-cloudflared-button.css';
import { useState } from 'react';
import { getCounterApi } from '../common/api';
import { useCounterEvents } from '../common/use-counter-events';

/**
 * Offered when no cloudflared binary was found (tunnel offline, reason
 * binary-missing): downloads it, with the bytes received so far as progress.
 */
export function InstallCloudflaredButton() {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const [progress, setProgress] = useState<{ received: number; total?: number } | null>(null);
  useCounterEvents((event) => {
    if (event.type === 'tunnel-install') setProgress({ received: event.received, ...(event.total !== undefined ? { total: event.total } : {}) });
  });
  const install = async () => {
    setProgress(null);
    setState({ busy: true, message: null });
    const answer = await getCounterApi().installCloudflared(undefined);
    setState({ busy: false, message: answer.ok ? 'cloudflared installed; the tunnel is starting.' : answer.error.message });
  };
  return (
    <div className="install-cloudflared">
      <button type="button" className="button button--small" data-testid="install-cloudflared" disabled={state.busy} onClick={() => void install()}>
        {state.busy ? 'Downloading cloudflared…' : 'Download cloudflared'}
      </button>
      {state.busy && progress && (
        <progress
          data-testid="install-cloudflared-progress"
          max={progress.total ?? undefined}
          value={progress.total ? progress.received : undefined}
          aria-label={`Downloaded ${(progress.received / 1_048_576).toFixed(1)} MiB`}
        />
      )}
      <span role="status" data-testid="install-cloudflared-message">
        {state.busy && progress ? `${(progress.received / 1_048_576).toFixed(1)} MiB${progress.total ? ` of ${(progress.total / 1_048_576).toFixed(1)} MiB` : ''}` : state.message}
      </span>
    </div>
  );
}
