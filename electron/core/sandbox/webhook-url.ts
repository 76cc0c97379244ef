import { domainToUnicode } from 'node:url';

/**
 * RegisterWebhook's URL check, after the real sequencer
 * (code-server pkg/netutil/url.go `ValidateHttpUrl(url, false, false)` and
 * domain.go `ValidateDomainName`):
 *
 *  - a value without a scheme gets "http://" prepended (Go url.Parse rules);
 *  - the scheme must be http or https (case-insensitive);
 *  - the raw host (Go's `URL.Host`, port included) must be at most 253
 *    characters and pass `idna.Registration.ToASCII`: STD3 characters only,
 *    so no upper case, no "_", and no ":" -- a URL with an explicit port is
 *    refused --, labels of 1..63 characters, no leading/trailing hyphen, no
 *    "--" in positions 3-4 except valid punycode "xn--" labels.
 *
 * Sandbox differences, on purpose:
 *  - loopback hosts (localhost, 127.0.0.0/8, [::1]) are ACCEPTED, with a
 *    port, because the sandbox delivers to the app's own loopback listener;
 *  - no DNS lookup (the real one resolves the hostname): the sandbox must
 *    work offline.
 */

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function checkWebhookUrl(value: string): WebhookUrlCheck {
  if (value.length === 0) return { ok: false, reason: 'url is empty' };
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: 'url is too long' };
  // Go's url.Parse rejects ASCII control characters anywhere in the URL.
  // eslint-disable-next-line no-control-regex -- these characters are exactly what is checked
  if (/[\u0000-\u001f\u007f]/.test(value)) return { ok: false, reason: 'url contains a control character' };

  let url = value;
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme === undefined) url = `http://${url}`;
  else if (!/^https?$/i.test(scheme)) return { ok: false, reason: 'url scheme must be http or https' };

  const rawHost = rawHostOf(url);
  if (!rawHost) return { ok: false, reason: 'host component missing' };

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'url cannot be parsed' };
  }
  if (isLoopback(parsed.hostname)) return { ok: true, url: parsed.href };

  const domainError = validateDomainName(rawHost);
  if (domainError) return { ok: false, reason: `host is not a valid domain name: ${domainError}` };
  return { ok: true, url: parsed.href };
}

/** Go's `URL.Host`: the authority without userinfo, port included. */
function rawHostOf(url: string): string {
  const afterScheme = url.slice(url.indexOf(':') + 1);
  if (!afterScheme.startsWith('//')) return '';
  const authority = afterScheme.slice(2).split(/[/?#]/, 1)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** idna.Registration.ToASCII (UTS #46, STD3 rules, DNS lengths, hyphen checks), enough of it for URLs. */
function validateDomainName(host: string): string | null {
  if (host.length > 253) return 'domain name length exceeds limit';
  const labels = host.split('.');
  for (const label of labels) {
    if (label.length === 0) return 'empty label';
    let unicode = label;
    if (label.startsWith('xn--')) {
      if (!/^xn--[a-z0-9-]+$/.test(label)) return `invalid punycode label ${label}`;
      unicode = domainToUnicode(label);
      if (!unicode || unicode === label) return `invalid punycode label ${label}`;
    } else if (label.length > 3 && label[2] === '-' && label[3] === '-') {
      return `label ${label} has "--" in positions 3-4`;
    }
    if (unicode.startsWith('-') || unicode.endsWith('-')) return `label ${label} starts or ends with a hyphen`;
    for (const ch of unicode) {
      if (/[a-z0-9-]/.test(ch)) continue;
      // Non-ASCII letters are valid when already in their mapped (lower) form.
      if (ch.charCodeAt(0) > 0x7f && /[\p{L}\p{M}\p{N}]/u.test(ch) && ch === ch.toLowerCase()) continue;
      return `disallowed character ${JSON.stringify(ch)}`;
    }
  }
  // eslint-disable-next-line no-control-regex -- the ASCII range, NUL included
  const ascii = labels.map((label) => (/^[\x00-\x7f]*$/.test(label) ? label : punycodeLength(label)));
  if (ascii.some((label) => (typeof label === 'string' ? label.length : label) > 63)) return 'label longer than 63 characters';
  return null;
}

function punycodeLength(label: string): number {
  try {
    return new URL(`http://${label}`).hostname.length;
  } catch {
    return Infinity;
  }
}
