// electron-builder afterPack hook: flips Electron's fuses in the packaged
// binary, before electron-builder signs it (so the signature covers the
// flipped bytes). Fuses are compiled-in switches read before any app code
// runs, so a hostile environment variable or command-line flag cannot turn
// these features back on in an installed Counter:
//
// - RunAsNode off: ELECTRON_RUN_AS_NODE=1 would make the app binary a plain
//   Node interpreter that runs any script with the app's identity (and, on
//   macOS, its TCC grants). The cloudflared watchdog no longer needs it
//   (electron/core/tunnel/guarded-spawn.ts).
// - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS=--require=evil.js
//   would inject code into the main process.
// - EnableNodeCliInspectArguments off: --inspect / --inspect-brk would open a
//   debugger port into the main process.
// - EnableCookieEncryption on: cookies (the Code button's iframe may set some)
//   are encrypted at rest with the OS keychain.
// - EnableEmbeddedAsarIntegrityValidation on: app.asar is checked against the
//   hash electron-builder embeds (macOS and Windows; Linux has no support),
//   so editing the installed app's code is refused at start.
// - OnlyLoadAppFromAsar on: the app is loaded only from app.asar, never from
//   an app/ folder or a loose default_app that someone drops beside it.
// - LoadBrowserProcessSpecificV8Snapshot off, GrantFileProtocolExtraPrivileges
//   off: the first is unused; the second gave file:// pages privileges that
//   the renderer no longer needs, since it is served from app://.
//
// electron-builder imports this module and calls its `afterPack` export;
// test/unit/electron-fuses.test.ts imports FUSES from here, so the test
// checks the very table that ships.

import path from 'node:path';
// @electron/fuses is CommonJS: its default import is the exports object.
import fuses from '@electron/fuses';

const { flipFuses, FuseV1Options, FuseVersion } = fuses;

/** The fuse table, by name: what the configuration test reads. */
export const FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
});

/** The same table keyed as @electron/fuses expects. */
export function fuseConfig(platform) {
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (FuseV1Options[name] === undefined) throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  // Flipping fuses breaks the ad-hoc signature of an arm64 macOS binary; it
  // is re-signed ad hoc here, then properly by electron-builder when a
  // signing identity is configured.
  config.resetAdHocDarwinSignature = platform === 'darwin' || platform === 'mas';
  return config;
}

/** Where the binary holding the fuse wire is, in electron-builder's output for `context`. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // A packaging that cannot flip the fuses must fail, never ship unhardened.
  const flipped = await flipFuses(binary, fuseConfig(context.electronPlatformName));
  if (flipped < 1) throw new Error(`no fuse wire flipped in ${binary}`);
}

export default afterPack;
