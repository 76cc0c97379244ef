import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Only electron/core/rails/ talks to Code: the lint rule that holds the line,
// checked with the project's own config on text linted as if it stood in a
// given file.

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(text: string, as: string) {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, as) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
}

const CLIENT = "import { paymentIntents } from '@code-wallet/client';\nexport const p = paymentIntents;\n";
const INTENTS = "import { PaymentRequestIntent } from '@code-wallet/intents';\nexport const i = PaymentRequestIntent;\n";
const DEEP = "import { Client } from '@code-wallet/client/dist/cjs/client';\nexport const c = Client;\n";

describe('Code’s client stays inside the rails', () => {
  it.each([
    ['the payments service', 'electron/core/payments/payments-service.ts', CLIENT],
    ['the payments service', 'electron/core/payments/payments-service.ts', INTENTS],
    ['the sandbox', 'electron/core/sandbox/sandbox-sequencer.ts', DEEP],
    ['the main process', 'electron/main/index.ts', CLIENT],
    ['the renderer', 'renderer/src/till/use-till.ts', INTENTS],
    ['the bench', 'bench/webhook.ts', CLIENT],
  ])('refuses it in %s (%s)', async (_what, as, text) => {
    const messages = await restricted(text, as);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ severity: 2, message: expect.stringMatching(/Only electron\/core\/rails\/ talks to Code/) });
  });

  it('lets the rails and the tests use it', async () => {
    expect(await restricted(CLIENT + INTENTS.replace('export const i', 'export const j'), 'electron/core/rails/code-rail.ts')).toEqual([]);
    expect(await restricted(CLIENT, 'test/integration/sandbox-sequencer.test.ts')).toEqual([]);
  });
});
