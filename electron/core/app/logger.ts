/**
 * The levelled logger every core module writes to, with the module as a
 * field. In the app and the preview it is pino writing JSON lines to a
 * rotating file in the data directory (and to stderr in the preview), each
 * line passed through the redactor first. Modules take a `Logger` and call
 * `.child('<module>')`; tests pass their own.
 */
import { join } from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files';
import type { Redactor } from './redactor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `module`. */
  child(module: string): Logger;
}

const noop = () => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => silentLogger };

/** Adapts pino's (fields, message) order to the core's (message, fields). */
function fromPino(base: pino.Logger): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      try {
        if (fields) base[level](fields, message);
        else base[level](message);
      } catch {
        // A full disk or a closed stream must never break a sale.
      }
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (module) => fromPino(base.child({ module })),
  };
}

/** The log folder inside a data directory. */
export const logDirOf = (dataDir: string) => join(dataDir, 'logs');

export interface AppLog {
  logger: Logger;
  /** The folder holding the log files (counter.N.log, and current.log pointing at the newest). */
  dir: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export interface AppLogOptions {
  dataDir: string;
  redactor: Redactor;
  /** Also write every line to stderr (the preview). */
  stderr?: boolean;
  level?: LogLevel;
  /** Size at which the file rolls over; five files are kept besides the current one. */
  maxFileSize?: string;
}

/**
 * Opens the rotating log file. Throws when the data directory cannot be
 * written: the boot path reports that like any other start-up failure.
 */
export async function openAppLog(options: AppLogOptions): Promise<AppLog> {
  const dir = logDirOf(options.dataDir);
  ensurePrivateDir(dir);
  const file = await pinoRoll({
    file: join(dir, 'counter'),
    extension: '.log',
    size: options.maxFileSize ?? '5m',
    limit: { count: 5, removeOtherLogFiles: true },
    // Windows needs a privilege for symlinks; the numbered files are enough there.
    symlink: process.platform !== 'win32',
    // Written at once, not buffered: the lines before a crash are the ones a support call needs.
    sync: true,
    // Passed through to sonic-boom's open(): each new and rolled file is
    // created 0600 (lines may name sales and amounts).
    mode: PRIVATE_FILE_MODE,
  } as Parameters<typeof pinoRoll>[0]);
  const sink = {
    write(line: string) {
      const safe = options.redactor.text(line);
      file.write(safe);
      if (options.stderr) process.stderr.write(safe);
    },
  };
  const base = pino({ level: options.level ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, sink);
  let closed: Promise<void> | null = null;
  return {
    logger: fromPino(base),
    dir,
    close() {
      closed ??= new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
      return closed;
    },
  };
}
