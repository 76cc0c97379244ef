import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import { peopleThrough, signInThrough, startApiCore, tableCall, valueOf, type ApiCall } from '../support/api-core';
import { memoryLogger } from '../support/memory-logger';
import { freePort } from '../support/postgres';
import { prng } from '../support/prng';
import { waitFor } from '../support/sync-fixture';
import { openTill, sell } from '../support/sync-sales';

/**
 * A till hosting the shop database for the others (issue 16), through the
 * API as the Settings screen drives it: the owner starts it on a port; the
 * till then syncs to its own server, and another till joins with the
 * address and password shown, over TLS pinned to the host's certificate.
 * Hosting survives a restart of Counter; stopping it is the owner's, and
 * audited. Real embedded PostgreSQL on 127.0.0.1.
 */

// As root, PostgreSQL runs as its own user, which must reach the data folders: one root for the file, passable.
const root = mkdtempSync(join(tmpdir(), 'counter-hosting-'));
chmodSync(root, 0o755);
let dirs = 0;
const dataDir = () => {
  const dir = join(root, `till-${++dirs}`);
  mkdirSync(dir, { mode: 0o755 });
  return dir;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

const FAST = { idleMs: 20, backoff: { baseMs: 20, capMs: 200 } };

async function till(dir = dataDir(), owner = true) {
  const logger = memoryLogger();
  const started = await startApiCore({ dataDir: dir, logger, syncTiming: FAST, shopDatabaseConnectTimeoutMs: 5_000, shopHostListen: '127.0.0.1' });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await started.core.close();
  };
  cleanups.push(close);
  const call = tableCall(started.api);
  const people = owner ? await peopleThrough(call) : null;
  return { ...started, call, logger, people, close };
}

/** What the other till types: the join address on 127.0.0.1 (tests stay on loopback). */
function onLoopback(joinUrl: string): string {
  const u = new URL(joinUrl);
  u.hostname = '127.0.0.1';
  return u.toString();
}

async function refusal(call: ApiCall, method: 'updateSettings' | 'hostShopDatabase', args: unknown) {
  const answer = await call(method, args);
  if (answer.ok) expect.fail(`expected ${method} to be refused`);
  return answer.error as { code: string; message: string; fields?: Record<string, string> };
}

const synced = (t: Awaited<ReturnType<typeof till>>) => t.core.sync?.status().state === 'synced' && t.core.ledger.outbox.waiting() === 0;

describe('a till hosting the shop database', () => {
  it('starts on the owner’s word, syncs to itself, and another till joins over pinned TLS with the address and password it shows; the shop view reads both', async () => {
    const host = await till();
    const port = await freePort();
    const settings = valueOf(await host.call('hostShopDatabase', { port }));
    expect(settings.shopDatabase).toEqual({ url: `postgres://counter@127.0.0.1:${port}/counter`, passwordSaved: true, passwordEncrypted: false, host: { port } });

    const view = valueOf(await host.call('shopHost'));
    expect(view).toMatchObject({ state: 'running', error: null, port });
    expect(view!.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const join = new URL(view!.joinUrl!);
    expect(join.password).toBe('');
    expect(join.port).toBe(String(port));
    expect(join.searchParams.get('sslmode')).toBe('verify-full');
    expect(join.searchParams.get('certsha256')).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    sell(openTill(host.core.ledger, prng(5)), 4);
    await waitFor('the host synced to itself', () => synced(host));

    // The other till, with what the host's screen shows.
    const other = await till();
    const joined = valueOf(await other.call('updateSettings', { shopDatabase: { url: onLoopback(view!.joinUrl!), password: view!.password } }));
    expect(joined.shopDatabase).toMatchObject({ passwordSaved: true, host: null });
    sell(openTill(other.core.ledger, prng(6)), 3);
    await waitFor('the other till synced', () => synced(other));
    const probe = await connectShopDatabase({ url: Object.assign(new URL(onLoopback(view!.joinUrl!)), { password: view!.password }).toString() });
    try {
      expect(probe.tls).toBe(true);
      expect((await probe.tills()).length).toBe(2);
    } finally {
      await probe.close();
    }

    // The owner's shop view on the host reads both tills.
    const tills = valueOf(await host.call('shopTills'));
    expect(tills.map((t) => t.thisTill).sort()).toEqual([false, true]);
    const totals = valueOf(await host.call('shopTotals', { filter: { mode: 'all' } }));
    expect(totals.reduce((n, t) => n + t.count, 0)).toBe(7);

    // The password shows to the owner on demand only: in no event, log line or audit entry.
    const audit = host.core.ledger.audit.page();
    const entry = audit.entries.find((e) => e.action === 'settings-changed');
    expect(entry?.detail).toMatchObject({ changes: { shopDatabase: { to: { host: { port } } }, shopDatabasePassword: { from: null, to: '[hidden]' } } });
    for (const [name, value] of Object.entries({ events: host.events, lines: host.logger.lines, audit, otherLines: other.logger.lines })) {
      expect(JSON.stringify(value), name).not.toContain(view!.password);
    }
    // While it hosts, the address is not a field to type over.
    const typed = await refusal(host.call, 'updateSettings', { shopDatabase: { url: 'postgres://counter@127.0.0.1:1/elsewhere' } });
    expect(typed.fields?.['shopDatabase.url']).toMatch(/hosts the shop database: stop hosting it first/);
  });

  it('comes back at the next start with the same certificate and password, and stops on the owner’s word (the data stays)', async () => {
    const dir = dataDir();
    const first = await till(dir);
    const port = await freePort();
    valueOf(await first.call('hostShopDatabase', { port }));
    const before = valueOf(await first.call('shopHost'))!;
    sell(openTill(first.core.ledger, prng(7)), 2);
    await waitFor('synced before the restart', () => synced(first));
    await first.close();

    const again = await till(dir, false);
    await signInThrough(again.call, { id: 1, name: 'Ana', role: 'owner' });
    const after = valueOf(await again.call('shopHost'))!;
    expect(after).toEqual({ ...before });
    sell(openTill(again.core.ledger, prng(8)), 2);
    await waitFor('synced after the restart', () => synced(again));
    expect(valueOf(await again.call('shopTotals', { filter: { mode: 'all' } })).reduce((n, t) => n + t.count, 0)).toBe(4);

    const stopped = valueOf(await again.call('hostShopDatabase', { port: null }));
    expect(stopped.shopDatabase).toEqual({ url: null, passwordSaved: false, passwordEncrypted: false, host: null });
    expect(valueOf(await again.call('shopHost'))).toBeNull();
    expect(again.core.sync).toBeNull();
    const gone = await connectShopDatabase({ url: Object.assign(new URL(onLoopback(before.joinUrl!)), { password: before.password }).toString(), connectTimeoutMs: 2_000 }).then(
      async (db) => (await db.close(), 'connected'),
      (error: Error & { code?: string }) => error.code,
    );
    expect(gone).toBe('unreachable');

    // Hosting again on the same port: the same data, a fresh password.
    valueOf(await again.call('hostShopDatabase', { port }));
    const back = valueOf(await again.call('shopHost'))!;
    expect(back.joinUrl).toBe(before.joinUrl);
    expect(back.password).not.toBe(before.password);
    expect(valueOf(await again.call('shopTotals', { filter: { mode: 'all' } })).reduce((n, t) => n + t.count, 0)).toBe(4);
  });

  it('refuses a port in use, or out of range, in words, saving nothing; only the owner may host', async () => {
    const host = await till();
    const busy: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(() => resolve())));
    const before = valueOf(await host.call('getSettings'));

    const inUse = await refusal(host.call, 'hostShopDatabase', { port });
    expect(inUse.code).toBe('invalid-settings');
    expect(inUse.fields?.['shopDatabase.host']).toMatch(new RegExp(`${port}`));
    expect(valueOf(await host.call('getSettings'))).toEqual(before);
    expect(valueOf(await host.call('shopHost'))).toBeNull();

    const low = await refusal(host.call, 'hostShopDatabase', { port: 80 });
    expect(low.code).toBe('invalid-input');

    await signInThrough(host.call, host.people!.cleo);
    const manager = await refusal(host.call, 'hostShopDatabase', { port: await freePort() });
    expect(manager).toMatchObject({ code: 'forbidden', message: 'Hosting the shop database needs the owner.' });
    expect(valueOf(await host.call('getSettings'))).toEqual(before);
  });
});
