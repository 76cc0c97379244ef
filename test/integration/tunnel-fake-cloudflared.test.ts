// Keeps the stand-in honest: its output and exit behaviour must match what
// the real cloudflared prints (lines copied from real logs), so tests that
// pass against it say something about the real binary.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createCloudflaredParser, parseLogLine } from '../../electron/core/tunnel/cloudflared-output';
import { FAKE_CLOUDFLARED } from '../support/cloudflared-harness';

// Real lines, cloudflared 2025.10.0.
const REAL_BORDER = '+--------------------------------------------------------------------------------------------+';
const REAL_HEADER = '|  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |';
const REAL_DISCLAIMER =
  'Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps';
const ZEROLOG = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z (INF|WRN|ERR) /;

type Run = { stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null };

function run(
  args: string[],
  opts: { env?: Record<string, string>; until?: RegExp; then?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(FAKE_CLOUDFLARED, args, {
      env: { PATH: process.env['PATH'] ?? '', FAKE_CLOUDFLARED_URL_DELAY_MS: '0', FAKE_CLOUDFLARED_CONNECT_DELAY_MS: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (opts.until && opts.then && !signalled && opts.until.test(stderr)) {
        signalled = true;
        child.kill(opts.then);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stand-in did not finish: ${stderr}`));
    }, opts.timeoutMs ?? 5_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('the cloudflared stand-in', () => {
  it('prints a quick tunnel run line for line like cloudflared, and shuts down cleanly on SIGTERM', async () => {
    const r = await run(['tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:8080'], {
      until: /Registered tunnel connection/,
      then: 'SIGTERM',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = lines(r.stderr);
    for (const line of out) expect(line).toMatch(ZEROLOG);
    const messages = out.map((l) => parseLogLine(l)?.message);
    expect(messages[0]).toBe(REAL_DISCLAIMER);
    expect(messages[1]).toBe('Requesting new quick Tunnel on trycloudflare.com...');
    expect(messages.slice(2, 6)).toEqual([REAL_BORDER, REAL_HEADER, expect.stringMatching(/^\| {2}https:\/\/[a-z-]+\.trycloudflare\.com +\|$/), REAL_BORDER]);
    // The URL line is padded to the box width.
    expect(messages[4]?.length).toBe(REAL_HEADER.length);
    expect(out.find((l) => l.includes('Settings: map['))).toMatch(/Settings: map\[ha-connections:1 no-autoupdate:true protocol:quic url:http:\/\/127\.0\.0\.1:8080\]$/);
    expect(out.find((l) => l.includes('Registered tunnel connection'))).toMatch(
      /INF Registered tunnel connection connIndex=0 connection=[0-9a-f-]{36} event=0 ip=198\.41\.200\.193 location=ams08 protocol=quic$/,
    );
    expect(out.slice(-3).map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'INF Initiating graceful shutdown due to signal terminated ...',
      'ERR failed to run the datagram handler error="context canceled" connIndex=0 event=0 ip=198.41.200.193',
      'INF Unregistered tunnel connection connIndex=0 event=0 ip=198.41.200.193',
    ]);
    const parser = createCloudflaredParser();
    const kinds = out.flatMap((l) => parser.push(l)).map((e) => e.kind);
    expect(kinds).toEqual(['quick-tunnel-requested', 'quick-tunnel-url', 'connection-registered', 'connection-lost']);
  });

  it('fails without a network the way cloudflared does: a bare error line and exit status 1', async () => {
    const r = await run(['tunnel', '--url', 'http://127.0.0.1:8080'], { env: { FAKE_CLOUDFLARED_SCENARIO: 'no-network' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toBe(
      'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
    );
  });

  it('fails on the rate limit with the ERR line and exit status 1', async () => {
    const r = await run(['tunnel', '--url', 'http://127.0.0.1:8080'], { env: { FAKE_CLOUDFLARED_SCENARIO: 'rate-limited' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr).slice(-2)).toEqual([
      expect.stringMatching(
        /^\S+Z ERR Error unmarshaling QuickTunnel response: error code: 1015 error="invalid character 'e' looking for beginning of value" status_code="429 Too Many Requests"$/,
      ),
      "failed to unmarshal quick Tunnel: invalid character 'e' looking for beginning of value",
    ]);
  });

  it('dies of the signal when stopped before its server runs', async () => {
    const r = await run(['tunnel', '--url', 'http://127.0.0.1:8080'], {
      env: { FAKE_CLOUDFLARED_URL_DELAY_MS: '2000' },
      until: /Requesting new quick Tunnel/,
      then: 'SIGTERM',
    });
    expect(r.signal).toBe('SIGTERM');
  });

  it('panics with exit status 2 in the crash scenario', async () => {
    const r = await run(['tunnel', '--url', 'http://127.0.0.1:8080'], {
      env: { FAKE_CLOUDFLARED_SCENARIO: 'crash', FAKE_CLOUDFLARED_EVENT_AFTER_MS: '10' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
  });

  it('runs a named tunnel from TUNNEL_TOKEN or --token with four connections', async () => {
    const token = Buffer.from(JSON.stringify({ a: 'acct', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0' })).toString('base64');
    for (const [args, env] of [
      [['tunnel', '--no-autoupdate', 'run'], { TUNNEL_TOKEN: token }],
      [['tunnel', 'run', '--token', token], {}],
    ] as const) {
      const r = await run([...args], { env: { ...env }, until: /connIndex=3 connection=/, then: 'SIGINT' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/INF Starting tunnel tunnelID=6ff42ae2-765d-4adf-8112-31c55c1551ef\n/);
      expect(r.stderr.match(/Registered tunnel connection/g)).toHaveLength(4);
      expect(r.stderr).toContain('Initiating graceful shutdown due to signal interrupt ...');
      expect(r.stderr).not.toContain(token);
    }
  });

  it('rejects argv the way cloudflared does', async () => {
    const unknownFlag = await run(['tunnel', '--bogus', '--url', 'http://127.0.0.1:1']);
    expect(unknownFlag.code).toBe(0);
    expect(unknownFlag.stdout).toMatch(/^Incorrect Usage: flag provided but not defined: -bogus\n/);

    const missingValue = await run(['tunnel', '--url']);
    expect(missingValue.stdout).toMatch(/^Incorrect Usage: flag needs an argument: -url\n/);

    const nothingToDo = await run(['tunnel']);
    expect(nothingToDo.code).toBe(1);
    expect(nothingToDo.stderr).toMatch(/^You did not specify any valid additional argument to the cloudflared tunnel command\./);

    const noToken = await run(['tunnel', 'run']);
    expect(noToken.code).toBe(255);
    expect(noToken.stderr).toContain(`"cloudflared tunnel run" requires the ID or name of the tunnel`);

    const badToken = await run(['tunnel', 'run', '--token', 'not-a-token']);
    expect(badToken.code).toBe(255);
    expect(badToken.stderr).toBe("Provided Tunnel token is not valid.\nSee 'cloudflared tunnel run --help'.\n");

    const version = await run(['--version']);
    expect(version.stdout).toMatch(/^cloudflared version \d{4}\.\d+\.\d+ /);
  });
});
