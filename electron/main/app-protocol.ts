/**
 * The renderer is served from `app://counter/…`, not `file://`. A file: page
 * may read any file its path can name and shares one opaque origin with every
 * other file: page; app://counter is a standard, secure origin of its own, so
 * 'self' in the CSP means the renderer's folder and nothing else, and the
 * navigation guards and the IPC sender check compare against one origin.
 *
 * This module decides what a request gets, with no Electron in it, so it is
 * tested under plain Node; index.ts wires it to `protocol.handle`.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'counter';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
/** The customer display's page: a second entry of the renderer's build, loaded in its own window. */
export const APP_CUSTOMER_URL = `${APP_ORIGIN}/customer.html`;

/** What the renderer's build contains, and what a browser must be told each one is. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** With `X-Content-Type-Options: nosniff`, an unknown type is never run as a script. */
export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AppResponse =
  | { status: 200; file: string; mimeType: string }
  | { status: 400 | 403 | 404; reason: string };

/** Whether a URL is the app's own page (navigation guards, IPC sender check). */
export function isAppOrigin(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `root` that `url` names, or why there is none. Refused:
 * another host, a path that leaves `root` however it is spelt (`..`, `%2e%2e`,
 * `..%2f`, a backslash, an absolute or drive path after decoding), a NUL, a
 * symlink pointing outside, a folder, a missing file.
 */
export function resolveAppRequest(url: string, root: string): AppResponse {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { status: 403, reason: `not ${APP_ORIGIN}` };
  let relative: string;
  try {
    // The URL parser has already resolved literal and %2e dot segments;
    // decoding may still produce "/" or "\" from %2f/%5c: checked below.
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return { status: 400, reason: 'malformed percent-encoding' };
  }
  if (relative.includes('\0') || relative.includes('\\')) return { status: 400, reason: 'forbidden character in path' };
  if (relative === '/' || relative === '') relative = '/index.html';
  const segments = relative.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:/.test(s))) return { status: 403, reason: 'path leaves the app folder' };

  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (!isInside(base, file)) return { status: 403, reason: 'path leaves the app folder' };
  try {
    // realpath as well: a symlink inside the folder must not lead out of it.
    const real = realpathInside(base, file);
    if (!real) return { status: 403, reason: 'path leaves the app folder' };
    if (!statSync(real).isFile()) return { status: 404, reason: 'not a file' };
    return { status: 200, file: real, mimeType: mimeTypeOf(real) };
  } catch {
    return { status: 404, reason: 'no such file' };
  }
}

function isInside(base: string, file: string): boolean {
  const rel = path.relative(base, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realpathInside(base: string, file: string): string | null {
  const realBase = realpathSync(base);
  const real = realpathSync(file);
  return isInside(realBase, real) ? real : null;
}
