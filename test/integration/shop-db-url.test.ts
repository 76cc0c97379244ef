import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectShopDatabase, parseShopDatabaseUrl, redactUrl, ShopDbError } from '../../electron/core/shop-db';
import { memoryLogger } from '../support/memory-logger';
import { freePort } from '../support/postgres';
import { caughtAs, rejectedAs } from '../support/ledger-guard';
import { usePostgres } from '../support/use-postgres';
import { tempDir } from '../support/temp-dir';

/**
 * The shop database URL and its TLS rule: TLS unless the server is on this
 * machine, sslmode honoured, a clear error otherwise, and never the
 * password in a message or a log line. The connects go to the real test
 * server on 127.0.0.1 (the rule for other hosts is checked before any
 * connection is made, so those cases need none).
 */

const server = usePostgres();

const refusal = (fn: () => unknown): ShopDbError => caughtAs(ShopDbError, fn);
const refusalOf = (promise: Promise<unknown>): Promise<ShopDbError> => rejectedAs(ShopDbError, promise);

const SECRET = 's3cret-Pa55';

describe('the URL', () => {
  it('takes postgres:// and postgresql://, with the default port and percent-encoded parts', () => {
    const a = parseShopDatabaseUrl(`postgres://till:${encodeURIComponent('p@ss/word')}@127.0.0.1/shop`);
    expect(a).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'shop', user: 'till', password: 'p@ss/word', ssl: false, loopback: true });
    const b = parseShopDatabaseUrl('postgresql://till@[::1]:6543/my%20shop');
    expect(b).toMatchObject({ host: '::1', port: 6543, database: 'my shop', password: undefined, ssl: false, loopback: true });
    expect(parseShopDatabaseUrl('postgres://till:x@LOCALHOST/shop').loopback).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['not a url', /not a URL/],
    ['mysql://till:x@db.example/shop', /starts with mysql:\/\//],
    ['postgres://till:x@db.example:70000/shop', /not a URL|port/],
    ['postgres://till:x@db.example:5432/', /names no database/],
    ['postgres://till:x@db.example:5432/a/b', /names no database/],
    ['postgres://db.example:5432/shop', /names no user/],
    ['postgres://till:x@db.example/shop?sslmode=sometimes', /sslmode=sometimes is not one of/],
  ])('refuses %j with a clear error', (url, words) => {
    const error = refusal(() => parseShopDatabaseUrl(url));
    expect(error.code).toBe('invalid-url');
    expect(error.message).toMatch(words);
  });

  it('requires TLS for a server on another machine, and verifies its certificate and name by default', () => {
    const target = parseShopDatabaseUrl(`postgres://till:${SECRET}@db.example.com/shop`);
    expect(target.loopback).toBe(false);
    expect(target.ssl).toEqual({ rejectUnauthorized: true });
    expect(parseShopDatabaseUrl(`postgres://till:${SECRET}@10.0.0.5/shop?sslmode=verify-full`).ssl).toEqual({ rejectUnauthorized: true });
  });

  it.each(['disable', 'allow', 'prefer'])('refuses sslmode=%s for a server on another machine', (mode) => {
    const error = refusal(() => parseShopDatabaseUrl(`postgres://till:${SECRET}@192.168.1.20:5432/shop?sslmode=${mode}`));
    expect(error.code).toBe('tls-required');
    expect(error.message).toMatch(new RegExp(`asks for sslmode=${mode}, but 192.168.1.20 is not this machine`));
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('till:***@');
  });

  it('honours sslmode=require (encrypted, certificate not checked) and verify-ca (chain, not the name)', () => {
    expect(parseShopDatabaseUrl('postgres://till:x@db.example/shop?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    const verifyCa = parseShopDatabaseUrl('postgres://till:x@db.example/shop?sslmode=verify-ca').ssl;
    expect(verifyCa).toMatchObject({ rejectUnauthorized: true });
    expect((verifyCa as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined();
  });

  it('reads the CA named by sslrootcert, and says so clearly when it cannot', () => {
    const ca = join(tempDir(), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
    expect(parseShopDatabaseUrl(`postgres://till:x@db.example/shop?sslrootcert=${ca}`).ssl).toMatchObject({ ca: expect.stringContaining('fake') });
    const error = refusal(() => parseShopDatabaseUrl('postgres://till:x@db.example/shop?sslrootcert=/no/such/ca.pem'));
    expect(error.code).toBe('invalid-url');
    expect(error.message).toMatch(/sslrootcert=\/no\/such\/ca.pem cannot be read/);
  });

  it('a loopback server needs no TLS, but gets it when asked', () => {
    expect(parseShopDatabaseUrl('postgres://till:x@127.0.0.1/shop?sslmode=disable').ssl).toBe(false);
    expect(parseShopDatabaseUrl('postgres://till:x@localhost/shop?sslmode=verify-full').ssl).toEqual({ rejectUnauthorized: true });
  });

  it('redacts the password, even from a string that is not a URL', () => {
    expect(redactUrl(`postgres://till:${SECRET}@db.example/shop`)).toBe('postgres://till:***@db.example/shop');
    expect(redactUrl(`postgres ://till:${SECRET}@db.example/shop`)).not.toContain(SECRET);
    expect(refusal(() => parseShopDatabaseUrl(`mysql://till:${SECRET}@db.example/shop`)).message).not.toContain(SECRET);
  });
});

describe('connecting', () => {
  it('connects to a loopback server without TLS, and logs where without the password', async () => {
    const logger = memoryLogger();
    const url = await server().database();
    const db = await connectShopDatabase({ url, logger });
    try {
      expect(db.tls).toBe(false);
      expect(db.where).toContain(':***@');
      expect(logger.entries.find((e) => e.message === 'connected to the shop database')?.fields).toMatchObject({ tls: false, where: db.where });
      expect(JSON.stringify(logger.entries)).not.toContain(new URL(url).password);
    } finally {
      await db.close();
    }
  });

  it('a server without TLS, asked for TLS, fails as tls-failed', async () => {
    const url = new URL(await server().database());
    url.searchParams.set('sslmode', 'require');
    const error = await refusalOf(connectShopDatabase({ url: url.toString() }));
    expect(error.code).toBe('tls-failed');
    expect(error.message).toMatch(/TLS connection failed/);
  });

  it('a wrong password fails as auth-failed, and the message keeps the password out', async () => {
    const url = new URL(await server().database());
    url.password = SECRET;
    const error = await refusalOf(connectShopDatabase({ url: url.toString() }));
    expect(error.code).toBe('auth-failed');
    expect(error.message).toMatch(/refused the user name or password/);
    expect(error.message).not.toContain(SECRET);
  });

  it('nobody listening fails as unreachable', async () => {
    const port = await freePort();
    const error = await refusalOf(connectShopDatabase({ url: `postgres://till:${SECRET}@127.0.0.1:${port}/shop`, connectTimeoutMs: 2000 }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/could not be reached/);
    expect(error.message).not.toContain(SECRET);
  });

  it('a database that does not exist is named in the error', async () => {
    const url = new URL(server().url);
    url.pathname = '/counter_no_such_database';
    const error = await refusalOf(connectShopDatabase({ url: url.toString() }));
    expect(error.message).toMatch(/counter_no_such_database/);
  });
});
