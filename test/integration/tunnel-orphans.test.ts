// No orphan cloudflared when the app itself is killed: the supervisor runs in
// a child Node process, which the test SIGKILLs (no cleanup code can run),
// then checks that the stand-in, which like the real cloudflared does not
// watch its parent, is gone too.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, isZombie, tempDir, waitForPidGone } from '../support/cloudflared-harness';

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'cloudflared-supervisor-host.ts');

let tmp: { dir: string; remove: () => void };
let hosts: ChildProcess[];

beforeEach(() => {
  tmp = tempDir();
  hosts = [];
});

afterEach(async () => {
  for (const host of hosts) if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  // Clean up after a failed assertion, so one failure does not leak processes.
  for (const pid of pids()) {
    if (isAlive(pid) && !isZombie(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
      await waitForPidGone(pid, 2_000);
    }
  }
  tmp.remove();
});

const pidFile = () => path.join(tmp.dir, 'pids');
const pids = () =>
  existsSync(pidFile())
    ? readFileSync(pidFile(), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(Number)
    : [];

async function startHost(config: { watchdog: string; scenario: string; stopGraceMs: number }): Promise<{ host: ChildProcess; pid: number }> {
  const host = spawn(process.execPath, ['--import', 'tsx', HOST, JSON.stringify({ ...config, pidFile: pidFile() })], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
  });
  hosts.push(host);
  let stderr = '';
  host.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: host.stdout as NodeJS.ReadableStream });
  const first = await Promise.race([
    once(lines, 'line').then(([l]) => JSON.parse(l as string) as { pid?: number; error?: string }),
    once(host, 'exit').then(() => {
      throw new Error(`supervisor host exited early: ${stderr}`);
    }),
  ]);
  if (typeof first.pid !== 'number') throw new Error(`supervisor host did not get online: ${JSON.stringify(first)} ${stderr}`);
  return { host, pid: first.pid };
}

async function killHost(host: ChildProcess): Promise<void> {
  const exited = once(host, 'exit');
  host.kill('SIGKILL');
  await exited;
}

describe('orphan prevention when the app is SIGKILLed', () => {
  it.each(['sh', 'node'])('cloudflared exits with the app (%s watchdog)', async (watchdog) => {
    const { host, pid } = await startHost({ watchdog, scenario: 'ok', stopGraceMs: 1_000 });
    expect(isAlive(pid)).toBe(true);
    await killHost(host);
    const took = await waitForPidGone(pid, 5_000);
    // A clean cloudflared leaves on the watchdog's SIGTERM, well before its SIGKILL.
    expect(took).toBeLessThan(900);
  });

  it('a cloudflared that ignores SIGTERM is SIGKILLed after the grace', async () => {
    const { host, pid } = await startHost({ watchdog: 'sh', scenario: 'ignore-sigterm', stopGraceMs: 1_000 });
    await killHost(host);
    const took = await waitForPidGone(pid, 5_000);
    expect(took).toBeGreaterThanOrEqual(800);
  });

  it('without the watchdog the same kill would leave cloudflared running', async () => {
    const { host, pid } = await startHost({ watchdog: 'none', scenario: 'ok', stopGraceMs: 1_000 });
    await killHost(host);
    await new Promise((r) => setTimeout(r, 600));
    // The control case: this is what the guard prevents (afterEach cleans it up).
    expect(isAlive(pid) && !isZombie(pid)).toBe(true);
  });
});
