import { afterEach, describe, expect, it } from 'vitest';
import { findChromium, NO_BROWSER } from '../support/browser';

// `npm install && npm test` on a machine with Node alone: the end-to-end
// tests find a browser by themselves, or stop at once with one line that
// says what to do.

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe('the browser for the end-to-end tests', () => {
  it('takes CHROMIUM_PATH when it is set', async () => {
    process.env.CHROMIUM_PATH = process.execPath;
    await expect(findChromium()).resolves.toEqual({ path: process.execPath, source: 'CHROMIUM_PATH' });
  });

  it('fails at once, in one line that says what to do, when CHROMIUM_PATH names nothing', async () => {
    process.env.CHROMIUM_PATH = '/nowhere/chromium';
    const error = await findChromium().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toBe(`CHROMIUM_PATH is /nowhere/chromium, which does not exist. ${NO_BROWSER}`);
    expect(error?.message).not.toContain('\n');
  });

  it('otherwise finds one on this machine: a system browser or the bundled build', async () => {
    delete process.env.CHROMIUM_PATH;
    const found = await findChromium();
    expect(['system', '@sparticuz/chromium']).toContain(found.source);
  });
});
