// What app://counter serves, decided without Electron: only files inside the
// renderer's folder, with their MIME types; every way of spelling a path
// that leaves it is refused.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { APP_CUSTOMER_URL, APP_INDEX_URL, isAppOrigin, mimeTypeOf, resolveAppRequest } from '../../electron/main/app-protocol';
import { tempDir } from '../support/temp-dir';

let root: string;
let outside: string;
beforeEach(() => {
  const top = tempDir();
  root = join(top, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'customer.html'), '<!doctype html><title>customer</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'font.woff2'), '');
  writeFileSync(join(root, 'assets', 'blob.xyz'), '');
  outside = join(top, 'secret.txt');
  writeFileSync(outside, 'the ledger key');
});

describe('app:// requests', () => {
  it('serves the renderer files with their MIME types; / is index.html; a query or hash is ignored', () => {
    expect(resolveAppRequest(APP_INDEX_URL, root)).toEqual({ status: 200, file: join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://counter/', root)).toMatchObject({ status: 200, file: join(root, 'index.html') });
    expect(resolveAppRequest('app://counter/assets/index-abc.js?v=1#x', root)).toMatchObject({ status: 200, mimeType: 'text/javascript; charset=utf-8' });
    expect(resolveAppRequest('app://counter/assets/index-abc.css', root)).toMatchObject({ status: 200, mimeType: 'text/css; charset=utf-8' });
    expect(resolveAppRequest('app://counter/assets/logo.svg', root)).toMatchObject({ status: 200, mimeType: 'image/svg+xml' });
    expect(resolveAppRequest('app://counter/assets/font.woff2', root)).toMatchObject({ status: 200, mimeType: 'font/woff2' });
    // Unknown types are served as bytes, never sniffed into a script.
    expect(resolveAppRequest('app://counter/assets/blob.xyz', root)).toMatchObject({ status: 200, mimeType: 'application/octet-stream' });
    expect(mimeTypeOf('A.PNG')).toBe('image/png');
  });

  it('serves the customer display’s page, the build’s second entry, from the same origin', () => {
    expect(APP_CUSTOMER_URL).toBe('app://counter/customer.html');
    expect(isAppOrigin(APP_CUSTOMER_URL)).toBe(true);
    expect(resolveAppRequest(APP_CUSTOMER_URL, root)).toEqual({ status: 200, file: join(root, 'customer.html'), mimeType: 'text/html; charset=utf-8' });
  });

  it('a file that is not there, or a folder, is 404', () => {
    expect(resolveAppRequest('app://counter/nope.js', root)).toMatchObject({ status: 404 });
    expect(resolveAppRequest('app://counter/assets', root)).toMatchObject({ status: 404 });
    expect(resolveAppRequest('app://counter/assets/', root)).toMatchObject({ status: 404 });
  });

  it.each([
    'app://counter/../secret.txt',
    'app://counter/assets/../../secret.txt',
    'app://counter/%2e%2e/secret.txt',
    'app://counter/%2E%2E/%2e%2e/secret.txt',
    'app://counter/..%2fsecret.txt',
    'app://counter/assets/..%2F..%2Fsecret.txt',
    'app://counter/..%5csecret.txt',
    'app://counter/%2fetc%2fpasswd',
    'app://counter//etc/passwd',
    'app://counter/C:%5cWindows%5cwin.ini',
    'app://counter/C:/Windows/win.ini',
    'app://counter/index.html%00.js',
    'app://counter/%E0%A4%A',
  ])('refuses %s', (url) => {
    const answer = resolveAppRequest(url, root);
    expect(answer.status).not.toBe(200);
    expect([400, 403, 404]).toContain(answer.status);
  });

  it('the traversal cases are refused as such, not merely missing', () => {
    expect(resolveAppRequest('app://counter/..%2f..%2fsecret.txt', root)).toMatchObject({ status: 403, reason: 'path leaves the app folder' });
    expect(resolveAppRequest('app://counter/..%5csecret.txt', root)).toMatchObject({ status: 400 });
    expect(resolveAppRequest('app://counter/%E0%A4%A', root)).toMatchObject({ status: 400, reason: 'malformed percent-encoding' });
  });

  it('a symlink inside the folder that leads out of it is refused', () => {
    symlinkSync(outside, join(root, 'assets', 'leak.txt'));
    expect(resolveAppRequest('app://counter/assets/leak.txt', root)).toMatchObject({ status: 403 });
  });

  it('another host or scheme is not the app', () => {
    expect(resolveAppRequest('app://evil/index.html', root)).toMatchObject({ status: 403 });
    expect(resolveAppRequest(`file://${join(root, 'index.html')}`, root)).toMatchObject({ status: 403 });
    expect(resolveAppRequest('not a url', root)).toMatchObject({ status: 400 });
    expect(isAppOrigin(APP_INDEX_URL)).toBe(true);
    expect(isAppOrigin('app://counter.evil/index.html')).toBe(false);
    expect(isAppOrigin('file:///index.html')).toBe(false);
    expect(isAppOrigin('https://counter/')).toBe(false);
    expect(isAppOrigin('::')).toBe(false);
  });
});
