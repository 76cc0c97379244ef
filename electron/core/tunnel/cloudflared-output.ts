// Parses what cloudflared prints, one line at a time.
//
// cloudflared logs through zerolog's ConsoleWriter on stderr (logger/create.go:
// `zerolog.ConsoleWriter{Out: os.Stderr, NoColor: !isTerminal, TimeFormat: time.RFC3339}`,
// UTC timestamps), so with piped stdio every line is
//   `<RFC3339 time> <LVL> <message> <key=value …>`
// with the fields sorted by key, `error` moved first, and string values Go-quoted
// when they hold a space, a quote or a backslash. Errors returned from a
// command action are NOT zerolog lines: urfave/cli prints them bare on stderr
// (cmd/cloudflared/cliutil/errors.go wraps them in cli.Exit(msg, 1)), which is
// how `failed to request quick Tunnel: …` reaches us.

export type { TunnelConnection } from '../../shared/domain/tunnel';
import type { TunnelConnection } from '../../shared/domain/tunnel';

/** Why cloudflared is about to exit, read from its last words. */
export type CloudflaredFailure =
  | 'no-network'
  | 'rate-limited'
  | 'service-error'
  | 'invalid-token';

export type CloudflaredEvent =
  | { kind: 'quick-tunnel-requested' }
  | { kind: 'quick-tunnel-url'; url: string }
  | { kind: 'connection-registered'; connection: TunnelConnection }
  | { kind: 'connection-lost'; connIndex: number; line: string }
  | { kind: 'failure'; failure: CloudflaredFailure; detail: string };

export type CloudflaredLogLine = {
  time: string;
  level: string;
  message: string;
  fields: Record<string, string>;
};

const LOG_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (DBG|INF|WRN|ERR|FTL|PNC|TRC|\?\?\?) ?(.*)$/;
const FIELD = /^([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)$/;

/** Splits a zerolog console line into time, level, message and fields. */
export function parseLogLine(line: string): CloudflaredLogLine | null {
  const head = LOG_LINE.exec(line);
  if (!head) return null;
  const time = head[1] as string;
  const level = head[2] as string;
  const rest = head[3] as string;
  // Fields are a run of ` key=value` tokens at the end; the message is what
  // precedes them (it may itself hold spaces, and box lines hold many).
  const tokens = tokenize(rest);
  let firstField = tokens.length;
  while (firstField > 0 && FIELD.test((tokens[firstField - 1] as Token).text)) firstField -= 1;
  const fields: Record<string, string> = {};
  for (const token of tokens.slice(firstField)) {
    const m = FIELD.exec(token.text) as RegExpExecArray;
    fields[m[1] as string] = unquote(m[2] as string);
  }
  const cut = firstField < tokens.length ? (tokens[firstField] as Token).start : rest.length;
  return { time, level, message: rest.slice(0, cut).trim(), fields };
}

type Token = { text: string; start: number };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i += 1;
      continue;
    }
    const start = i;
    let inQuote = false;
    while (i < s.length && (inQuote || s[i] !== ' ')) {
      if (s[i] === '\\' && inQuote) i += 1;
      else if (s[i] === '"') inQuote = !inQuote;
      i += 1;
    }
    out.push({ text: s.slice(start, i), start });
  }
  return out;
}

function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  try {
    return JSON.parse(v) as string;
  } catch {
    return v.slice(1, -1);
  }
}

const BOX_HEADER = 'Your quick Tunnel has been created!';
const BOX_LINE = /^\|\s*(.*?)\s*\|$/;
const QUICK_URL = /^https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const TRYCLOUDFLARE_URL = /https:\/\/[a-z0-9-]+\.trycloudflare\.com\b/i;

/**
 * A stateful reader: the quick-tunnel URL is the box line right after the
 * "Your quick Tunnel has been created!" line (cmd/cloudflared/tunnel/quick_tunnel.go,
 * AsciiBox(lines, 2)), padded with spaces to the box width. Newer releases
 * print other boxes too (connectivity pre-checks), so the header is what
 * anchors the URL, with a trycloudflare.com match as the fallback.
 */
export function createCloudflaredParser(): { push(line: string): CloudflaredEvent[] } {
  let expectUrl = false;
  return {
    push(raw: string): CloudflaredEvent[] {
      const line = raw.replace(/\r$/, '');
      const parsed = parseLogLine(line);
      if (!parsed) return bareLine(line);
      const { message, fields, level } = parsed;

      const box = BOX_LINE.exec(message);
      if (box) {
        const content = box[1] as string;
        if (content.startsWith(BOX_HEADER)) {
          expectUrl = true;
          return [];
        }
        if (expectUrl && QUICK_URL.test(content)) {
          expectUrl = false;
          return [{ kind: 'quick-tunnel-url', url: content.toLowerCase() }];
        }
        const fallback = TRYCLOUDFLARE_URL.exec(content);
        if (fallback) return [{ kind: 'quick-tunnel-url', url: fallback[0].toLowerCase() }];
        return [];
      }

      if (message.startsWith('Requesting new quick Tunnel')) return [{ kind: 'quick-tunnel-requested' }];

      // connection/observer.go logConnected: connIndex, connection (UUID),
      // event, ip, location, protocol. Releases before 2023 said
      // "Connection <uuid> registered" instead.
      const legacy = /^Connection ([0-9a-f-]{36}) registered$/i.exec(message);
      if (message === 'Registered tunnel connection' || legacy) {
        const connIndex = Number(fields['connIndex']);
        if (!Number.isInteger(connIndex)) return [];
        return [
          {
            kind: 'connection-registered',
            connection: {
              connIndex,
              id: legacy ? (legacy[1] as string) : (fields['connection'] ?? ''),
              location: fields['location'] ?? '',
              ip: fields['ip'] ?? '',
              protocol: fields['protocol'] ?? '',
            },
          },
        ];
      }

      // A connection is gone when cloudflared unregisters it (graceful, from
      // connection/control.go waitForUnregister) or when its serve loop fails and
      // it schedules a retry (supervisor/tunnel.go: "Serve tunnel error",
      // "Retrying connection in up to …", "Connection terminated").
      if (
        message === 'Unregistered tunnel connection' ||
        message === 'Serve tunnel error' ||
        message === 'Connection terminated' ||
        message.startsWith('Retrying connection in up to')
      ) {
        const connIndex = Number(fields['connIndex']);
        if (!Number.isInteger(connIndex)) return [];
        return [{ kind: 'connection-lost', connIndex, line }];
      }

      // The source prints this bare (see bareLine); accept it as a log line
      // too, should a release or a wrapper ever log it through zerolog.
      const quick = /failed to request quick Tunnel: (.*)$/.exec(message);
      if (quick) return [{ kind: 'failure', failure: 'no-network', detail: quick[1] as string }];

      if (message.startsWith('Error unmarshaling QuickTunnel response')) {
        // quick_tunnel.go logs the raw body and the HTTP status; Cloudflare's
        // rate limit answers "error code: 1015" with 429 Too Many Requests.
        const status = fields['status_code'] ?? '';
        const body = message.slice('Error unmarshaling QuickTunnel response:'.length).trim();
        const limited = status.startsWith('429') || /\b1015\b/.test(body);
        const detail = [status, body].filter(Boolean).join(': ');
        return [{ kind: 'failure', failure: limited ? 'rate-limited' : 'service-error', detail }];
      }

      if (level === 'ERR' && /^Unauthorized: /.test(fields['error'] ?? '')) {
        // "Register tunnel error from server side error="Unauthorized: Invalid tunnel secret""
        return [{ kind: 'failure', failure: 'invalid-token', detail: fields['error'] as string }];
      }
      return [];
    },
  };
}

function bareLine(line: string): CloudflaredEvent[] {
  const text = line.trim();
  const quick = /failed to request quick Tunnel: (.*)$/.exec(text);
  if (quick) return [{ kind: 'failure', failure: 'no-network', detail: quick[1] as string }];
  if (/^failed to (read quick-tunnel response|parse quick Tunnel ID|build quick tunnel request)/.test(text)) {
    return [{ kind: 'failure', failure: 'service-error', detail: text }];
  }
  if (text.startsWith('Provided Tunnel token is not valid')) {
    return [{ kind: 'failure', failure: 'invalid-token', detail: text }];
  }
  return [];
}

/** Feeds complete lines from a byte stream; keeps a partial last line until more arrives. */
export function createLineSplitter(onLine: (line: string) => void, maxLineLength = 64 * 1024) {
  let pending = '';
  return {
    write(chunk: string | Buffer): void {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      // A line with no end in sight is cut rather than grown without bound.
      if (pending.length > maxLineLength) {
        onLine(pending.slice(0, maxLineLength));
        pending = '';
      }
    },
    end(): void {
      if (pending.length > 0) onLine(pending.replace(/\r$/, ''));
      pending = '';
    },
  };
}
