#!/usr/bin/env node
// better-sqlite3 is a native module, and one build loads in only one runtime:
// plain Node (tests, bench, browser preview) or Electron (npm start, packaging).
// This script makes sure the build in node_modules matches the runtime about
// to start, rebuilding only when it does not. A marker file beside the binary
// records which runtime it was last built for.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: native-abi.mjs node|electron');
  process.exit(2);
}

const moduleDir = dirname(require.resolve('better-sqlite3/package.json'));
const marker = join(moduleDir, 'build', 'counter-runtime.json');
const readMarker = () => (existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : null);
const writeMarker = (runtime) => writeFileSync(marker, JSON.stringify(runtime) + '\n');
const run = (cmd, args) => {
  console.log(`native-abi: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (target === 'node') {
  // Loading it is the only reliable test of the ABI.
  const probe = () =>
    spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { encoding: 'utf8' });
  let result = probe();
  if (result.status !== 0) {
    console.log(`native-abi: better-sqlite3 does not load in Node ${process.version}; rebuilding it for Node`);
    run('npm', ['rebuild', 'better-sqlite3']);
    result = probe();
    if (result.status !== 0) {
      console.error(result.stderr);
      process.exit(1);
    }
  }
  const current = readMarker();
  if (current?.runtime !== 'node' || current.abi !== process.versions.modules) {
    writeMarker({ runtime: 'node', abi: process.versions.modules });
  }
} else {
  const electronVersion = require('electron/package.json').version;
  const current = readMarker();
  if (current?.runtime === 'electron' && current.version === electronVersion) process.exit(0);
  console.log(`native-abi: rebuilding better-sqlite3 for Electron ${electronVersion}`);
  run('npx', ['electron-builder', 'install-app-deps']);
  writeMarker({ runtime: 'electron', version: electronVersion });
}
