import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE_NAME } from '../../electron/core/ledger/db/open-database';
import { runCounterApp, type AppLike, type DialogLike } from '../../electron/main/boot';
import type { Booted } from '../../electron/core/app/boot';
import { tempDir } from '../support/temp-dir';

// The app's start and quit, through main/boot.ts with stand-ins for
// Electron's `app` and `dialog` (the Electron binary cannot run here) and
// the real core on real files: a start-up failure must reach the shop owner
// as a dialog with the reason and the log's path, and end the process
// with a non-zero exit code.

const ROOT = resolve(__dirname, '../..');

interface StandIn {
  app: AppLike;
  dialog: DialogLike;
  calls: string[];
  errorBoxes: Array<{ title: string; content: string }>;
  exitCode: number | null;
  listeners: Map<string, Array<(event?: { preventDefault(): void }) => void>>;
  quits: number;
}

function standIn(options: { lock?: boolean } = {}): StandIn {
  const s: StandIn = {
    calls: [],
    errorBoxes: [],
    exitCode: null,
    listeners: new Map(),
    quits: 0,
    app: undefined as unknown as AppLike,
    dialog: { showErrorBox: (title, content) => void s.errorBoxes.push({ title, content }) },
  };
  s.app = {
    requestSingleInstanceLock: () => options.lock ?? true,
    whenReady: async () => {
      s.calls.push('whenReady');
    },
    on: (event: string, listener: (event?: { preventDefault(): void }) => void) => {
      s.listeners.set(event, [...(s.listeners.get(event) ?? []), listener]);
      return s.app;
    },
    quit: () => {
      s.quits += 1;
    },
    exit: (code: number) => {
      s.exitCode = code;
    },
  } as AppLike;
  return s;
}

const quiet = { tunnel: { binary: { envPath: '' } } };
let running: Booted | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('starting the app', () => {
  it('starts the core, opens the log in the data folder and quits gracefully', async () => {
    const dataDir = tempDir();
    const s = standIn();
    let booted: Booted | null = null;
    const outcome = await runCounterApp({
      app: s.app,
      dialog: s.dialog,
      bootOptions: () => ({ dataDir, ...quiet }),
      onBooted: (b) => {
        booted = b;
        running = b;
      },
      onSecondInstance: () => {},
      report: () => {},
    });
    expect(outcome).toBe('running');
    expect(s.errorBoxes).toEqual([]);
    expect(booted!.core.status()).toMatchObject({ mode: 'sandbox', logFile: join(dataDir, 'logs') });
    const logged = readFileSync(join(dataDir, 'logs', 'current.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { module?: string; msg: string });
    expect(logged).toContainEqual(expect.objectContaining({ module: 'counter-core', msg: 'started' }));

    // Quit: the first before-quit is held until the core has closed, then quit goes on.
    let prevented = false;
    for (const listener of s.listeners.get('before-quit') ?? []) listener({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => s.quits).toBe(1);
    running = null;
    expect(readFileSync(join(dataDir, 'logs', 'current.log'), 'utf8')).toContain('"msg":"stopped"');
  });

  it('leaves a second launch to the first one', async () => {
    const s = standIn({ lock: false });
    const outcome = await runCounterApp({
      app: s.app,
      dialog: s.dialog,
      bootOptions: () => ({ dataDir: tempDir(), ...quiet }),
      onBooted: () => {
        throw new Error('must not boot');
      },
      onSecondInstance: () => {},
    });
    expect(outcome).toBe('second-instance');
    expect(s.quits).toBe(1);
    expect(s.calls).toEqual([]);
  });

  it('refuses a ledger written by a newer Counter with a dialog naming the reason and the log, exits 1, and leaves the file as it was', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, LEDGER_FILE_NAME);
    const db = new Database(file);
    db.exec('CREATE TABLE future (x); PRAGMA user_version = 9999;');
    db.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const s = standIn();
    const reported: string[] = [];
    const outcome = await runCounterApp({
      app: s.app,
      dialog: s.dialog,
      bootOptions: () => ({ dataDir, ...quiet }),
      onBooted: () => {
        throw new Error('must not boot');
      },
      onSecondInstance: () => {},
      report: (text) => reported.push(text),
    });
    expect(outcome).toBe('failed');
    expect(s.exitCode).toBe(1);
    expect(s.errorBoxes).toHaveLength(1);
    expect(s.errorBoxes[0]!.title).toBe('Counter could not start');
    expect(s.errorBoxes[0]!.content).toMatch(/written by a newer version of Counter/);
    expect(s.errorBoxes[0]!.content).toContain(`The log file is in ${join(dataDir, 'logs')}.`);
    expect(reported.join('\n')).toMatch(/newer version/);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    // The reason is in the log too, for the support call.
    expect(readFileSync(join(dataDir, 'logs', 'current.log'), 'utf8')).toMatch(/newer version of Counter/);
  });

  it('says so when the data folder cannot be written', async () => {
    // A data "folder" that is a file: nothing can be created inside it, even as root.
    const parent = tempDir();
    const dataDir = join(parent, 'not-a-folder');
    writeFileSync(dataDir, 'a file where the data folder should be');
    const s = standIn();
    const outcome = await runCounterApp({
      app: s.app,
      dialog: s.dialog,
      bootOptions: () => ({ dataDir, ...quiet }),
      onBooted: () => {},
      onSecondInstance: () => {},
      report: () => {},
    });
    expect(outcome).toBe('failed');
    expect(s.exitCode).toBe(1);
    expect(s.errorBoxes[0]!.content).toMatch(new RegExp(`Counter cannot write to its data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(ENOTDIR`));
    expect(s.errorBoxes[0]!.content).toContain('No log file could be written');
  });

  it('closes what it started when the window cannot open, and reports it', async () => {
    const dataDir = tempDir();
    const s = standIn();
    const outcome = await runCounterApp({
      app: s.app,
      dialog: s.dialog,
      bootOptions: () => ({ dataDir, ...quiet }),
      onBooted: () => {
        throw new Error('no display');
      },
      onSecondInstance: () => {},
      report: () => {},
    });
    expect(outcome).toBe('failed');
    expect(s.exitCode).toBe(1);
    expect(s.errorBoxes[0]!.content).toMatch(/^Counter could not start: no display/);
    // The core was closed: a second start on the same folder works.
    const again = standIn();
    expect(
      await runCounterApp({
        app: again.app,
        dialog: again.dialog,
        bootOptions: () => ({ dataDir, ...quiet }),
        onBooted: (b) => void (running = b),
        onSecondInstance: () => {},
      }),
    ).toBe('running');
    expect(readdirSync(join(dataDir, 'logs')).some((f) => /^counter\.\d+\.log$/.test(f))).toBe(true);
  });
});

describe('starting the preview', () => {
  let blocker: Server | null = null;
  afterEach(() => {
    blocker?.close();
    blocker = null;
  });

  it('exits 1 with the reason and the log path when its port is taken', async () => {
    blocker = createServer();
    await new Promise<void>((ok) => blocker!.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = tempDir();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'electron/preview/main.ts'), '--data', dataDir, '--port', String(port)],
        { cwd: ROOT, env: { ...process.env, PATH: '' }, timeout: 60_000 },
        (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    const lastLine = result.stderr.trim().split('\n').slice(-3).join('\n');
    expect(lastLine).toContain(`preview: could not start: Another program is already using port ${port} on this computer.`);
    expect(lastLine).toContain(`The log file is in ${join(dataDir, 'logs')}.`);
  });
});
