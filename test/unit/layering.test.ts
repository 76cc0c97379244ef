import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layers hold only while the lint rule that keeps them works: each
// fixture makes one wrong-way import, linted with the project's own config as
// if it stood in the layer it names, and must fail with the boundaries rule.
// A right-way file must pass, so the rule cannot be failing everything.

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/layering');
const eslint = new ESLint({ cwd: ROOT });

async function lintFixture(name: string) {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const as = /^\/\/ lint as: (\S+)/.exec(text)?.[1];
  if (!as) throw new Error(`${name} does not say where to lint it`);
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, as) });
  return result!.messages;
}

const wrongWay = readdirSync(FIXTURES).filter((f) => f.endsWith('.ts') && f !== 'right-way.ts');

describe('the layers, as the linter keeps them', () => {
  it('has a fixture for each wrong way', () => {
    expect(wrongWay.sort()).toEqual([
      'core-imports-electron.ts',
      'renderer-imports-core.ts',
      'renderer-imports-node.ts',
      'shared-imports-core.ts',
      'shared-imports-node.ts',
    ]);
  });

  it.each(wrongWay)('refuses %s', async (name) => {
    const messages = await lintFixture(name);
    const boundary = messages.filter((m) => m.ruleId === 'boundaries/dependencies');
    expect(boundary.length, JSON.stringify(messages)).toBeGreaterThan(0);
    expect(boundary.every((m) => m.severity === 2)).toBe(true);
  });

  it('catches a dynamic import as well as a static one', async () => {
    const messages = await lintFixture('renderer-imports-core.ts');
    expect(messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.line)).toEqual([2, 4]);
  });

  it('lets a right-way file through', async () => {
    expect(await lintFixture('right-way.ts')).toEqual([]);
  });
});
