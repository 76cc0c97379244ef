import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../electron/core/app/redactor';

describe('the redactor', () => {
  const secret = 'Xq3_webhook-path-secret-7Hk2';

  it('replaces every occurrence of a secret in text', () => {
    const r = createRedactor([secret]);
    expect(r.text(`GET /health/${secret} failed; POST /code-webhook/${secret}`)).toBe(`GET /health/${REDACTED} failed; POST /code-webhook/${REDACTED}`);
  });

  it('redacts every string inside an answer, at any depth, and leaves the rest alone', () => {
    const r = createRedactor([secret]);
    const value = { url: `http://127.0.0.1:1/code-webhook/${secret}`, n: 12, ok: true, nothing: null, list: [{ msg: `x${secret}y` }, 'plain'] };
    expect(r.value(value)).toEqual({ url: `http://127.0.0.1:1/code-webhook/${REDACTED}`, n: 12, ok: true, nothing: null, list: [{ msg: `x${REDACTED}y` }, 'plain'] });
    expect(value.url).toContain(secret);
  });

  it('learns secrets as they appear (a new tunnel token), and treats them literally', () => {
    const r = createRedactor();
    const token = 'eyJh.Ijoi+Y2Fm/ZS0xMjM=(?)';
    expect(r.text(`TUNNEL_TOKEN=${token}`)).toBe(`TUNNEL_TOKEN=${token}`);
    r.add(token);
    expect(r.text(`TUNNEL_TOKEN=${token}`)).toBe(`TUNNEL_TOKEN=${REDACTED}`);
  });

  it('replaces a secret that contains another one whole', () => {
    const r = createRedactor(['abcdefghijklmnop', 'abcdefghijklmnop-and-more']);
    expect(r.text('see abcdefghijklmnop-and-more')).toBe(`see ${REDACTED}`);
  });

  it('ignores values too short to be secrets, which would match ordinary words', () => {
    const r = createRedactor(['', 'usd', null, undefined]);
    expect(r.text('12.50 usd')).toBe('12.50 usd');
  });
});
