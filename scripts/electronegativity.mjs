#!/usr/bin/env node
// Runs Doyensec's Electronegativity on Counter's Electron code and fails on
// what must not ship:
// - any HIGH finding;
// - any MEDIUM whose check is not explained in README.md's "Electron security
//   review" subsection (fixed ones disappear from the output; the rest must
//   say there why they are acceptable).
// LOW and INFORMATIONAL findings are listed only.
//
// Offline by design (CI and the developers' machines reach only the npm
// registry): the one check that downloads Electron's release list
// (AvailableSecurityFixesGlobalCheck) is excluded and the Electron version is
// given, so nothing needs the network.
//
// It calls the tool's runner and reads the findings it returns, not a report
// file: the tool writes its CSV header and its rows with two concurrent
// asynchronous writes, which sometimes interleave (a corrupt report failed CI
// once) and could truncate the rows away (a silent pass). The tool also tries to fetch
// translations; offline it prints "Could not retrieve updated translations"
// and uses its bundled English, which is harmless.
//
// The scan covers a staged copy of what ships: electron/ (main, preload,
// core, shared), the renderer's index.html and sources, and package.json (for
// the Electron version check), not tests, benches or the built bundles.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const RUNNER = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'runner.js');
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** The Electron version the app builds with: the installed package's, else the declared range's floor. */
export function electronVersion(root = ROOT) {
  const installed = path.join(root, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')).version;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  const version = /\d+\.\d+\.\d+/.exec(range ?? '')?.[0];
  if (!version) throw new Error('cannot tell the Electron version from package.json');
  return version;
}

/** The findings the tool's runner returns, as rows (paths relative to the scanned folder). */
export function toRows(issues, input) {
  return issues.map((i) => ({
    issue: i.id,
    severity: i.severity?.name,
    confidence: i.confidence?.name,
    filename: path.isAbsolute(i.file) ? path.relative(input, i.file) : i.file,
    location: `${i.location?.line}:${i.location?.column}`,
    sample: i.sample,
    description: i.description,
  }));
}

/** The check ids README.md's "Electron security review" subsection explains. */
export function explainedChecks(readme) {
  const start = readme.search(/^#+ Electron security review\s*$/m);
  if (start < 0) return new Set();
  const rest = readme.slice(start);
  const level = /^(#+)/.exec(rest)[1].length;
  const body = rest.indexOf('\n') + 1;
  // The subsection ends at the next heading of its level or above.
  const end = rest.slice(body).search(new RegExp(`^#{1,${level}} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, body + end);
  return new Set(section.match(/\b[A-Z][A-Z_]+_(?:JS|HTML|JSON|GLOBAL)_CHECK\b/g) ?? []);
}

/** The verdict on a report: what fails the build, and what to list. */
export function judge(rows, explained) {
  const by = (severity) => rows.filter((r) => r.severity === severity);
  const high = by('HIGH');
  const medium = by('MEDIUM');
  const unexplained = medium.filter((r) => !explained.has(r.issue));
  return { high, medium, unexplained, low: by('LOW'), ok: high.length === 0 && unexplained.length === 0 };
}

async function scan() {
  const stage = mkdtempSync(path.join(tmpdir(), 'counter-electronegativity-'));
  try {
    const input = path.join(stage, 'counter');
    cpSync(path.join(ROOT, 'electron'), path.join(input, 'electron'), { recursive: true });
    cpSync(path.join(ROOT, 'renderer', 'index.html'), path.join(input, 'renderer', 'index.html'));
    cpSync(path.join(ROOT, 'renderer', 'src'), path.join(input, 'renderer', 'src'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(input, 'package.json'));
    const run = require(RUNNER);
    const found = await run({
      input,
      customScan: [],
      excludeFromScan: NETWORK_CHECKS.map((c) => c.toLowerCase()),
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion(),
      parserPlugins: [],
    });
    if (!found || !Array.isArray(found.issues)) throw new Error('electronegativity returned no findings list');
    const fatal = (found.errors ?? []).filter((e) => !e.tolerable);
    if (fatal.length) throw new Error(`electronegativity could not parse: ${fatal.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
    return toRows(found.issues, input);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function main() {
  const rows = await scan();
  const explained = explainedChecks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const verdict = judge(rows, explained);
  const line = (r) => `  ${r.issue} ${r.filename}:${r.location}  ${r.description}`;
  console.log(`electronegativity: ${verdict.high.length} HIGH, ${verdict.medium.length} MEDIUM, ${verdict.low.length} LOW (${rows.length} findings)`);
  if (verdict.high.length) console.log(`HIGH (must be fixed):\n${verdict.high.map(line).join('\n')}`);
  if (verdict.medium.length) {
    console.log('MEDIUM:');
    for (const r of verdict.medium) console.log(`${line(r)}${explained.has(r.issue) ? '  [explained in README]' : '  [NOT EXPLAINED]'}`);
  }
  if (verdict.unexplained.length) console.log('Each MEDIUM must be fixed or explained in README.md, "Electron security review".');
  process.exitCode = verdict.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
