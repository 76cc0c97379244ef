import { describe, expect, it } from 'vitest';
import { parseShopDatabaseUrl, ShopDbError } from '../../electron/core/shop-db';
import { parseFingerprint } from '../../electron/core/shop-db/connection';
import { shopHostHba } from '../../electron/core/shop-host';
import { caughtAs } from '../support/ledger-guard';

/** certsha256 (a pinned certificate) in the shop database URL, and the hosting till's pg_hba.conf. */

const PIN = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const url = (query: string) => `postgres://counter:s3cret@192.168.1.20:5432/counter?${query}`;
const refused = (u: string) => caughtAs(ShopDbError, () => parseShopDatabaseUrl(u));

describe('certsha256 in the shop database URL', () => {
  it('a colon-separated fingerprint pins the certificate, with TLS and no CA until the pre-flight', () => {
    const target = parseShopDatabaseUrl(url(`sslmode=verify-full&certsha256=${PIN}`));
    expect(target.pin).toBe(PIN);
    expect(target.ssl).not.toBe(false);
    expect(target.ssl && target.ssl.rejectUnauthorized).toBe(true);
    expect(target.ssl && target.ssl.ca).toBeUndefined();
  });

  it('a fingerprint without colons, in lower case, is the same pin', () => {
    expect(parseShopDatabaseUrl(url(`certsha256=${PIN.replace(/:/g, '').toLowerCase()}`)).pin).toBe(PIN);
    expect(parseFingerprint(PIN.toLowerCase())).toBe(PIN);
  });

  it('the pinned identity check accepts that certificate only', () => {
    const ssl = parseShopDatabaseUrl(url(`certsha256=${PIN}`)).ssl;
    if (!ssl) throw new Error('expected TLS');
    const check = ssl.checkServerIdentity as (host: string, cert: { fingerprint256: string }) => Error | undefined;
    expect(check('192.168.1.20', { fingerprint256: PIN })).toBeUndefined();
    expect(check('192.168.1.20', { fingerprint256: PIN.replace('AB', '00') })).toBeInstanceOf(ShopDbError);
  });

  it('a pin on a loopback address still means TLS', () => {
    const target = parseShopDatabaseUrl(`postgres://counter@127.0.0.1:5433/counter?certsha256=${PIN}`);
    expect(target.loopback).toBe(true);
    expect(target.ssl).not.toBe(false);
  });

  it.each([
    ['too short', PIN.slice(0, -3)],
    ['too long', `${PIN}:00`],
    ['not hex', PIN.replace('AB', 'ZZ')],
    ['colons in the wrong places', PIN.replace(/:/g, '').replace(/(....)/g, '$1:').replace(/:$/, '')],
    ['empty', ''],
  ])('a fingerprint that is %s is an invalid URL', (_why, pin) => {
    const error = refused(url(`certsha256=${pin}`));
    expect(error.code).toBe('invalid-url');
    expect(error.message).toContain('certsha256');
    expect(error.message).not.toContain('s3cret');
  });

  it.each(['verify-full', 'verify-ca', 'require'])('sslmode=%s with a pin is pinned (the pin is checked, not the chain or the name)', (mode) => {
    const target = parseShopDatabaseUrl(url(`sslmode=${mode}&certsha256=${PIN}`));
    expect(target.pin).toBe(PIN);
    expect(target.ssl && target.ssl.rejectUnauthorized).toBe(true);
  });

  it.each(['disable', 'allow', 'prefer'])('sslmode=%s contradicts a pin and is refused, on loopback too', (mode) => {
    for (const u of [url(`sslmode=${mode}&certsha256=${PIN}`), `postgres://counter@127.0.0.1/counter?sslmode=${mode}&certsha256=${PIN}`]) {
      const error = refused(u);
      expect(error.code).toBe('invalid-url');
      expect(error.message).toContain(`sslmode=${mode}`);
    }
  });

  it('a pin with sslrootcert is refused: one trust anchor at a time', () => {
    expect(refused(url(`certsha256=${PIN}&sslrootcert=/tmp/ca.pem`)).code).toBe('invalid-url');
  });
});

describe("the hosting till's pg_hba.conf", () => {
  const rules = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/));

  it('lets this till in over loopback and every other till over TLS only, as counter on counter', () => {
    expect(rules(shopHostHba())).toEqual([
      ['host', 'counter', 'counter', '127.0.0.1/32', 'scram-sha-256'],
      ['host', 'counter', 'counter', '::1/128', 'scram-sha-256'],
      ['hostssl', 'counter', 'counter', '0.0.0.0/0', 'scram-sha-256'],
      ['hostssl', 'counter', 'counter', '::/0', 'scram-sha-256'],
    ]);
  });

  it('has no trust, no Unix socket and no line for the superuser', () => {
    const text = shopHostHba();
    expect(text).not.toMatch(/\btrust\b/);
    expect(rules(text).some(([type]) => type === 'local')).toBe(false);
    expect(rules(text).every(([, db, user]) => db === 'counter' && user === 'counter')).toBe(true);
  });

  it('with no address for this till, nothing but TLS gets in', () => {
    expect(rules(shopHostHba([])).every(([type]) => type === 'hostssl')).toBe(true);
  });

  it('refuses an address that is not a CIDR', () => {
    expect(() => shopHostHba(['127.0.0.1'])).toThrow(TypeError);
    expect(() => shopHostHba(['all\nhost all all 0.0.0.0/0 trust'])).toThrow(TypeError);
  });
});
