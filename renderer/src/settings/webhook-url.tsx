import { useState } from 'react';

/**
 * A webhook URL's last path segment is the install's secret (it keeps stray
 * traffic off the listener); like the status bar, the detail hides it until
 * the owner asks, since customers can see the screen.
 */
export function WebhookUrl({ url }: { url: string | null }) {
  const [shown, setShown] = useState(false);
  if (!url) return <>none: status polling only</>;
  const masked = url.replace(/[^/]+$/, '…');
  return (
    <span className="webhook-url">
      <span className="mono" data-testid="detail-webhook-url">
        {shown ? url : masked}
      </span>
      {masked !== url && (
        <button type="button" className="button--tiny" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide secret' : 'Show full URL'}
        </button>
      )}
    </span>
  );
}
