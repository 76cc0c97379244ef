/**
 * Which links may leave the app for the system browser. `shell.openExternal`
 * hands a URL to the OS, which will open whatever handler the scheme names
 * (a file: path, an smb: share, a custom protocol): so only web links, and
 * only the sites Counter's own screens point at open directly; any other web
 * link needs the owner's click in a confirmation dialog that shows where it
 * goes. Anything else is refused.
 */

/** The sites Counter's screens and help text link to (Code, Cloudflare, cloudflared's releases). */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'https://getcode.com/',
  'https://www.getcode.com/',
  'https://dash.cloudflare.com/',
  'https://developers.cloudflare.com/',
  'https://github.com/cloudflare/cloudflared',
];

export type ExternalLinkDecision =
  | { action: 'open'; url: string }
  | { action: 'confirm'; url: string; host: string }
  | { action: 'refuse'; reason: string };

const MAX_URL_LENGTH = 2_048;

/** What to do with a link the renderer asked to open (window.open, target=_blank). */
export function decideExternalLink(url: string, allowList: readonly string[] = EXTERNAL_ALLOW_LIST): ExternalLinkDecision {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return { action: 'refuse', reason: 'not a link' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'refuse', reason: 'not a link' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { action: 'refuse', reason: `${parsed.protocol} links do not leave the app` };
  // user:password@ is how a link disguises its real host ("https://getcode.com@evil.example").
  if (parsed.username || parsed.password) return { action: 'refuse', reason: 'links with credentials do not leave the app' };
  const href = parsed.href;
  if (parsed.protocol === 'https:' && allowList.some((entry) => isUnder(parsed, entry))) return { action: 'open', url: href };
  return { action: 'confirm', url: href, host: parsed.host };
}

/** Same origin, and the path is the entry's path or below it (on a segment boundary). */
function isUnder(url: URL, entry: string): boolean {
  const allowed = new URL(entry);
  if (url.origin !== allowed.origin) return false;
  const base = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
  return url.pathname === allowed.pathname || url.pathname.startsWith(base);
}
