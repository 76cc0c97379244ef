import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectShopDatabase, ShopDbError, type ShopDatabaseConnection } from '../../electron/core/shop-db';
import { generateShopPassword, ShopHostError, startShopHost, type ShopHost } from '../../electron/core/shop-host';
import { recordUuid, type SyncRecord, type SyncTill } from '../../electron/core/sync/sync-record';
import { rejectedAs } from '../support/ledger-guard';
import { freePort } from '../support/postgres';
import { startTcpRelay } from '../support/tcp-relay';

/**
 * A till hosting the shop database (electron/core/shop-host/): a real
 * embedded PostgreSQL on 127.0.0.1, in a temp folder. Host A is set up as
 * in a shop (loopback counts as this till); host B treats every address,
 * 127.0.0.1 included, as another till's, so the network's rules can be
 * tried without leaving this machine.
 */

const root = mkdtempSync(join(tmpdir(), 'counter-shop-host-'));
// As root, PostgreSQL runs as the `postgres` user, which must reach the folders inside.
chmodSync(root, 0o755);
const dirA = join(root, 'a');
const dirB = join(root, 'b');
let passwordA = generateShopPassword();
const passwordB = generateShopPassword();
let a: ShopHost;
let b: ShopHost;
const open: ShopDatabaseConnection[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([
    startShopHost({ dir: dirA, port: await freePort(), password: passwordA, listen: '127.0.0.1' }),
    startShopHost({ dir: dirB, port: await freePort(), password: passwordB, listen: '127.0.0.1', plainFrom: [] }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function connect(url: string): Promise<ShopDatabaseConnection> {
  const db = await connectShopDatabase({ url, connectTimeoutMs: 5_000 });
  open.push(db);
  return db;
}

/** What another till types: the join URL on 127.0.0.1, with the password put in. */
function joined(host: ShopHost, password: string, port = host.port): string {
  const u = new URL(host.joinUrl('127.0.0.1'));
  u.password = password;
  u.port = String(port);
  return u.toString();
}

const till = (): SyncTill => ({ id: randomUUID(), shopName: 'Corner shop', tillName: '' });

function person(t: SyncTill, id: number, name: string): SyncRecord {
  const at = 1_760_000_000_000 + id;
  return {
    entity: 'person',
    localId: id,
    uuid: recordUuid(t.id, 'person', id),
    version: 1,
    data: { id, name, role: 'cashier', active: 1, created_at: at, updated_at: at, last_sign_in_at: null },
  };
}

/** A login refused by pg_hba.conf or the password, as PostgreSQL says it. */
async function refusedLogin(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', database: 'counter', connectionTimeoutMillis: 5_000, ...config });
  client.on('error', () => {});
  const error = await client.connect().then(
    async () => {
      await client.end();
      return undefined;
    },
    (e: { code?: string; message: string }) => e,
  );
  expect(error, 'the login should have been refused').toBeDefined();
  expect(['28000', '28P01']).toContain(error?.code);
  return error?.message ?? '';
}

describe('a till hosting the shop database', () => {
  it('this till syncs through the loopback URL, without TLS, into a migrated schema', async () => {
    expect(a.localUrl).toBe(`postgres://counter:${passwordA}@127.0.0.1:${a.port}/counter`);
    const db = await connect(a.localUrl);
    expect(db.tls).toBe(false);
    expect(db.migration.to).toBeGreaterThan(0);
    const [me] = await db.query<{ user: string; superuser: boolean }>(
      "SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user",
    );
    expect(me).toEqual({ user: 'counter', superuser: false });
  });

  it('the join URL carries the pinned fingerprint and no password', () => {
    const url = new URL(a.joinUrl('192.168.1.20'));
    expect(url.username).toBe('counter');
    expect(url.password).toBe('');
    expect(url.host).toBe(`192.168.1.20:${a.port}`);
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('certsha256')).toBe(a.fingerprint);
    expect(a.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(a.joinUrl()).toContain(`:${a.port}/counter?sslmode=verify-full&certsha256=`);
  });

  it('another till joins over pinned TLS with the password and pushes a batch', async () => {
    const db = await connect(joined(a, passwordA));
    expect(db.tls).toBe(true);
    const [ssl] = await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    expect(ssl?.ssl).toBe(true);
    const t = till();
    await db.push(t, [person(t, 1, 'Ana'), person(t, 2, 'Bo')]);
    const local = await connect(a.localUrl);
    expect((await local.rows('person', t.id)).map((r) => r.data.name)).toEqual(['Ana', 'Bo']);
  });

  it('a wrong fingerprint is refused before anything but the TLS handshake is sent', async () => {
    const relay = await startTcpRelay(() => a.port);
    try {
      const u = new URL(joined(a, 'not-the-password', relay.port));
      u.searchParams.set('certsha256', b.fingerprint);
      const error = await rejectedAs(ShopDbError, connectShopDatabase({ url: u.toString(), connectTimeoutMs: 5_000 }));
      expect(error.code).toBe('tls-failed');
      expect(error.message).toContain("certificate is not the one in the address");
      expect(error.message).toContain(a.fingerprint);
      expect(error.message).not.toContain('not-the-password');
      // One connection (the pre-flight), and from the client no record after its handshake's Finished.
      expect(relay.sent).toHaveLength(1);
      expect(relay.appDataRecords(0)).toBeLessThanOrEqual(1);
      // The same count sees a login: the right pin through the same relay sends the startup message and more.
      u.searchParams.set('certsha256', a.fingerprint);
      u.password = passwordA;
      await connect(u.toString());
      // Connection 1 is that pre-flight, 2 the pool's login.
      expect(relay.sent).toHaveLength(3);
      expect(relay.appDataRecords(2)).toBeGreaterThan(1);
    } finally {
      await relay.close();
    }
  });

  it('every connection is pinned, not only the pre-flight', async () => {
    // The pre-flight reaches host A; the pool's connections then reach host B, with the same password.
    const relay = await startTcpRelay((n) => (n === 0 ? b.port : a.port));
    try {
      const u = new URL(joined(b, passwordB, relay.port));
      const error = await rejectedAs(ShopDbError, connectShopDatabase({ url: u.toString(), connectTimeoutMs: 5_000 }));
      expect(error.code).toBe('tls-failed');
      expect(relay.sent.length).toBe(2);
    } finally {
      await relay.close();
    }
  });

  it('a wrong password is refused as auth-failed, and the message does not show it', async () => {
    const error = await rejectedAs(ShopDbError, connectShopDatabase({ url: joined(a, 'wrong-password-123'), connectTimeoutMs: 5_000 }));
    expect(error.code).toBe('auth-failed');
    expect(error.message).not.toContain('wrong-password-123');
  });

  it('away from this till, only TLS is let in, even with the right password', async () => {
    const message = await refusedLogin({ port: b.port, user: 'counter', password: passwordB, ssl: false });
    expect(message).toMatch(/no pg_hba\.conf entry .* no encryption/);
    const db = await connect(joined(b, passwordB));
    expect(db.tls).toBe(true);
  });

  it('the shop role reaches only the shop database', async () => {
    const pem = readFileSync(join(dirB, 'tls', 'shop-host.crt'), 'utf8');
    const message = await refusedLogin({
      port: b.port, user: 'counter', password: passwordB, database: 'postgres',
      ssl: { ca: pem, checkServerIdentity: () => undefined },
    });
    expect(message).toMatch(/no pg_hba\.conf entry/);
  });

  it('the superuser cannot log in at all, over TLS or loopback', async () => {
    const pem = readFileSync(join(dirB, 'tls', 'shop-host.crt'), 'utf8');
    await refusedLogin({ port: b.port, user: 'postgres', password: passwordB, ssl: { ca: pem, checkServerIdentity: () => undefined } });
    await refusedLogin({ port: a.port, user: 'postgres', password: passwordA, ssl: false });
    await refusedLogin({ port: a.port, user: 'postgres', password: passwordA, database: 'postgres', ssl: false });
  });

  it('the key and the data stay private to this till', () => {
    expect(statSync(join(dirA, 'tls', 'shop-host.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dirA, 'pgdata', 'server.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dirA, 'pgdata')).mode & 0o077).toBe(0);
    const hba = readFileSync(join(dirA, 'pgdata', 'pg_hba.conf'), 'utf8');
    expect(hba).not.toMatch(/\btrust\b/);
  });

  it('a port in use is refused with words for the owner', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await rejectedAs(ShopHostError, startShopHost({ dir: join(root, 'c'), port, password: generateShopPassword(), listen: '127.0.0.1' }));
      expect(error.code).toBe('port-in-use');
      expect(error.message).toContain(`port ${port}`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('after a stop and a start: the same certificate, the same data, and only the new password', async () => {
    const t = till();
    const before = await connect(a.localUrl);
    await before.push(t, [person(t, 1, 'Kept')]);
    await before.close();
    const fingerprint = a.fingerprint;
    const old = passwordA;
    await a.stop();
    passwordA = generateShopPassword();
    a = await startShopHost({ dir: dirA, port: a.port, password: passwordA, listen: '127.0.0.1' });
    expect(a.fingerprint).toBe(fingerprint);
    const db = await connect(joined(a, passwordA));
    expect((await db.rows('person', t.id)).map((r) => r.data.name)).toEqual(['Kept']);
    const error = await rejectedAs(ShopDbError, connectShopDatabase({ url: joined(a, old), connectTimeoutMs: 5_000 }));
    expect(error.code).toBe('auth-failed');
  }, 60_000);

  it('a killed server comes back with everything committed', async () => {
    const t = till();
    const db = await connect(a.localUrl);
    await db.push(t, [person(t, 1, 'Before the crash'), person(t, 2, 'Also kept')]);
    await db.close();
    open.splice(open.indexOf(db), 1);
    const pid = Number(readFileSync(join(dirA, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid));
    await a.stop();
    a = await startShopHost({ dir: dirA, port: a.port, password: passwordA, listen: '127.0.0.1' });
    const after = await connect(a.localUrl);
    expect((await after.rows('person', t.id)).map((r) => r.data.name)).toEqual(['Before the crash', 'Also kept']);
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
