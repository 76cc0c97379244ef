// scripts/electronegativity.mjs: how it reads the tool's findings and what
// fails the build (any HIGH; a MEDIUM not explained in the README). The tool
// itself runs in CI as `npm run electronegativity`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations.
import { electronVersion, explainedChecks, judge, toRows } from '../../scripts/electronegativity.mjs';

const ROOT = resolve(__dirname, '../..');
const INPUT = '/tmp/stage/counter';
const finding = (id: string, severity: string, file: string, line: number, column: number, sample: string, description: string) => ({
  id,
  severity: { name: severity },
  confidence: { name: 'FIRM' },
  file,
  location: { line, column },
  sample,
  description,
});
const ISSUES = [
  finding('CSP_GLOBAL_CHECK', 'LOW', 'renderer/index.html', 6, 0, "default-src 'self', with, commas", 'CSP found'),
  finding('PRELOAD_JS_CHECK', 'MEDIUM', `${INPUT}/electron/main/index.ts`, 52, 6, "preload: join(__dirname, '../preload/index.js'),", 'Review the use of preload scripts'),
  finding('NODE_INTEGRATION_JS_CHECK', 'HIGH', 'electron/main/index.ts', 40, 1, 'nodeIntegration: true', 'Disable nodeIntegration'),
];

describe('the electronegativity gate', () => {
  it("turns the runner's findings into rows, with paths relative to the scanned folder", () => {
    const rows = toRows(ISSUES, INPUT);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ issue: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', filename: 'electron/main/index.ts', location: '52:6' });
    expect(rows[0].sample).toBe("default-src 'self', with, commas");
  });

  it('fails on a HIGH, and on a MEDIUM the README does not explain', () => {
    const rows = toRows(ISSUES, INPUT) as Array<{ severity: string }>;
    expect(judge(rows, new Set(['PRELOAD_JS_CHECK']))).toMatchObject({ ok: false, high: [expect.anything()], unexplained: [] });
    const noHigh = rows.filter((r) => r.severity !== 'HIGH');
    expect(judge(noHigh, new Set())).toMatchObject({ ok: false, unexplained: [expect.objectContaining({ issue: 'PRELOAD_JS_CHECK' })] });
    expect(judge(noHigh, new Set(['PRELOAD_JS_CHECK']))).toMatchObject({ ok: true, low: [expect.anything()] });
  });

  it('reads the explained checks from the README subsection only', () => {
    const readme = '# X\n\n## A\nOPEN_EXTERNAL_JS_CHECK outside\n### Electron security review\n- `PRELOAD_JS_CHECK`: why\n#### deeper\nDANGEROUS_FUNCTIONS_JS_CHECK\n### Next\nAUXCLICK_JS_CHECK\n';
    expect([...explainedChecks(readme)].sort()).toEqual(['DANGEROUS_FUNCTIONS_JS_CHECK', 'PRELOAD_JS_CHECK']);
    expect(explainedChecks('# nothing here').size).toBe(0);
    // The real README has the subsection, explaining at least the preload and openExternal findings.
    const real = explainedChecks(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
    expect(real.has('PRELOAD_JS_CHECK') && real.has('OPEN_EXTERNAL_JS_CHECK')).toBe(true);
  });

  it('knows the Electron version without the network', () => {
    expect(electronVersion(ROOT)).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
