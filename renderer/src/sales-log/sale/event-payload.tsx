import './event-payload.css';
/**
 * What arrived with a proof, exactly as stored, folded away by default. A
 * webhook's compact JWT is also shown decoded (header and claims, not
 * verified here: the main process verified it before crediting anything),
 * and JSON is indented, so the owner can read what Code said.
 */
export function EventPayload({ payload }: { payload: string }) {
  const readable = decode(payload);
  return (
    <details className="event-payload">
      <summary>Raw payload ({payload.length.toLocaleString()} characters)</summary>
      <pre className="event-payload-raw" data-testid="event-payload">
        {payload || '(empty)'}
      </pre>
      {readable && (
        <>
          <p className="event-payload-label">{readable.label}</p>
          <pre className="event-payload-raw">{readable.text}</pre>
        </>
      )}
    </details>
  );
}

function decode(payload: string): { label: string; text: string } | null {
  const text = payload.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const pretty = JSON.stringify(JSON.parse(text), null, 2);
      return pretty === text ? null : { label: 'Indented', text: pretty };
    } catch {
      return null;
    }
  }
  const parts = text.split('.');
  if (parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) {
    try {
      const header = JSON.parse(base64UrlText(parts[0]!)) as unknown;
      const claims = JSON.parse(base64UrlText(parts[1]!)) as unknown;
      return { label: 'Decoded JWT (header, then claims)', text: `${JSON.stringify(header, null, 2)}\n${JSON.stringify(claims, null, 2)}` };
    } catch {
      return null;
    }
  }
  return null;
}

function base64UrlText(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
