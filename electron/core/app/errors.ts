/** Zod's issues in one line for the person reading them: "amount: must be a whole number; currency: …". */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * The one error base of the core. Every failure the core expects carries a
 * kebab-case `code` for programs and a `message` written for the person at
 * the till; the API maps it to the envelope in one place (api/api-errors.ts).
 * Anything that is not a CounterError is unexpected, and is reported as such.
 */
export class CounterError extends Error {
  override readonly name: string = 'CounterError';
  /** Per-field messages for forms. */
  readonly fields?: Record<string, string>;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; fields?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(code)) throw new TypeError(`error codes are kebab-case, got ${JSON.stringify(code)}`);
    if (options?.fields) this.fields = options.fields;
  }
}
