import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
}

/** One HTTP request on a fresh connection, with exactly the headers given (no fetch defaults). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer },
): Promise<RawResponse> {
  const headers = { ...options.headers };
  // Node's client sends a DELETE body with no length at all unless told.
  const hasFraming = Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h));
  if (options.body !== undefined && !hasFraming) headers['content-length'] = Buffer.byteLength(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}
