import type { z } from 'zod';
import type { Envelope } from '../../shared/contract';
import { describeIssues } from '../app/errors';
import type { Logger } from '../app/logger';
import type { Redactor } from '../app/redactor';
import { toApiError } from './api-errors';
import type { CallContext } from './call-context';

/**
 * A handler table from argument schemas and implementations: every argument
 * arrives as `unknown` and is validated before anything runs, every answer
 * is an envelope (a thrown error becomes `{ ok: false, error }`), and
 * whatever crosses to a screen passes the redactor, so no answer can show a
 * secret. The till's API and the customer display's both go through it;
 * the till's also has a guard: who may call what (api/access-guard.ts).
 */
export function envelopeTable<M extends string>(
  schemas: Record<M, z.ZodType>,
  impl: Record<M, (args: never, ctx: CallContext) => unknown>,
  options: {
    redactor: Redactor;
    log: Logger;
    label?: string;
    /** Runs before anything else (before the arguments are read): who calls, or a throw that refuses the call. */
    guard?: (method: M) => CallContext | Promise<CallContext>;
    /**
     * Methods whose answer is a secret on purpose, shown to whom the guard
     * lets through: not redacted. Each one says why where it is listed.
     */
    reveals?: readonly M[];
  },
): Record<M, (args: unknown) => Promise<Envelope<unknown>>> {
  const { redactor, log } = options;
  const handlers = {} as Record<M, (args: unknown) => Promise<Envelope<unknown>>>;
  for (const method of Object.keys(schemas) as M[]) {
    const name = options.label ? `${options.label} ${method}` : method;
    handlers[method] = async (args: unknown) => {
      let ctx: CallContext = { actor: null };
      try {
        if (options.guard) ctx = await options.guard(method);
      } catch (error) {
        return { ok: false, error: redactor.value(toApiError(name, error, log)) };
      }
      const parsed = schemas[method].safeParse(args);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-input', message: `Invalid request to ${method}: ${describeIssues(parsed.error.issues)}` } };
      }
      try {
        const value = await (impl[method] as (a: unknown, c: CallContext) => unknown)(parsed.data, ctx);
        return { ok: true, value: options.reveals?.includes(method) ? value : redactor.value(value) };
      } catch (error) {
        return { ok: false, error: redactor.value(toApiError(name, error, log)) };
      }
    };
  }
  return handlers;
}
