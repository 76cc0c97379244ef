// The cloudflared watchdog never relies on the app binary running as Node
// (the RunAsNode fuse is off in a packaged Counter): which program guards
// cloudflared on each platform, and that nothing in the app sets
// ELECTRON_RUN_AS_NODE. The real sh and node watchdogs are exercised with
// SIGKILLed hosts in test/integration/tunnel-orphans.test.ts.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchdogCommand } from '../../electron/core/tunnel/guarded-spawn';

const ROOT = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx|mjs|cjs|js)$/.test(name) ? [path] : [];
  });
}

describe('the cloudflared watchdog', () => {
  it('is /bin/sh on POSIX and PowerShell on Windows, never the app binary, in Electron or not', () => {
    for (const inElectron of [true, false]) {
      expect(watchdogCommand('auto', 42, 5_000, { platform: 'linux', inElectron, hasSh: true })).toMatchObject({ file: '/bin/sh', args: expect.arrayContaining(['42', '5']) });
      expect(watchdogCommand('auto', 42, 5_000, { platform: 'darwin', inElectron, hasSh: true })?.file).toBe('/bin/sh');
      const win = watchdogCommand('auto', 42, 5_000, { platform: 'win32', inElectron });
      expect(win?.file).toBe('powershell.exe');
      expect(win?.args.at(-1)).toBe('42');
      expect(win?.args.join(' ')).toMatch(/ReadToEnd\(\).*taskkill\.exe \/PID \$args\[0\] \/T \/F/);
    }
  });

  it('the Node one-liner runs only where process.execPath is Node, not inside Electron', () => {
    expect(watchdogCommand('node', 42, 2_000, { platform: 'linux', inElectron: false })).toMatchObject({ file: process.execPath, args: ['-e', expect.any(String), '42', '2000'] });
    expect(watchdogCommand('node', 42, 2_000, { platform: 'win32', inElectron: true })).toBeNull();
    // A POSIX system without /bin/sh inside Electron: no watchdog rather than a second app.
    expect(watchdogCommand('auto', 42, 2_000, { platform: 'linux', inElectron: true, hasSh: false })).toBeNull();
    expect(watchdogCommand('none', 42, 2_000, { platform: 'linux', inElectron: false })).toBeNull();
  });

  it('nothing in the app sets ELECTRON_RUN_AS_NODE', () => {
    const offenders = sources(join(ROOT, 'electron')).filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => line.includes('ELECTRON_RUN_AS_NODE') && !line.trim().startsWith('//')),
    );
    expect(offenders).toEqual([]);
  });
});
