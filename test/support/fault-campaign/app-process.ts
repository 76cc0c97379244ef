/**
 * The fault campaign's handle on the app: one child process running the real
 * core behind the preview's HTTP bridge (app-child.ts, bundled once with
 * esbuild so a restart takes about 0.3 s instead of tsx's 1.1 s), restarted
 * on the same data directory after every SIGKILL, frozen with SIGSTOP and
 * thawed with SIGCONT, and called over HTTP with its token.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ApiMethod, ApiResults, Envelope } from '../../../electron/shared/contract';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = join(ROOT, 'test', 'support', 'fault-campaign', 'app-child.ts');
const LISTENER_WORKER = join(ROOT, 'electron', 'core', 'webhook', 'listener-worker.ts');
// Inside the repository so the bundle's bare imports (better-sqlite3, pino …) resolve to node_modules.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'counter-fault-campaign');

/** How to start the app: node's arguments before the data and renderer folders, and what to remove afterwards. */
export interface AppCommand {
  args: string[];
  cleanup(): void;
}

/**
 * app-child.ts bundled with esbuild, every package left external (the native
 * better-sqlite3 must be), and the webhook listener's worker bundled next to
 * it under the name the listener looks for beside its bundle (as in the built
 * app). `tsx: true` runs the TypeScript source through tsx instead: the same
 * code, about 0.8 s slower per restart (COUNTER_FAULT_TSX=1, for when the
 * bundle cannot be built).
 */
export async function appChildCommand(options: { tsx?: boolean } = {}): Promise<AppCommand> {
  if (options.tsx) return { args: ['--import', 'tsx', ENTRY], cleanup: () => undefined };
  const dir = join(BUNDLE_DIR, String(process.pid));
  const common = { bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' } as const;
  const outfile = join(dir, 'app-child.cjs');
  await build({ ...common, entryPoints: [ENTRY], outfile });
  if (existsSync(LISTENER_WORKER)) await build({ ...common, entryPoints: [LISTENER_WORKER], outfile: join(dir, 'webhook-listener-worker.js') });
  return { args: [outfile], cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A renderer folder with only an index.html: the bridge insists on one, and the campaign needs no screen. */
export function stubRenderer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fault campaign</title>\n');
  return dir;
}

/** An API answer, or `down` when the process died (or was killed) before answering: the call may or may not have happened. */
export type Answer<M extends ApiMethod> = Envelope<ApiResults[M]> | { ok: false; down: true; error: { code: 'down'; message: string } };

export interface AppProcessOptions {
  command: AppCommand;
  dataDir: string;
  rendererDir: string;
  /** How long one API call may take before it counts as `down` (a frozen process answers late, not never). */
  callTimeoutMs?: number;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  token: string;
  exited: Promise<void>;
  /** Bumped per start, so an answer from a killed run is told apart. */
  generation: number;
}

export class AppProcess {
  kills = 0;
  freezes = 0;
  restarts = 0;
  private running: Running | null = null;
  /** Resolves when the app is up (again); replaced while it is down. */
  private up: Promise<Running>;
  private generation = 0;
  private faulting: Promise<void> | null = null;
  private stderr = '';

  private constructor(private readonly options: AppProcessOptions) {
    this.up = Promise.reject(new Error('not started'));
    this.up.catch(() => undefined);
  }

  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const app = new AppProcess(options);
    app.up = app.spawnOnce();
    await app.up;
    return app;
  }

  /** The last lines the child wrote to stderr (for a failure message). */
  stderrTail(): string {
    return this.stderr.slice(-4_000);
  }

  isUp(): boolean {
    return this.running !== null;
  }

  private spawnOnce(): Promise<Running> {
    const generation = ++this.generation;
    const child = spawn(process.execPath, [...this.options.command.args, this.options.dataDir, this.options.rendererDir], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-16_000);
    });
    child.stdin.on('error', () => undefined);
    return new Promise<Running>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const line = /^READY (\{.*\})$/m.exec(out);
        if (!line) return;
        child.stdout.off('data', onData);
        child.stdout.resume();
        const { port, token } = JSON.parse(line[1]!) as { port: number; token: string };
        const running: Running = { child, port, token, exited, generation };
        this.running = running;
        resolve(running);
      };
      child.stdout.on('data', onData);
      void exited.then(() => {
        if (this.running?.child === child) this.running = null;
        reject(new Error(`the app exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${this.stderrTail()}`));
      });
    });
  }

  /** Waits for any fault in progress (a restart, a thaw) to finish. */
  async settled(): Promise<void> {
    while (this.faulting) await this.faulting;
  }

  /**
   * The running app once no other fault is in progress, or null when it is
   * down. The caller must start its fault before its next await: between
   * this answer and the caller's `this.faulting = …` nothing else runs.
   */
  private async claim(): Promise<Running | null> {
    for (;;) {
      await this.settled();
      if (!this.faulting) return this.running;
    }
  }

  private occupy(fault: Promise<unknown>): Promise<void> {
    const done: Promise<void> = fault.then(
      () => undefined,
      () => undefined,
    );
    this.faulting = done;
    void done.then(() => {
      if (this.faulting === done) this.faulting = null;
    });
    return done;
  }

  /** SIGKILL, then a restart on the same data directory, once any fault in progress is over. */
  async kill(): Promise<void> {
    const run = await this.claim();
    if (!run) return;
    this.kills++;
    this.running = null;
    const restarted = (async () => {
      run.child.kill('SIGKILL');
      await run.exited;
      return this.spawnOnce();
    })();
    // Calls made while the app is down wait for the restart.
    this.up = restarted;
    await this.occupy(restarted.then(() => this.restarts++));
    await restarted; // a restart that failed fails the campaign
  }

  /** SIGSTOP for `ms`, then SIGCONT (once any fault in progress is over): the process keeps its sockets, so calls answer late. */
  async freeze(ms: number): Promise<void> {
    const run = await this.claim();
    if (!run) return;
    this.freezes++;
    run.child.kill('SIGSTOP');
    await this.occupy(
      new Promise((resolve) => setTimeout(resolve, ms)).then(() => {
        run.child.kill('SIGCONT');
      }),
    );
  }

  /** Starts the app again if it is down (the settle phase). */
  async ensureUp(): Promise<void> {
    await this.settled();
    if (this.running) return;
    this.up = this.spawnOnce();
    await this.up;
    this.restarts++;
  }

  /** Graceful stop (SIGTERM: the core closes the ledger and the sandbox file). */
  async stop(): Promise<void> {
    await this.settled();
    const run = this.running;
    if (!run) return;
    this.running = null;
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    await run.exited;
    clearTimeout(timer);
  }

  /** One API call through the preview's bridge; `down` when the process died or was killed first. */
  async call<M extends ApiMethod>(method: M, args?: unknown): Promise<Answer<M>> {
    const run = await this.up;
    try {
      const res = await fetch(`http://127.0.0.1:${run.port}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-counter-token': run.token },
        body: JSON.stringify(args === undefined ? {} : { args }),
        signal: AbortSignal.timeout(this.options.callTimeoutMs ?? 15_000),
      });
      const body = (await res.json()) as Envelope<ApiResults[M]>;
      if (res.status !== 200 && body.ok !== false) throw new Error(`HTTP ${res.status}`);
      return body;
    } catch (error) {
      return { ok: false, down: true, error: { code: 'down', message: `${method}: ${(error as Error).message} (run ${run.generation})` } };
    }
  }
}
