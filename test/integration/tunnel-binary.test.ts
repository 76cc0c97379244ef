// Finding cloudflared, and downloading it when it is missing. The download
// tests run the real downloader against the real (here: closed) network and
// against a local HTTP server serving a stand-in binary, with a pinned
// release table injected whose hash matches (or not) the stand-in.

import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryCandidates, findCloudflaredBinary, pathCandidateProblem, searchCloudflaredBinary } from '../../electron/core/tunnel/find-binary';
import { BinaryInstallError, CLOUDFLARED_RELEASE, installCloudflared, type InstallProgress, type PinnedRelease } from '../../electron/core/tunnel/install-binary';
import { createTunnelSupervisor } from '../../electron/core/tunnel/tunnel-supervisor';
import { FAKE_CLOUDFLARED, isOffline, isOnline, recordStates, sleep, tempDir, waitForState } from '../support/cloudflared-harness';
import { memoryLogger } from '../support/memory-logger';

let tmp: { dir: string; remove: () => void };
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** A script: what the configured, bundled and installed paths may be (the stand-in is one). */
function executable(rel: string, mode = 0o755, text = '#!/bin/sh\nexit 0\n'): string {
  const file = path.join(tmp.dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

/** A real native program (a copy of `true`, or of node itself), as cloudflared on PATH must be. */
const NATIVE_SOURCE = existsSync('/bin/true') ? '/bin/true' : process.execPath;
function nativeExecutable(rel: string): string {
  const file = path.join(tmp.dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(NATIVE_SOURCE, file);
  chmodSync(file, 0o755);
  return file;
}

/** What `npm install cloudflared` puts in node_modules/.bin: a symlink to the package's Node launcher. */
function npmLauncher(project: string, ranMarker?: string): string {
  const launcher = executable(
    path.join(project, 'node_modules/cloudflared/lib/cloudflared.js'),
    0o755,
    // Like the real one when the package's binary is absent: nothing to run, exit 0.
    `#!/bin/sh\n${ranMarker ? `echo ran >> '${ranMarker}'\n` : ''}exit 0\n`,
  );
  const bin = path.join(tmp.dir, project, 'node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(path.relative(bin, launcher), path.join(bin, 'cloudflared'));
  return bin;
}

describe('finding the binary', () => {
  it('prefers the bundled copy, then the configured path, then a downloaded one, then PATH', () => {
    const bundled = executable('resources/cloudflared');
    const configured = executable('configured/cloudflared');
    const installed = executable('installed/cloudflared');
    const onPath = nativeExecutable('bin/cloudflared');
    const envPath = path.join(tmp.dir, 'bin');
    expect(findCloudflaredBinary({ bundledPath: bundled, configuredPath: configured, installedPath: installed, envPath })).toEqual({
      path: bundled,
      source: 'bundled',
    });
    expect(findCloudflaredBinary({ configuredPath: configured, installedPath: installed, envPath })?.source).toBe('configured');
    expect(findCloudflaredBinary({ installedPath: installed, envPath })?.source).toBe('installed');
    expect(findCloudflaredBinary({ envPath })).toEqual({ path: onPath, source: 'path' });
  });

  it('skips paths that are missing, not executable, or directories', () => {
    const notExecutable = executable('plain/cloudflared', 0o644);
    mkdirSync(path.join(tmp.dir, 'dir/cloudflared'), { recursive: true });
    const onPath = nativeExecutable('bin/cloudflared');
    expect(
      findCloudflaredBinary({
        bundledPath: path.join(tmp.dir, 'missing/cloudflared'),
        configuredPath: notExecutable,
        installedPath: path.join(tmp.dir, 'dir/cloudflared'),
        envPath: path.join(tmp.dir, 'bin'),
      }),
    ).toEqual({ path: onPath, source: 'path' });
  });

  it('never takes a binary from a relative or empty PATH entry', () => {
    executable('cloudflared');
    expect(findCloudflaredBinary({ envPath: `::.:${path.relative(process.cwd(), tmp.dir)}` })).toBeNull();
  });

  it("passes over npm's launcher in node_modules/.bin and takes the native cloudflared later on PATH", () => {
    const launcherBin = npmLauncher('project');
    const native = nativeExecutable('usr/local/bin/cloudflared');
    const logger = memoryLogger();
    const { found, skipped } = searchCloudflaredBinary({ envPath: `${launcherBin}:${path.dirname(native)}`, logger });
    expect(found).toEqual({ path: native, source: 'path' });
    expect(skipped).toEqual([{ path: path.join(launcherBin, 'cloudflared'), why: expect.stringMatching(/node_modules/) }]);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^find-binary: skipped .*node_modules\/\.bin\/cloudflared on PATH: it is inside a node_modules folder/));
  });

  it('takes nothing on PATH inside node_modules, even a native program, nor any script', () => {
    const nativeInNodeModules = nativeExecutable('project/node_modules/.bin/cloudflared');
    const script = executable('scripts/cloudflared', 0o755, '#!/usr/bin/env node\nprocess.exit(0)\n');
    const junk = executable('junk/cloudflared', 0o755, 'echo not a program\n');
    const envPath = [nativeInNodeModules, script, junk].map((f) => path.dirname(f)).join(':');
    const { found, skipped } = searchCloudflaredBinary({ envPath });
    expect(found).toBeNull();
    expect(skipped.map((s) => [s.path, s.why])).toEqual([
      [nativeInNodeModules, expect.stringMatching(/inside a node_modules folder/)],
      [script, 'it is a script, not the cloudflared program'],
      [junk, 'it is not a native executable'],
    ]);
  });

  it('follows a PATH symlink into node_modules (a global npm install) and passes it over', () => {
    const launcherBin = npmLauncher('global/lib');
    const link = path.join(tmp.dir, 'global/bin/cloudflared');
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(launcherBin, 'cloudflared'), link);
    expect(pathCandidateProblem(link)).toMatch(/node_modules/);
    expect(findCloudflaredBinary({ envPath: path.dirname(link) })).toBeNull();
  });

  it('recognises native executables by their first bytes: ELF, Mach-O, PE', () => {
    const magics: Array<[string, number[]]> = [
      ['elf', [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]],
      ['macho64', [0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]],
      ['fat', [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]],
      ['pe', [0x4d, 0x5a, 0x90, 0x00]],
    ];
    for (const [name, bytes] of magics) {
      const file = path.join(tmp.dir, name, 'cloudflared');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(bytes));
      chmodSync(file, 0o755);
      expect(pathCandidateProblem(file), name).toBeNull();
    }
  });

  it('keeps taking a script at a configured path (the stand-in is one)', () => {
    expect(findCloudflaredBinary({ configuredPath: FAKE_CLOUDFLARED, envPath: '' })).toEqual({ path: FAKE_CLOUDFLARED, source: 'configured' });
  });

  it('looks for cloudflared.exe with PATHEXT on Windows', () => {
    const candidates = binaryCandidates({ envPath: 'C:\\tools;relative', platform: 'win32', pathExt: '.COM;.EXE' });
    expect(candidates.map((c) => c.path)).toEqual(['C:\\tools\\cloudflared.com', 'C:\\tools\\cloudflared.exe']);
  });
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const KEY = `${process.platform}-${process.arch}`;
/** A pinned table for this machine whose one asset is `url` with `hash`. */
const pinnedTo = (url: string, hash: string, archive?: 'tgz'): PinnedRelease => ({
  version: '2099.1.0',
  assets: { [KEY]: { url, sha256: hash, ...(archive ? { archive } : {}) } },
});
const ANY = 'https://example.invalid/cloudflared';

describe('downloading the binary', () => {
  it('fails offline with a clear error within its deadline and leaves nothing behind', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const progress: InstallProgress[] = [];
    const t0 = performance.now();
    const err = await installCloudflared(dir, (p) => progress.push(p), { timeoutMs: 3_000 }).then(
      () => null,
      (e: unknown) => e,
    );
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(BinaryInstallError);
    const e = err as BinaryInstallError;
    // Offline, DNS fails at once; a network that swallows packets hits the deadline instead.
    expect(['install-download-failed', 'install-timeout']).toContain(e.code);
    expect(e.message).toMatch(/^(Could not download cloudflared: .+\. No internet connection\?|Downloading cloudflared did not finish within 3 s\. Check the internet connection and try again\.)$/);
    expect(took).toBeLessThan(3_500);
    expect(readdirSync(dir)).toEqual([]);
    expect(progress.every((p) => p.received === 0)).toBe(true);
  });

  it('gives up at the deadline when the download hangs, and deletes a file that arrives later', async () => {
    const dir = path.join(tmp.dir, 'bin');
    let wrote: string | null = null;
    const slow = (_url: string, to: string) =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          writeFileSync(to, 'late');
          wrote = to;
          resolve(to);
        }, 300),
      );
    // The "download" would succeed at 300 ms: a timeout error proves the deadline won.
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 100, installer: slow, release: pinnedTo(ANY, sha256('late')) })).rejects.toMatchObject({
      name: 'BinaryInstallError',
      code: 'install-timeout',
      message: 'Downloading cloudflared did not finish within 100 ms. Check the internet connection and try again.',
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(wrote).not.toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports progress while the file grows and puts an executable in place', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const progress: InstallProgress[] = [];
    // Stands in for the network only: writes the file the way a download does, in chunks.
    const chunked = async (_url: string, to: string) => {
      for (let i = 1; i <= 4; i += 1) {
        writeFileSync(to, Buffer.alloc(i * 1_000));
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    const release = pinnedTo(ANY, sha256(Buffer.alloc(4_000)));
    const result = await installCloudflared(dir, (p) => progress.push(p), { timeoutMs: 5_000, installer: chunked, release, pollMs: 10 });
    expect(result).toBe(path.join(dir, 'cloudflared'));
    expect(statSync(result).mode & 0o111).not.toBe(0);
    const sizes = progress.map((p) => p.received);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(new Set(sizes).size).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ received: 4_000, total: 4_000 });
    expect(readdirSync(dir)).toEqual(['cloudflared']);
  });

  it('the supervisor reports binary-missing, and never runs it, when PATH holds only npm\'s launcher', async () => {
    const ran = path.join(tmp.dir, 'launcher-ran');
    const launcherBin = npmLauncher('project', ran);
    const sup = createTunnelSupervisor({
      mode: { kind: 'quick' },
      localPort: 8080,
      healthPath: '/health',
      binary: { envPath: launcherBin },
      backoff: { initialMs: 10, maxMs: 20, jitter: 0 },
    });
    const { states } = recordStates(sup);
    sup.start();
    const offline = await waitForState(sup, isOffline('binary-missing'));
    expect(offline).toMatchObject({ message: expect.stringContaining(`Passed over ${path.join(launcherBin, 'cloudflared')}`) });
    expect(offline).not.toHaveProperty('retryAt');
    await sleep(200);
    // No crash loop: one state change, no process started.
    expect(states.map((s) => s.status)).toEqual(['offline']);
    expect(sup.pid()).toBeNull();
    expect(existsSync(ran)).toBe(false);
    await sup.stop();
  });

  it('the supervisor stays on "binary missing" when the download fails offline', async () => {
    const sup = createTunnelSupervisor({
      mode: { kind: 'quick' },
      localPort: 8080,
      healthPath: '/health',
      binary: { configuredPath: path.join(tmp.dir, 'nope', 'cloudflared'), envPath: '' },
      timing: { installTimeoutMs: 3_000 },
    });
    sup.start();
    await waitForState(sup, isOffline('binary-missing'));
    await expect(sup.installBinary(path.join(tmp.dir, 'bin'), () => {})).rejects.toBeInstanceOf(BinaryInstallError);
    expect(sup.state()).toMatchObject({ status: 'offline', reason: 'binary-missing' });
    await sup.stop();
  });

  it('the supervisor starts the tunnel as soon as the binary is installed', async () => {
    const sup = createTunnelSupervisor({
      mode: { kind: 'quick' },
      localPort: 8080,
      healthPath: '/health',
      binary: { configuredPath: path.join(tmp.dir, 'nope', 'cloudflared'), envPath: '' },
      timing: { installTimeoutMs: 3_000, healthIntervalMs: 1e9 },
      // Stands in for the network only: "downloads" the stand-in.
      installer: async (_url, to) => {
        copyFileSync(FAKE_CLOUDFLARED, to);
      },
      release: pinnedTo(ANY, sha256(readFileSync(FAKE_CLOUDFLARED))),
    });
    sup.start();
    await waitForState(sup, isOffline('binary-missing'));
    const installed = await sup.installBinary(path.join(tmp.dir, 'bin'), () => {});
    expect(installed).toBe(path.join(tmp.dir, 'bin', 'cloudflared'));
    await waitForState(sup, isOnline);
    await sup.stop();
  });
});

describe('the pinned, checked download (a local HTTP server stands in for GitHub)', () => {
  let server: Server;
  let base: string;
  let served: Buffer;
  let requests: string[];
  beforeEach(async () => {
    served = readFileSync(FAKE_CLOUDFLARED);
    requests = [];
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      // Like GitHub: the release URL redirects to the file's storage host.
      if (req.url === '/releases/download/cloudflared') return void res.writeHead(302, { location: '/storage/cloudflared' }).end();
      if (req.url === '/storage/cloudflared') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
      if (req.url === '/storage/cloudflared.tgz') return void res.writeHead(200).end(served);
      if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads through the redirect, checks the hash, and only then makes the file executable (0700)', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const installed = await installCloudflared(dir, () => {}, { timeoutMs: 5_000, release: pinnedTo(`${base}/releases/download/cloudflared`, sha256(served)) });
    expect(installed).toBe(path.join(dir, 'cloudflared'));
    expect(readFileSync(installed)).toEqual(served);
    expect(statSync(installed).mode & 0o777).toBe(0o700);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['cloudflared']);
    expect(requests).toEqual(['/releases/download/cloudflared', '/storage/cloudflared']);
  });

  it('a file that does not match the published hash is deleted, never made executable, and the error says so', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const wrong = sha256('something else');
    const err = await installCloudflared(dir, () => {}, { timeoutMs: 5_000, release: pinnedTo(`${base}/releases/download/cloudflared`, wrong) }).then(
      () => null,
      (e: unknown) => e as BinaryInstallError,
    );
    expect(err).toBeInstanceOf(BinaryInstallError);
    expect(err!.code).toBe('install-checksum-mismatch');
    expect(err!.message).toBe(
      `The downloaded cloudflared 2099.1.0 is not the file Cloudflare published (SHA-256 ${sha256(served)}, expected ${wrong}); it was deleted and not run. ` +
        'The download may have been altered on the way: try again on another network, or install cloudflared by hand.',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a tampered file in place of a good one is caught the same way', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const release = pinnedTo(`${base}/storage/cloudflared`, sha256(served));
    served = Buffer.concat([served, Buffer.from('\n// one more line\n')]);
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 5_000, release })).rejects.toMatchObject({ code: 'install-checksum-mismatch' });
    expect(existsSync(path.join(dir, 'cloudflared'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an HTTP error, a redirect loop and a refused connection fail clearly and leave nothing', async () => {
    const dir = path.join(tmp.dir, 'bin');
    const hash = sha256(served);
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 5_000, release: pinnedTo(`${base}/missing`, hash) })).rejects.toMatchObject({
      code: 'install-download-failed',
      message: 'Could not download cloudflared: HTTP response with status code: 404.',
    });
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 5_000, release: pinnedTo(`${base}/loop`, hash) })).rejects.toMatchObject({
      code: 'install-download-failed',
      message: 'Could not download cloudflared: too many redirects.',
    });
    // Port 1: nothing listens there.
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 5_000, release: pinnedTo('http://127.0.0.1:1/cloudflared', hash) })).rejects.toMatchObject({
      code: 'install-download-failed',
      message: expect.stringMatching(/ECONNREFUSED.*No internet connection\?$/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a platform with no pinned hash instead of downloading it unchecked', async () => {
    const dir = path.join(tmp.dir, 'bin');
    await expect(installCloudflared(dir, () => {}, { timeoutMs: 5_000, platform: 'win32', arch: 'x64', release: pinnedTo(`${base}/storage/cloudflared`, sha256(served)) })).rejects.toMatchObject({
      code: 'install-unsupported',
      message: 'Counter has no verified cloudflared 2099.1.0 download for win32-x64. Install cloudflared from Cloudflare and set its path in Settings.',
    });
    expect(requests).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('unpacks a verified macOS archive (the hash is of the archive)', async () => {
    const { execFileSync } = await import('node:child_process');
    const src = path.join(tmp.dir, 'src');
    mkdirSync(src);
    copyFileSync(FAKE_CLOUDFLARED, path.join(src, 'cloudflared'));
    const tgz = path.join(tmp.dir, 'cloudflared.tgz');
    execFileSync('tar', ['-czf', tgz, '-C', src, 'cloudflared']);
    served = readFileSync(tgz);
    const dir = path.join(tmp.dir, 'bin');
    const installed = await installCloudflared(dir, () => {}, {
      timeoutMs: 5_000,
      platform: 'darwin',
      release: { version: 'x', assets: { [`darwin-${process.arch}`]: { url: `${base}/storage/cloudflared.tgz`, sha256: sha256(served), archive: 'tgz' } } },
    });
    expect(readFileSync(installed)).toEqual(readFileSync(FAKE_CLOUDFLARED));
    expect(readdirSync(dir)).toEqual(['cloudflared']);
  });

  it('the shipped table pins one version, with a well-formed SHA-256 and a github release URL per asset', () => {
    expect(CLOUDFLARED_RELEASE.version).toMatch(/^\d{4}\.\d+\.\d+$/);
    const assets = Object.entries(CLOUDFLARED_RELEASE.assets);
    expect(assets.length).toBeGreaterThan(0);
    for (const [key, a] of assets) {
      expect(key).toMatch(/^(linux|darwin|win32)-(x64|ia32|arm|arm64)$/);
      expect(a!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(a!.url).toMatch(new RegExp(`^https://github\\.com/cloudflare/cloudflared/releases/download/${CLOUDFLARED_RELEASE.version.replace(/\./g, '\\.')}/cloudflared-`));
      expect(a!.archive === 'tgz').toBe(key.startsWith('darwin-'));
    }
  });
});
