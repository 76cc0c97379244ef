/**
 * The app's life, from the single-instance lock to a graceful quit, written
 * against the slices of Electron's `app` and `dialog` it uses, so it runs
 * under plain Node in tests with stand-ins. A failure to start (a ledger
 * written by a newer Counter, a data folder that cannot be written, a port in
 * use) shows a dialog with the reason and the log's path, and exits non-zero.
 */
import { bootCounter, bootFailureText, failAfterBoot, type Booted, type BootOptions } from '../core/app/boot';

export interface AppLike {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  on(event: 'second-instance' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code: number): void;
}

export interface DialogLike {
  showErrorBox(title: string, content: string): void;
}

export interface CounterAppOptions {
  app: AppLike;
  dialog: DialogLike;
  /** Read once the app is ready (Electron's paths are known by then). */
  bootOptions: () => BootOptions;
  /** Opens the window and serves the API; called once the core runs. */
  onBooted: (booted: Booted) => void | Promise<void>;
  /** A second launch: bring the window forward. */
  onSecondInstance: () => void;
  /** Where problems go when there is no log file (stderr in the app). */
  report?: (text: string) => void;
}

export type CounterAppOutcome = 'running' | 'second-instance' | 'failed';

export async function runCounterApp(options: CounterAppOptions): Promise<CounterAppOutcome> {
  const { app, dialog } = options;
  const report = options.report ?? ((text: string) => console.error(text));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return 'second-instance';
  }
  app.on('second-instance', options.onSecondInstance);

  let booted: Booted | null = null;
  let dataDir = '';
  try {
    await app.whenReady();
    const bootOptions = options.bootOptions();
    dataDir = bootOptions.dataDir;
    booted = await bootCounter(bootOptions);
    await options.onBooted(booted);
  } catch (caught) {
    const error = booted ? await failAfterBoot(booted, caught, dataDir) : caught;
    const text = bootFailureText(error, dataDir);
    report(`counter: could not start: ${text}`);
    dialog.showErrorBox('Counter could not start', text);
    app.exit(1);
    return 'failed';
  }

  const running = booted;
  app.on('window-all-closed', () => app.quit());
  // Graceful quit: stop the tunnel, the listener and the sandbox, close the ledger, then the log.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void running.close().finally(() => app.quit());
  });
  return 'running';
}
