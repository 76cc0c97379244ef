import { useState } from 'react';
import { getCounterApi } from './api';

/**
 * Offered when no cloudflared binary was found (tunnel offline, reason
 * binary-missing). The contract has no progress events yet, so it shows
 * "downloading" until the main process answers.
 */
export function InstallCloudflaredButton() {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const install = async () => {
    setState({ busy: true, message: null });
    const answer = await getCounterApi().installCloudflared(undefined);
    setState({ busy: false, message: answer.ok ? 'cloudflared installed; the tunnel is starting.' : answer.error.message });
  };
  return (
    <div className="install-cloudflared">
      <button type="button" className="button button--small" data-testid="install-cloudflared" disabled={state.busy} onClick={() => void install()}>
        {state.busy ? 'Downloading cloudflared…' : 'Download cloudflared'}
      </button>
      <span role="status" data-testid="install-cloudflared-message">
        {state.message}
      </span>
    </div>
  );
}
