import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { paymentIntents, webhook } from '@code-wallet/client';
import Database from 'better-sqlite3';
import bs58 from 'bs58';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createCounterCore } from '../../electron/core/app/counter-core';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { SANDBOX_DB_FILE, sandboxDbPath } from '../../electron/core/sandbox/sandbox-db';
import { createSandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { readSandboxTruth, type SandboxTruthRow } from '../../electron/core/sandbox/sandbox-truth';
import { tempDir } from '../support/temp-dir';

// Real parts only: the sandbox runs in a real child process that gets a real
// SIGKILL, on a real SQLite file; the real @code-wallet/client talks to it
// over loopback HTTP, and webhooks go to a real HTTP receiver.

const CHILD = join(__dirname, '..', 'support', 'sandbox-child.ts');

// --- the sandbox in a child process -----------------------------------------

interface Child {
  endpoint: string;
  process: ChildProcess;
  call<T = unknown>(op: string, intentId?: string): Promise<T>;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(closers.splice(0).map((close) => close()));
});

function startChild(options: { dataDir: string; timeScale?: number; webhookTimeoutMs?: number; capacity?: number }): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      const space = line.indexOf(' ');
      const tag = line.slice(0, space);
      const value = JSON.parse(line.slice(space + 1)) as Record<string, unknown>;
      if (tag === 'FATAL') reject(Object.assign(new Error(String(value.message)), { code: value.code }));
      if (tag === 'READY') {
        resolve({
          endpoint: String(value.endpoint),
          process: proc,
          exited,
          call<T>(op: string, intentId?: string) {
            const n = next++;
            proc.stdin!.write(`${JSON.stringify({ n, op, intentId })}\n`);
            return new Promise<T>((res, rej) => pending.set(n, { resolve: res as (v: unknown) => void, reject: rej }));
          },
          async kill() {
            proc.kill('SIGKILL');
            await exited;
          },
        });
      }
      if (tag === 'REPLY') {
        const waiter = pending.get(value.n as number);
        pending.delete(value.n as number);
        if (value.ok) waiter?.resolve(value.value);
        else waiter?.reject(Object.assign(new Error(String((value.error as { message: string }).message)), { code: (value.error as { code: string }).code }));
      }
    });
    void exited.then((code) => {
      reject(new Error(`sandbox child exited (${code ?? proc.signalCode}) before it was ready`));
      for (const waiter of pending.values()) waiter.reject(new Error('sandbox child exited'));
    });
  });
}

// --- a webhook receiver ---------------------------------------------------------

interface Hit {
  body: string;
  at: number;
}

async function startReceiver(answer: (index: number, res: ServerResponse) => void) {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(hits.push({ body: Buffer.concat(chunks).toString(), at: Date.now() }) - 1, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await sleep(5);
  }
}

const truthOf = (dataDir: string, intentId: string): SandboxTruthRow | undefined => readSandboxTruth(dataDir).find((r) => r.intentId === intentId);

function create(endpoint: string, extra: Record<string, unknown> = {}) {
  const args = { mode: 'payment', amount: 0.75, currency: 'usd', destination: bs58.encode(randomBytes(32)), endpoint, ...extra };
  return paymentIntents.create(args as Parameters<typeof paymentIntents.create>[0]);
}

// -------------------------------------------------------------------------------

describe('a sandbox payment acknowledged before a SIGKILL', () => {
  it('is confirmed after the restart, and its webhook is delivered once after it', async () => {
    const dataDir = tempDir();
    const receiver = await startReceiver((_i, res) => res.writeHead(200).end());
    // Code's own schedule: attempt 2 would come 1 s after attempt 1, far more than a fresh process's first request takes.
    const first = await startChild({ dataDir });
    const { id } = await create(first.endpoint, { webhook: { url: receiver.url } });

    // simulatePayment resolves, the reply leaves the process, and it is killed before anything else runs.
    const paid = await first.call<{ state: string; quarks: number }>('payThenDie', id);
    await first.exited;
    expect(paid.state).toBe('paid');
    expect(first.process.signalCode).toBe('SIGKILL');

    // The file, read while nothing runs: paid, and the webhook owed, not yet attempted.
    const before = truthOf(dataDir, id)!;
    expect(before).toMatchObject({ state: 'paid', amount: 0.75, currency: 'usd', quarks: paid.quarks, webhookUrl: receiver.url });
    expect(before).toMatchObject({ deliveryState: 'scheduled', attempts: 0, nextAttempt: 1, deliveredAt: null });
    expect(receiver.hits).toHaveLength(0);

    const second = await startChild({ dataDir });
    expect(await paymentIntents.getStatus({ intent: id, endpoint: second.endpoint })).toEqual({
      status: 'confirmed',
      exists: true,
      codeScanned: true,
      intentSubmitted: true,
    });
    await until('the webhook is delivered', () => truthOf(dataDir, id)?.deliveryState === 'delivered');

    // Delivered by its first attempt, and nothing more is scheduled, so no other attempt can come.
    const after = truthOf(dataDir, id)!;
    expect(after).toMatchObject({ attempts: 1, deliveredAttempts: 1, nextAttempt: null, nextAttemptAt: null });
    expect(receiver.hits).toHaveLength(1);
    expect(after.deliveredAt).toBeGreaterThanOrEqual(before.nextAttemptAt!);
    // Signed by the install's sandbox key, with the payment the restarted sandbox still knows.
    const { payload } = await jwtVerify(receiver.hits[0]!.body, loadOrCreateSandboxKey(dataDir).publicKey, { algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ intent: id, amount: 0.75, currency: 'USD', quarks: paid.quarks, state: 'SUBMITTED' });
    // And a payment request resent after the restart is refused, as for any paid intent.
    await expect(second.call('simulatePayment', id)).rejects.toMatchObject({ code: 'intent-already-paid' });
  });

  it('that was killed during its first attempt gets its second attempt after the restart, on the schedule', async () => {
    const dataDir = tempDir();
    let child: Child | null = null;
    // The first attempt is never answered: the process dies while it is in flight.
    const receiver = await startReceiver((i, res) => {
      if (i === 0) void child!.kill();
      else res.writeHead(200).end();
    });
    child = await startChild({ dataDir }); // Code's schedule: attempt 2 due 1 s after attempt 1 started, attempt 3 1 s after that
    const { id } = await create(child.endpoint, { webhook: { url: receiver.url } });
    await child.call('simulatePayment', id);
    await child.exited;

    const before = truthOf(dataDir, id)!;
    expect(before).toMatchObject({ state: 'paid', deliveryState: 'scheduled', attempts: 1, nextAttempt: 2, deliveredAt: null });

    await startChild({ dataDir });
    await until('the webhook is delivered', () => truthOf(dataDir, id)?.deliveryState === 'delivered');

    expect(truthOf(dataDir, id)).toMatchObject({ nextAttempt: null, nextAttemptAt: null });
    expect(receiver.hits).toHaveLength(2);
    expect(receiver.hits[1]!.body).toBe(receiver.hits[0]!.body); // the same signed webhook, from the file
    expect(receiver.hits[1]!.at).toBeGreaterThanOrEqual(before.nextAttemptAt!);
    expect(truthOf(dataDir, id)).toMatchObject({ attempts: 2, deliveredAttempts: 1 });
  });
});

describe('paying concurrently', () => {
  it('pays once and owes one webhook when two simulations race', async () => {
    const dataDir = tempDir();
    const receiver = await startReceiver((_i, res) => res.writeHead(200).end());
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir) });
    closers.push(() => sandbox.close());
    const { id } = await create(sandbox.endpoint, { webhook: { url: receiver.url } });

    const results = await Promise.allSettled([sandbox.simulatePayment(id), sandbox.simulatePayment(id), sandbox.simulatePayment(id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['intent-already-paid', 'intent-already-paid']);
    await until('the webhook is delivered', () => truthOf(dataDir, id)?.deliveryState === 'delivered');
    expect(receiver.hits).toHaveLength(1);
  });

  it('does not pay an intent the customer cancelled while the payment was being signed', async () => {
    const dataDir = tempDir();
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir) });
    closers.push(() => sandbox.close());
    const { id } = await create(sandbox.endpoint);
    const paying = sandbox.simulatePayment(id);
    sandbox.simulateCancel(id);
    await expect(paying).rejects.toMatchObject({ code: 'intent-cancelled' });
    expect(truthOf(dataDir, id)).toMatchObject({ state: 'cancelled', paidAt: null });
  });

  it('does not acknowledge a payment when the sandbox closes while it is being signed', async () => {
    const dataDir = tempDir();
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir) });
    const { id } = await create(sandbox.endpoint);
    const paying = sandbox.simulatePayment(id);
    const closing = sandbox.close();
    await expect(paying).rejects.toMatchObject({ code: 'sequencer-closed' });
    await closing;
    expect(truthOf(dataDir, id)).toMatchObject({ state: 'pending' });
  });
});

describe('an open intent across a SIGKILL', () => {
  it('survives the restart and can be paid after it', async () => {
    const dataDir = tempDir();
    const receiver = await startReceiver((_i, res) => res.writeHead(200).end());
    const first = await startChild({ dataDir });
    const idempotencyKey = 'sale-7';
    const destination = bs58.encode(randomBytes(32));
    const created = await create(first.endpoint, { idempotencyKey, destination });
    expect((await webhook.register({ intent: created.id, url: receiver.url, endpoint: first.endpoint })).success).toBe(true);
    await first.kill();

    const second = await startChild({ dataDir });
    const endpoint = second.endpoint;
    expect(await paymentIntents.getStatus({ intent: created.id, endpoint })).toMatchObject({ status: 'pending', exists: true });
    // The till's retry after its own restart is accepted unchanged; its webhook is still the one registered.
    expect(await create(endpoint, { idempotencyKey, destination })).toEqual(created);
    expect(await webhook.register({ intent: created.id, url: receiver.url, endpoint })).toEqual({ success: false, message: 'already_registered' });

    await second.call('simulatePayment', created.id);
    expect(await paymentIntents.getStatus({ intent: created.id, endpoint })).toMatchObject({ status: 'confirmed' });
    await until('the webhook arrives', () => receiver.hits.length === 1);
    expect(JSON.parse(Buffer.from(receiver.hits[0]!.body.split('.')[1]!, 'base64url').toString())).toMatchObject({ intent: created.id });
  });

  it('keeps a cancel across the restart', async () => {
    const dataDir = tempDir();
    const first = await startChild({ dataDir });
    const { id } = await create(first.endpoint);
    await first.call('simulateCancel', id);
    await first.kill();

    const second = await startChild({ dataDir });
    expect(await paymentIntents.getStatus({ intent: id, endpoint: second.endpoint })).toEqual({
      status: 'pending',
      exists: true,
      codeScanned: true,
      intentSubmitted: false,
    });
    await expect(second.call('simulatePayment', id)).rejects.toMatchObject({ code: 'intent-cancelled' });
    expect(truthOf(dataDir, id)).toMatchObject({ state: 'cancelled', paidAt: null, deliveryState: null });
  });
});

describe('a webhook that failed before a SIGKILL', () => {
  it('resumes at its scheduled attempt, not from the start', async () => {
    const dataDir = tempDir();
    let failing = true;
    const receiver = await startReceiver((_i, res) => res.writeHead(failing ? 500 : 200).end());
    // Attempts 0, 50 ms, 50 ms after each other, then attempt 4 750 ms after attempt 3.
    const first = await startChild({ dataDir, timeScale: 0.05 });
    const { id } = await create(first.endpoint, { webhook: { url: receiver.url } });
    await first.call('simulatePayment', id);
    await until('three failed attempts are recorded', () => (truthOf(dataDir, id)?.attempts ?? 0) >= 3 && receiver.hits.length >= 3);
    await first.kill();

    const before = truthOf(dataDir, id)!;
    expect(before).toMatchObject({ deliveryState: 'scheduled', attempts: 3, nextAttempt: 4 });
    const hitsBefore = receiver.hits.length;
    expect(hitsBefore).toBe(3);

    failing = false;
    const second = await startChild({ dataDir, timeScale: 0.05 });
    await until('the webhook is delivered', () => truthOf(dataDir, id)?.deliveryState === 'delivered');

    expect(receiver.hits).toHaveLength(4);
    expect(receiver.hits[3]!.at).toBeGreaterThanOrEqual(before.nextAttemptAt!);
    expect(truthOf(dataDir, id)).toMatchObject({ attempts: 4, deliveredAttempts: 1 });
    const log = await second.call<Array<{ attempt: number; status: number | null; delivered: boolean }>>('deliveries');
    // Attempts 1 to 3 before the kill (their outcome may not all have reached the file), 4 after it.
    expect(log.at(-1)).toMatchObject({ attempt: 4, status: 200, delivered: true });
    expect(log.filter((a) => a.delivered)).toHaveLength(1);
  });
});

describe('the capacity bound', () => {
  it('forgets the oldest intents past the cap, in the file too', async () => {
    const dataDir = tempDir();
    const { privateKey } = loadOrCreateSandboxKey(dataDir);
    const file = sandboxDbPath(dataDir);
    const first = await createSandboxSequencer({ signingKey: privateKey, file, capacity: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await create(first.endpoint)).id);
    expect(first.listIntents().map((i) => i.id)).toEqual(ids.slice(2));
    expect(await paymentIntents.getStatus({ intent: ids[0]!, endpoint: first.endpoint })).toMatchObject({ exists: false });
    await expect(first.simulatePayment(ids[1]!)).rejects.toMatchObject({ code: 'intent-not-found' });
    await first.close();

    const second = await createSandboxSequencer({ signingKey: privateKey, file, capacity: 3 });
    closers.push(() => second.close());
    expect(second.listIntents().map((i) => i.id)).toEqual(ids.slice(2));
    expect(readSandboxTruth(dataDir).map((r) => r.intentId)).toEqual(ids.slice(2));
  });

  it('keeps delivering a webhook it owes when its intent is forgotten', async () => {
    const dataDir = tempDir();
    let failing = true;
    const receiver = await startReceiver((_i, res) => res.writeHead(failing ? 500 : 200).end());
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir), capacity: 1, timeScale: 0.05 });
    closers.push(() => sandbox.close());
    const { id } = await create(sandbox.endpoint, { webhook: { url: receiver.url } });
    await sandbox.simulatePayment(id);
    await until('a failed attempt', () => receiver.hits.length >= 1);
    await create(sandbox.endpoint); // pushes the paid intent out
    expect(sandbox.getIntent(id)).toBeUndefined();

    failing = false;
    await until('the webhook is delivered anyway', () => sandbox.deliveries().some((a) => a.intentId === id && a.delivered));
  });

  it('refuses a capacity that is not a positive integer, before touching the file', async () => {
    const dataDir = tempDir();
    const { privateKey } = loadOrCreateSandboxKey(dataDir);
    await expect(createSandboxSequencer({ signingKey: privateKey, file: sandboxDbPath(dataDir), capacity: 0 })).rejects.toThrow(RangeError);
    await expect(createSandboxSequencer({ signingKey: privateKey, file: sandboxDbPath(dataDir), capacity: 1.5 })).rejects.toThrow(RangeError);
    expect(() => statSync(sandboxDbPath(dataDir))).toThrow(/ENOENT/);
  });
});

describe('the sandbox file', () => {
  it('is created 0600, with its WAL files', async () => {
    const dataDir = tempDir();
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir) });
    await create(sandbox.endpoint);
    for (const suffix of ['', '-wal', '-shm']) expect((statSync(`${sandboxDbPath(dataDir)}${suffix}`).mode & 0o777).toString(8)).toBe('600');
    await sandbox.close();
  });

  it('tightens an existing file that others can read back to 0600', async () => {
    const dataDir = tempDir();
    const key = loadOrCreateSandboxKey(dataDir).privateKey;
    await (await createSandboxSequencer({ signingKey: key, file: sandboxDbPath(dataDir) })).close();
    const { chmodSync } = await import('node:fs');
    chmodSync(sandboxDbPath(dataDir), 0o644);
    await (await createSandboxSequencer({ signingKey: key, file: sandboxDbPath(dataDir) })).close();
    expect((statSync(sandboxDbPath(dataDir)).mode & 0o777).toString(8)).toBe('600');
  });

  it.each([
    ['not SQLite at all', (file: string) => writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(200))],
    [
      'a SQLite file with some other program\u2019s tables',
      (file: string) => {
        const db = new Database(file);
        db.exec('CREATE TABLE notes (text TEXT)');
        db.close();
      },
    ],
    [
      'a sandbox file with a table missing',
      (file: string) => {
        const db = new Database(file);
        db.exec('CREATE TABLE intents (id TEXT)');
        db.pragma('user_version = 1');
        db.close();
      },
    ],
    [
      'a sandbox file whose pages were overwritten',
      (file: string) => {
        const db = new Database(file);
        db.exec('CREATE TABLE intents (id TEXT); CREATE TABLE webhook_deliveries (x); CREATE TABLE webhook_attempts (x);');
        db.exec(`INSERT INTO intents SELECT hex(randomblob(200)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) SELECT i FROM n)`);
        db.exec('CREATE INDEX intents_id ON intents (id)');
        db.pragma('user_version = 1');
        db.close();
        const bytes = readFileSync(file);
        bytes.fill(0x5a, 4096 * 3, 4096 * 6); // three pages of the table and its index: garbage
        writeFileSync(file, bytes);
      },
    ],
  ])('is refused with a clear error, never replaced, when it is %s', async (_what, damage) => {
    const dataDir = tempDir();
    const key = loadOrCreateSandboxKey(dataDir).privateKey;
    const file = join(dataDir, SANDBOX_DB_FILE);
    damage(file);
    const bytes = readFileSync(file);

    const attempt = createSandboxSequencer({ signingKey: key, file });
    await expect(attempt).rejects.toMatchObject({ name: 'SandboxError', code: 'sandbox-db-corrupt' });
    await expect(attempt).rejects.toThrow(/cannot be used .*did not replace it: move it away/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file written by a newer Counter, unchanged', async () => {
    const dataDir = tempDir();
    const file = sandboxDbPath(dataDir);
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const bytes = readFileSync(file);
    await expect(createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file })).rejects.toMatchObject({ code: 'sandbox-db-newer' });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('stops the app from starting, with the sandbox\u2019s error, and leaves the ledger closed', async () => {
    const dataDir = tempDir();
    writeFileSync(sandboxDbPath(dataDir), 'garbage'.repeat(1000));
    await expect(createCounterCore({ dataDir })).rejects.toMatchObject({ code: 'sandbox-db-corrupt' });
    // The ledger was closed on the way out: a second start on the directory gets as far as the sandbox again.
    await expect(createCounterCore({ dataDir })).rejects.toMatchObject({ code: 'sandbox-db-corrupt' });
  });

  it('is refused by the child process too, which says why and exits', async () => {
    const dataDir = tempDir();
    writeFileSync(sandboxDbPath(dataDir), 'garbage'.repeat(1000));
    await expect(startChild({ dataDir })).rejects.toMatchObject({ code: 'sandbox-db-corrupt' });
  });
});

describe('readSandboxTruth', () => {
  it('refuses a directory without a sandbox file instead of answering "nothing"', () => {
    expect(() => readSandboxTruth(tempDir())).toThrow(expect.objectContaining({ code: 'sandbox-db-corrupt', message: expect.stringMatching(/does not exist/) }));
  });

  it('refuses a file that is not a sandbox file', () => {
    const dataDir = tempDir();
    writeFileSync(sandboxDbPath(dataDir), 'garbage'.repeat(1000));
    expect(() => readSandboxTruth(dataDir)).toThrow(expect.objectContaining({ code: 'sandbox-db-corrupt' }));
  });

  it('reads while the sandbox runs, without blocking it', async () => {
    const dataDir = tempDir();
    const sandbox = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(dataDir).privateKey, file: sandboxDbPath(dataDir) });
    closers.push(() => sandbox.close());
    const { id } = await create(sandbox.endpoint);
    expect(readSandboxTruth(dataDir)).toEqual([
      expect.objectContaining({ intentId: id, state: 'pending', amount: 0.75, currency: 'usd', paidAt: null, webhookUrl: null, deliveredAt: null, attempts: 0 }),
    ]);
    await sandbox.simulatePayment(id);
    expect(truthOf(dataDir, id)).toMatchObject({ state: 'paid', deliveryState: null });
  });
});
