/**
 * Keeps secrets (the webhook path secret, a named tunnel's token, the
 * preview's token) out of every log line and off every screen: the logger
 * passes each line through it, and the API passes every answer and pushed
 * event through it, so a message that quotes a URL or a command line cannot
 * leak one. The set grows as secrets appear (a new tunnel token).
 */
export const REDACTED = '[redacted]';

/** Shorter strings would match by accident inside ordinary text. */
const MIN_SECRET_LENGTH = 12;

export interface Redactor {
  add(secret: string | null | undefined): void;
  /** The text with every known secret replaced. */
  text(value: string): string;
  /** A JSON-safe value with every string in it redacted (the API's answers and events). */
  value<T>(value: T): T;
}

/** `mask` is what a secret becomes (the tunnel's own messages say `[token]`). */
export function createRedactor(initial: Array<string | null | undefined> = [], mask = REDACTED): Redactor {
  const secrets = new Set<string>();
  let pattern: RegExp | null = null;
  const add = (secret: string | null | undefined) => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
    secrets.add(secret);
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...secrets].sort((a, b) => b.length - a.length);
    pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  };
  for (const secret of initial) add(secret);
  const text = (value: string) => (pattern && value.length >= MIN_SECRET_LENGTH ? value.replace(pattern, mask) : value);
  const redactDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(redactDeep);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
    }
    return value;
  };
  return {
    add,
    text,
    value: <T>(value: T): T => (pattern ? (redactDeep(value) as T) : value),
  };
}
