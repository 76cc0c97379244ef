import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { API_ARGS, type ApiMethod, type CounterEvent, type CustomerView, type Envelope } from '../shared/contract';
import { CUSTOMER_API_ARGS, type CustomerApiMethod } from '../shared/contract/customer-api';
import type { ApiHandlers } from '../core/api/api-handlers';
import type { CustomerHandlers } from '../core/customer/customer-handlers';
import { silentLogger, type Logger } from '../core/app/logger';
import { readBody } from '../core/http/read-body';
import { RENDERER_CSP } from '../shared/content-security-policy';

/**
 * The browser preview's bridge: serves the built renderer on 127.0.0.1 and
 * the same typed API the preload exposes, as `POST /api/<method>` (JSON
 * envelopes) and `GET /events` (server-sent events). Every API request needs
 * the random token printed with the URL; the Host header must be loopback
 * (no DNS rebinding) and a browser Origin must be the preview's own.
 *
 * The customer display is a second page with a credential of its own:
 * `GET /customer?token=…` serves it, `POST /customer-api/<method>` (header
 * X-Counter-Customer-Token) and `GET /customer-events?token=…` feed it. The
 * two tokens open disjoint routes: the page facing the public can never
 * reach the till's API, and the till's token does not open the customer's.
 */

const MAX_BODY_BYTES = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface PreviewDownloads {
  /** The export registered under `id`, once: a download link works a single time. */
  take(id: string): { filename: string; write: (sink: ServerResponse) => Promise<unknown> } | undefined;
}

export interface PreviewServerOptions {
  handlers: ApiHandlers;
  downloads?: PreviewDownloads;
  onEvent: (listener: (event: CounterEvent) => void) => () => void;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** The secret every API request must carry. */
  token: string;
  /** The customer display's page and API, under its own token; without it those routes do not exist. */
  customer?: {
    token: string;
    handlers: CustomerHandlers;
    view: () => CustomerView;
    onView: (listener: (view: CustomerView) => void) => () => void;
  };
  logger?: Logger;
}

export interface PreviewServer {
  url: string;
  port: number;
  token: string;
  /** The customer display's page with its token, when the customer routes are served. */
  customerUrl: string | null;
  close(): Promise<void>;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = options.token;
  const customer = options.customer ?? null;
  const log = (options.logger ?? silentLogger).child('preview');
  if (customer && customer.token === token) throw new Error('the customer display needs a token of its own');
  let port = 0;

  const tokenMatches = matcher(token);
  const customerTokenMatches = customer ? matcher(customer.token) : () => false;

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error(`${req.method} ${req.url} failed`, { error: (error as Error)?.stack ?? String(error) });
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'internal', message: 'The preview bridge failed.' } });
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return json(res, 421, refusal('bad-host', 'Unexpected Host header.'));
    const origin = req.headers.origin;
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return json(res, 403, refusal('bad-origin', 'Requests from other sites are refused.'));
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return json(res, 405, refusal('method', 'Use POST.'));
      if (!tokenMatches(req.headers['x-counter-token'] as string | undefined)) return json(res, 401, refusal('unauthorized', 'Missing or wrong preview token.'));
      const method = url.pathname.slice('/api/'.length);
      if (!Object.prototype.hasOwnProperty.call(API_ARGS, method)) return json(res, 404, refusal('unknown-method', `No API method "${method}".`));
      const args = await readArgs(req, res);
      if (args === REFUSED) return;
      return json(res, 200, await options.handlers[method as ApiMethod](args));
    }

    if (url.pathname === '/events') {
      if (req.method !== 'GET') return json(res, 405, refusal('method', 'Use GET.'));
      if (!tokenMatches(url.searchParams.get('token'))) return json(res, 401, refusal('unauthorized', 'Missing or wrong preview token.'));
      stream(req, res, (send) => options.onEvent(send));
      return;
    }

    if (customer && url.pathname.startsWith('/customer-api/')) {
      if (req.method !== 'POST') return json(res, 405, refusal('method', 'Use POST.'));
      if (!customerTokenMatches(req.headers['x-counter-customer-token'] as string | undefined)) {
        return json(res, 401, refusal('unauthorized', 'Missing or wrong customer display token.'));
      }
      const method = url.pathname.slice('/customer-api/'.length);
      if (!Object.prototype.hasOwnProperty.call(CUSTOMER_API_ARGS, method)) return json(res, 404, refusal('unknown-method', `No customer API method "${method}".`));
      const args = await readArgs(req, res);
      if (args === REFUSED) return;
      return json(res, 200, await customer.handlers[method as CustomerApiMethod](args));
    }

    if (customer && url.pathname === '/customer-events') {
      if (req.method !== 'GET') return json(res, 405, refusal('method', 'Use GET.'));
      if (!customerTokenMatches(url.searchParams.get('token'))) return json(res, 401, refusal('unauthorized', 'Missing or wrong customer display token.'));
      stream(req, res, (send) => {
        // The current view first: a page that (re)connects shows the right state at once.
        send(customer.view());
        return customer.onView(send);
      });
      return;
    }

    if (url.pathname === '/customer' || url.pathname === '/customer.html') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, refusal('method', 'Use GET.'));
      // Only through /customer with its token: a customer page opened any other way could only fail.
      if (!customer || url.pathname !== '/customer' || !customerTokenMatches(url.searchParams.get('token'))) return unauthorizedPage(res);
      return serveStatic('/customer.html', res, { 'Referrer-Policy': 'no-referrer' });
    }

    const download = /^\/export\/([A-Za-z0-9_-]{16,64})\.csv$/.exec(url.pathname);
    if (download) {
      if (req.method !== 'GET') return json(res, 405, refusal('method', 'Use GET.'));
      if (!tokenMatches(url.searchParams.get('token'))) return json(res, 401, refusal('unauthorized', 'Missing or wrong preview token.'));
      const file = options.downloads?.take(download[1]!);
      if (!file) return json(res, 404, refusal('not-found', 'This export link has expired; export again.'));
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      await file.write(res);
      res.end();
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, refusal('method', 'Use GET.'));
    return serveStatic(url.pathname, res);
  }

  /** A JSON request body's `args`, or REFUSED once the refusal is sent (wrong type, too large, not JSON). */
  async function readArgs(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      json(res, 415, refusal('content-type', 'Send application/json.'));
      return REFUSED;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      json(res, 413, refusal('too-large', 'Request too large.'));
      return REFUSED;
    }
    try {
      return body ? (JSON.parse(body) as { args?: unknown }).args : undefined;
    } catch {
      json(res, 400, refusal('bad-json', 'The request body is not JSON.'));
      return REFUSED;
    }
  }

  /** Server-sent events: each pushed value as one `data:` line, until the page goes away. */
  function stream<T>(req: IncomingMessage, res: ServerResponse, subscribe: (send: (value: T) => void) => () => void): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const unsubscribe = subscribe((value) => res.write(`data: ${JSON.stringify(value)}\n\n`));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return json(res, 404, refusal('not-found', 'Not found.'));
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      return json(res, 404, refusal('not-found', 'Not found.'));
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': content.length,
      'Content-Security-Policy': RENDERER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    customerUrl: customer ? `http://127.0.0.1:${port}/customer?token=${customer.token}` : null,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What readArgs answers once it has sent a refusal. */
const REFUSED: unique symbol = Symbol('refused');

/** Compares a presented token with the expected one in constant time. */
function matcher(expected: string): (given: string | null | undefined) => boolean {
  const expectedBytes = Buffer.from(expected);
  return (given) => {
    if (!given) return false;
    const bytes = Buffer.from(given);
    return bytes.length === expectedBytes.length && timingSafeEqual(bytes, expectedBytes);
  };
}

/** A page, not JSON: whoever opened the customer display's address in a browser reads why it does not show. */
function unauthorizedPage(res: ServerResponse): void {
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Counter: customer display</title>' +
    '<h1>This customer display link is not valid</h1>' +
    '<p>Open the customer display from the till (Customer display), which gives its address with its own key.</p></html>';
  res.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

function refusal(code: string, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
