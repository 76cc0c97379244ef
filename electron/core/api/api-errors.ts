import type { ApiError } from '../../shared/contract';
import { CounterError } from '../app/errors';
import type { Logger } from '../app/logger';

/**
 * The one place a failure becomes the envelope's error. A CounterError says
 * what happened in words for the till. Anything else is unexpected: the
 * till is told only what is known (that Counter could not finish, and where
 * the details are), never a guess such as "nothing was charged".
 */
export function toApiError(method: string, error: unknown, log: Logger): ApiError {
  if (error instanceof CounterError) {
    return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  }
  log.error(`${method} failed unexpectedly`, { method, error: (error as Error)?.stack ?? String(error) });
  return {
    code: 'internal',
    message:
      `Counter could not finish this because of an unexpected problem (${(error as Error)?.message ?? 'unknown error'}). ` +
      'Check the sale on screen and the sales log before trying again; the details are in the log file.',
  };
}

/** A call this host cannot serve (a PDF in the browser preview). */
export class HostError extends CounterError {
  override readonly name = 'HostError';
}
