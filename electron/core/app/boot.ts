/**
 * Starting Counter, for both hosts (Electron's main process and the browser
 * preview): the log file first, so everything after it is logged, then the
 * core. A failure becomes one clear sentence with the log's path, which the
 * host shows (a dialog, or stderr) before it exits non-zero.
 */
import { CounterError } from './errors';
import { createCounterCore, type CounterCore, type CounterCoreOptions } from './counter-core';
import { logDirOf, openAppLog, type AppLog, type LogLevel } from './logger';
import { securePrivateData } from './private-files';
import { createRedactor, type Redactor } from './redactor';

export interface BootOptions extends Omit<CounterCoreOptions, 'logger' | 'redactor' | 'logFile'> {
  /** Also write the log to stderr (the preview). */
  stderr?: boolean;
  logLevel?: LogLevel;
}

export interface Booted {
  core: CounterCore;
  log: AppLog;
  redactor: Redactor;
  /** Closes the core, then the log. */
  close(): Promise<void>;
}

/** Counter did not start; `logDir` is where the log file is, when one could be opened. */
export class BootError extends CounterError {
  override readonly name = 'BootError';
  constructor(
    code: string,
    message: string,
    readonly logDir: string | null,
    cause?: unknown,
  ) {
    super(code, message, { cause });
  }
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EISDIR']);

export async function bootCounter(options: BootOptions): Promise<Booted> {
  const redactor = createRedactor();
  let log: AppLog;
  let privacyProblems: string[];
  try {
    // Before any file is opened: the data directory 0700 and what an older
    // Counter left readable (0644) tightened to 0600.
    privacyProblems = securePrivateData(options.dataDir);
    log = await openAppLog({ dataDir: options.dataDir, redactor, ...(options.stderr ? { stderr: true } : {}), ...(options.logLevel ? { level: options.logLevel } : {}) });
  } catch (error) {
    throw new BootError('data-dir-unwritable', describeBootFailure(error, options.dataDir), null, error);
  }
  for (const problem of privacyProblems) log.logger.child('boot').warn(problem);
  try {
    const core = await createCounterCore({ ...options, logger: log.logger, redactor, logFile: log.dir });
    return {
      core,
      log,
      redactor,
      async close() {
        await core.close();
        await log.close();
      },
    };
  } catch (error) {
    log.logger.child('boot').error('Counter could not start', { error: (error as Error)?.stack ?? String(error) });
    await log.close();
    throw new BootError(errorCode(error), describeBootFailure(error, options.dataDir), log.dir, error);
  }
}

/**
 * A failure after the core started (the window, the preview's port): logged,
 * the core and the log closed, and the failure returned as a BootError that
 * knows where the log is.
 */
export async function failAfterBoot(booted: Booted, error: unknown, dataDir: string): Promise<BootError> {
  booted.core.logger.child('boot').error('Counter could not start', { error: (error as Error)?.stack ?? String(error) });
  await booted.close().catch(() => {});
  return new BootError(errorCode(error), describeBootFailure(error, dataDir), booted.log.dir, error);
}

function errorCode(error: unknown): string {
  if (error instanceof CounterError) return error.code;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return 'port-in-use';
  if (code && UNWRITABLE.has(code)) return 'data-dir-unwritable';
  return 'boot-failed';
}

/** Why Counter did not start, in words for the shop owner (and for whoever they call). */
export function describeBootFailure(error: unknown, dataDir: string): string {
  // A BootError is a CounterError: its message is already the sentence.
  if (error instanceof CounterError) return error.message;
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE') {
    const port = e.port ?? /:(\d+)$/.exec(e.message ?? '')?.[1];
    return `Another program is already using port ${port ?? '(unknown)'} on this computer. Close it, or start Counter on another port.`;
  }
  if (e?.code && UNWRITABLE.has(e.code)) {
    return `Counter cannot write to its data folder ${dataDir} (${e.code}: ${e.message}). Check that the disk has space and that the folder belongs to you.`;
  }
  return `Counter could not start: ${e?.message ?? String(error)}`;
}

/** The dialog's text: the reason, then where the log is. */
export function bootFailureText(error: unknown, dataDir: string): string {
  const reason = describeBootFailure(error, dataDir);
  const logDir = error instanceof BootError ? error.logDir : null;
  return logDir
    ? `${reason}\n\nThe log file is in ${logDir}.`
    : `${reason}\n\nNo log file could be written (it would be in ${logDirOf(dataDir)}).`;
}
