// The Electron fuses are flipped at packaging (scripts/after-pack.mjs). The
// Electron binary cannot be downloaded here, so this checks the configuration
// that ships, and runs the real hook with the real @electron/fuses on a
// stand-in binary that carries Electron's fuse wire with its stock values.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations.
import * as afterPackModule from '../../scripts/after-pack.mjs';
import { tempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const hookModule = afterPackModule as {
  default: (context: unknown) => Promise<void>;
  afterPack: (context: unknown) => Promise<void>;
  FUSES: Record<string, boolean>;
  fuseConfig(platform: string): Record<string, unknown>;
  electronBinaryPath(context: unknown): string;
};
const hook = Object.assign((context: unknown) => hookModule.afterPack(context), hookModule);

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off. */
const STOCK_WIRE = '10110001';

function fakeElectron(file: string): void {
  const wire = Buffer.from(STOCK_WIRE, 'latin1');
  writeFileSync(file, Buffer.concat([Buffer.alloc(64, 7), Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, wire.length]), wire, Buffer.alloc(64, 7)]));
}

describe('Electron fuses at packaging', () => {
  it('the table: Node-as-a-binary, NODE_OPTIONS and inspect off; cookie encryption, asar integrity and asar-only on', () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
    const config = hook.fuseConfig('linux');
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    expect(hook.fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
  });

  it('electron-builder.yml runs the hook and packs the app in an asar', () => {
    // electron-builder calls the `afterPack` export (else the default).
    expect(hookModule.default).toBe(hookModule.afterPack);
    // Top-level keys read as text: no YAML parser among the project's dependencies.
    const text = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    const key = (name: string) => new RegExp(`^${name}:\\s*(.*?)\\s*$`, 'm').exec(text)?.[1];
    expect(key('afterPack')).toBe('./scripts/after-pack.mjs');
    expect(key('asar')).toBe('true');
    // No electron-builder fuse settings that could fight the hook.
    expect(key('electronFuses')).toBeUndefined();
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies).toHaveProperty('@electron/fuses');
  });

  it('finds the binary electron-builder produced on each platform', () => {
    const packager = { appInfo: { productFilename: 'Counter' }, executableName: 'counter' };
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(join('/o', 'counter'));
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'Counter.exe'));
    expect(hook.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'Counter.app'));
  });

  it('the hook flips a stock fuse wire to the table', async () => {
    const out = tempDir();
    mkdirSync(out, { recursive: true });
    const binary = join(out, 'counter');
    fakeElectron(binary);
    const before = await getCurrentFuseWire(binary);
    expect(before[FuseV1Options.RunAsNode] as unknown as number).toBe('1'.charCodeAt(0));
    await hook({ appOutDir: out, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Counter' }, executableName: 'counter' } });
    const wire = await getCurrentFuseWire(binary);
    // @electron/fuses stores a fuse as the character '1' (on) or '0' (off).
    const on = (option: FuseV1Options) => (wire[option] as unknown as number) === '1'.charCodeAt(0);
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
  });

  it('a binary without a fuse wire fails the packaging instead of shipping unhardened', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'counter'), 'not electron');
    await expect(hook({ appOutDir: out, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Counter' }, executableName: 'counter' } })).rejects.toThrow(
      /Could not find sentinel/,
    );
  });
});
