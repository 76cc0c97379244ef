// What the tunnel may show and log. The listener's health route carries the
// per-install webhook secret (`/health/<secret>`), and a named tunnel's token
// is a credential for the owner's Cloudflare account: neither may reach a
// published state (the status bar shows its message) or a log line. The
// app's logger redacts known secrets as well; this keeps them out at the
// source, so a message is safe before it reaches any sink.

import type { LogFields, Logger } from '../app/logger';
import { createRedactor } from '../app/redactor';
import type { TunnelState } from './tunnel-state';

/** What a masked path segment becomes: `/health/…`. */
export const PATH_MASK = '…';
/** What a tunnel token becomes. */
export const TOKEN_MASK = '[token]';

/** Path segments shorter than this are words, not secrets: masking them in free text would garble it. */
const MIN_SEGMENT_SECRET = 8;

/**
 * The path as it may be shown: the first segment names the route, every later
 * one is treated as secret (`/health/abc…` → `/health/…`; `/health` stays).
 */
export function maskPath(path: string): string {
  const [head = '', ...rest] = path.replace(/^\/+/, '').split('/');
  return `/${[head, ...rest.map((segment) => (segment ? PATH_MASK : segment))].join('/')}`;
}

export interface TunnelRedactor {
  /** A token from now on masked wherever it appears (every token ever used: late lines of an old run too). */
  addToken(token: string): void;
  /** The text without any token or path secret. */
  text(value: string): string;
  /** The state with its message redacted (the only free text in a state). */
  state(value: TunnelState): TunnelState;
  /** A logger that redacts every message and string field before passing it on. */
  logger(base: Logger): Logger;
}

export function createTunnelRedactor(healthPath: string): TunnelRedactor {
  const tokens = createRedactor([], TOKEN_MASK);
  const shownPath = maskPath(healthPath);
  const pathSecrets = healthPath
    .split('/')
    .slice(2)
    .filter((segment) => segment.length >= MIN_SEGMENT_SECRET);

  const text = (value: string): string => {
    let out = tokens.text(value);
    if (shownPath !== healthPath) out = out.split(healthPath).join(shownPath);
    for (const secret of pathSecrets) out = out.split(secret).join(PATH_MASK);
    return out;
  };

  const fields = (value: LogFields | undefined): LogFields | undefined =>
    value && Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? text(v) : v]));

  const wrap = (base: Logger): Logger => ({
    debug: (message, f) => base.debug(text(message), fields(f)),
    info: (message, f) => base.info(text(message), fields(f)),
    warn: (message, f) => base.warn(text(message), fields(f)),
    error: (message, f) => base.error(text(message), fields(f)),
    child: (module) => wrap(base.child(module)),
  });

  return {
    addToken(token) {
      tokens.add(token);
    },
    text,
    state: (value) => ('message' in value ? { ...value, message: text(value.message) } : value),
    logger: wrap,
  };
}
