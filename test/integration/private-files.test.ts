// The data directory is private: 0700, and the ledger (with its -wal/-shm),
// the sandbox key and the logs 0600, on real files, whatever the umask, and
// an install left at 0644 by an older Counter tightened at the next boot.

import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootCounter, type Booted } from '../../electron/core/app/boot';
import { openAppLog } from '../../electron/core/app/logger';
import { createRedactor } from '../../electron/core/app/redactor';
import { ensurePrivateDir, makePrivate, privateModeFor, securePrivateData } from '../../electron/core/app/private-files';
import { LEDGER_FILE_NAME, openDatabase } from '../../electron/core/ledger/db/open-database';
import { loadOrCreateSandboxKey, SANDBOX_KEY_FILE } from '../../electron/core/sandbox/sandbox-key';
import { tempDir } from '../support/temp-dir';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const quiet = { tunnel: { binary: { envPath: '' } } };

// A permissive umask, as on many desktops: modes must not depend on it.
let umask: number;
beforeEach(() => {
  umask = process.umask(0o002);
});
afterEach(() => {
  process.umask(umask);
});

describe.skipIf(process.platform === 'win32')('private data files', () => {
  let booted: Booted | null = null;
  afterEach(async () => {
    await booted?.close();
    booted = null;
  });

  it('a fresh install: the data folder 0700, ledger, -wal, -shm, key and logs 0600', async () => {
    const dataDir = join(tempDir(), 'Counter');
    booted = await bootCounter({ dataDir, ...quiet });
    const ledger = join(dataDir, LEDGER_FILE_NAME);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'logs'))).toBe(0o700);
    for (const file of [ledger, `${ledger}-wal`, `${ledger}-shm`, join(dataDir, SANDBOX_KEY_FILE)]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    const logs = readdirSync(join(dataDir, 'logs')).filter((f) => /^counter\.\d+\.log$/.test(f));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(modeOf(join(dataDir, 'logs', log))).toBe(0o600);
  });

  it('an older install left at 0755/0644 is tightened at boot, a downloaded cloudflared kept runnable', async () => {
    const dataDir = tempDir();
    // An earlier boot, then everything loosened the way the old code left it.
    booted = await bootCounter({ dataDir, ...quiet });
    await booted.close();
    booted = null;
    mkdirSync(join(dataDir, 'bin'));
    writeFileSync(join(dataDir, 'bin', 'cloudflared'), '#!/bin/sh\n');
    chmodSync(join(dataDir, 'bin', 'cloudflared'), 0o755);
    chmodSync(join(dataDir, 'bin'), 0o755);
    const ledger = join(dataDir, LEDGER_FILE_NAME);
    writeFileSync(`${ledger}-wal`, '');
    const loose = [ledger, `${ledger}-wal`, join(dataDir, SANDBOX_KEY_FILE), ...readdirSync(join(dataDir, 'logs')).filter((f) => f.endsWith('.log') && f !== 'current.log').map((f) => join(dataDir, 'logs', f))];
    for (const file of loose) chmodSync(file, 0o644);
    chmodSync(join(dataDir, 'logs'), 0o755);
    chmodSync(dataDir, 0o755);

    booted = await bootCounter({ dataDir, ...quiet });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'logs'))).toBe(0o700);
    expect(modeOf(join(dataDir, 'bin'))).toBe(0o700);
    for (const file of loose) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    expect(modeOf(join(dataDir, 'bin', 'cloudflared'))).toBe(0o700);
  });

  it('the ledger opened on its own is private too, and an existing 0644 one with its -shm tightened', () => {
    const dir = join(tempDir(), 'nested', 'ledger');
    const db = openDatabase(dir);
    db.close();
    const file = join(dir, LEDGER_FILE_NAME);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-shm`, '');
    chmodSync(`${file}-shm`, 0o644);
    const again = openDatabase(dir);
    again.close();
    expect(modeOf(file)).toBe(0o600);
  });

  it('each writer on its own: the log files (new and rolled) and the sandbox key are created 0600', async () => {
    const dataDir = tempDir();
    const log = await openAppLog({ dataDir, redactor: createRedactor(), maxFileSize: '1k' });
    const logFiles = () => readdirSync(join(dataDir, 'logs')).filter((f) => /^counter\.\d+\.log$/.test(f));
    // pino-roll rolls over once the write has drained: keep writing until it has.
    await expect
      .poll(() => {
        for (let i = 0; i < 20; i++) log.logger.info(`line ${i} ${'x'.repeat(40)}`);
        return logFiles().length;
      })
      .toBeGreaterThan(1);
    await log.close();
    const files = logFiles();
    for (const f of files) expect([f, modeOf(join(dataDir, 'logs', f))]).toEqual([f, 0o600]);
    expect(modeOf(join(dataDir, 'logs'))).toBe(0o700);
    loadOrCreateSandboxKey(dataDir);
    expect(modeOf(join(dataDir, SANDBOX_KEY_FILE))).toBe(0o600);
  });

  it('the helpers: a missing file is skipped, a file where the folder should be is ENOTDIR, symlinks are not followed', () => {
    const dir = tempDir();
    expect(() => makePrivate(join(dir, 'absent-wal'))).not.toThrow();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => ensurePrivateDir(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(privateModeFor(0o100755)).toBe(0o700);
    expect(privateModeFor(0o100644)).toBe(0o600);
    // pino-roll's current.log is a symlink: the walk leaves its target alone.
    const outside = join(tempDir(), 'outside');
    writeFileSync(outside, 'not ours');
    chmodSync(outside, 0o644);
    const data = tempDir();
    symlinkSync(outside, join(data, 'link'));
    expect(securePrivateData(data)).toEqual([]);
    expect(modeOf(outside)).toBe(0o644);
  });

  it('reports, without failing, a file it cannot tighten', () => {
    const data = tempDir();
    const sub = join(data, 'locked');
    mkdirSync(sub);
    writeFileSync(join(sub, 'f'), 'x');
    chmodSync(sub, 0o000);
    try {
      const problems = securePrivateData(data);
      // root may list a 0000 folder: then everything is tightened and nothing reported.
      if (process.getuid?.() === 0) expect(problems).toEqual([]);
      else expect(problems).toEqual([expect.stringMatching(/^cannot list .*locked/)]);
    } finally {
      chmodSync(sub, 0o700);
    }
  });
});
