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
// given with -e, so nothing needs the network. The tool also tries to fetch
// translations; offline it prints "Could not retrieve updated translations"
// and uses its bundled English, which is harmless.
//
// The scan covers a staged copy of what ships: electron/ (main, preload,
// core, shared), the renderer's index.html and sources, and package.json (for
// the Electron version check), not tests, benches or the built bundles.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const BIN = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
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

/** Rows of Electronegativity's CSV report (its header has spaces after the commas). */
export function parseReport(csv) {
  return parse(csv, { columns: (header) => header.map((h) => h.trim()), skip_empty_lines: true, relax_column_count: true, trim: true });
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
    const report = path.join(stage, 'report.csv');
    const args = [BIN, '-i', input, '-o', report, '-r', '-v', 'false', '-x', NETWORK_CHECKS.join(','), '-e', electronVersion()];
    try {
      await promisify(execFile)(process.execPath, args, { cwd: stage, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LANG: 'en' } });
    } catch (error) {
      throw new Error(`electronegativity failed: ${error.stderr || error.message}`, { cause: error });
    }
    if (!existsSync(report)) throw new Error('electronegativity wrote no report');
    return parseReport(readFileSync(report, 'utf8'));
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
