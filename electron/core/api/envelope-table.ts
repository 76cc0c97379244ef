import type { z } from 'zod';
import type { Envelope } from '../../shared/contract';
import { describeIssues } from '../app/errors';
import type { Logger } from '../app/logger';
import type { Redactor } from '../app/redactor';
import { toApiError } from './api-errors';

/**
 * A handler table from argument schemas and implementations: every argument
 * arrives as `unknown` and is validated before anything runs, every answer
 * is an envelope (a thrown error becomes `{ ok: false, error }`), and
 * whatever crosses to a screen passes the redactor, so no answer can show a
 * secret. The till's API and the customer display's both go through it.
 */
export function envelopeTable<M extends string>(
  schemas: Record<M, z.ZodType>,
  impl: Record<M, (args: never) => unknown>,
  options: { redactor: Redactor; log: Logger; label?: string },
): Record<M, (args: unknown) => Promise<Envelope<unknown>>> {
  const { redactor, log } = options;
  const handlers = {} as Record<M, (args: unknown) => Promise<Envelope<unknown>>>;
  for (const method of Object.keys(schemas) as M[]) {
    const name = options.label ? `${options.label} ${method}` : method;
    handlers[method] = async (args: unknown) => {
      const parsed = schemas[method].safeParse(args);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-input', message: `Invalid request to ${method}: ${describeIssues(parsed.error.issues)}` } };
      }
      try {
        const value = await (impl[method] as (a: unknown) => unknown)(parsed.data);
        return { ok: true, value: redactor.value(value) };
      } catch (error) {
        return { ok: false, error: redactor.value(toApiError(name, error, log)) };
      }
    };
  }
  return handlers;
}
