// Which links leave the app (electron/main/external-links.ts): the
// allow-listed sites open directly, other web links only after the owner
// confirms, everything else never.

import { describe, expect, it } from 'vitest';
import { decideExternalLink, EXTERNAL_ALLOW_LIST } from '../../electron/main/external-links';

describe('external links', () => {
  it.each([
    'https://getcode.com/',
    'https://getcode.com/download?ref=counter',
    'https://www.getcode.com/',
    'https://dash.cloudflare.com/',
    'https://dash.cloudflare.com/abc/zero-trust/networks/tunnels',
    'https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/',
    'https://github.com/cloudflare/cloudflared',
    'https://github.com/cloudflare/cloudflared/releases/tag/2025.7.0',
  ])('opens the allow-listed %s directly', (url) => {
    expect(decideExternalLink(url)).toEqual({ action: 'open', url: new URL(url).href });
  });

  it.each([
    ['https://example.com/', 'example.com'],
    // Look-alikes of allow-listed entries are not on the list.
    ['https://github.com/cloudflare/cloudflared-evil/releases', 'github.com'],
    ['https://github.com/cloudflare', 'github.com'],
    ['https://getcode.com.evil.example/', 'getcode.com.evil.example'],
    ['https://dash.cloudflare.com:8443/', 'dash.cloudflare.com:8443'],
    // Plain http even to a listed host: the owner sees it first.
    ['http://getcode.com/', 'getcode.com'],
  ])('asks before opening %s', (url, host) => {
    expect(decideExternalLink(url)).toEqual({ action: 'confirm', url: new URL(url).href, host });
  });

  it.each([
    'file:///etc/passwd',
    'smb://server/share',
    'javascript:alert(1)',
    'ms-settings:privacy',
    'app://counter/index.html',
    'https://getcode.com@evil.example/',
    'https://user:pw@getcode.com/',
    'not a url',
    '',
    `https://getcode.com/${'a'.repeat(3_000)}`,
  ])('refuses %s', (url) => {
    expect(decideExternalLink(url)).toMatchObject({ action: 'refuse' });
  });

  it('the list holds only https entries, and a custom list is honoured', () => {
    for (const entry of EXTERNAL_ALLOW_LIST) expect(new URL(entry).protocol).toBe('https:');
    expect(decideExternalLink('https://example.com/docs/x', ['https://example.com/docs'])).toMatchObject({ action: 'open' });
    expect(decideExternalLink('https://example.com/docsx', ['https://example.com/docs'])).toMatchObject({ action: 'confirm' });
  });
});
