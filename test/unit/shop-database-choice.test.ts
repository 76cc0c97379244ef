import { describe, expect, it } from 'vitest';
import { resolveShopDatabase } from '../../electron/core/settings/settings-store';

// Which password goes with a shop database address: the one typed, one
// written inline, or the saved one, and the saved one only for the very
// database it was saved for, so it is never sent to another server.

const SAVED_URL = 'postgres://till@127.0.0.1:5432/shop';
const saved = { url: SAVED_URL, password: () => 'saved-secret-password' };

describe('the shop database password that goes with an address', () => {
  it('a typed password wins; one written inline is moved out of the address', () => {
    expect(resolveShopDatabase({ url: SAVED_URL, password: 'typed-password' }, saved)).toEqual({ url: SAVED_URL, password: 'typed-password' });
    expect(resolveShopDatabase({ url: 'postgres://till:inline-pw@127.0.0.1:5432/shop' }, saved)).toEqual({ url: SAVED_URL, password: 'inline-pw' });
  });

  it('left out (or empty), the saved password serves the database it was saved for', () => {
    expect(resolveShopDatabase({ url: SAVED_URL }, saved)).toEqual({ url: SAVED_URL, password: 'saved-secret-password' });
    expect(resolveShopDatabase({ url: SAVED_URL, password: '' }, saved)).toEqual({ url: SAVED_URL, password: 'saved-secret-password' });
  });

  it.each([
    ['another host', 'postgres://till@10.0.0.9:5432/shop?sslmode=require'],
    ['another port', 'postgres://till@127.0.0.1:5433/shop'],
    ['another user', 'postgres://owner@127.0.0.1:5432/shop'],
    ['another database', 'postgres://till@127.0.0.1:5432/other'],
  ])('is never sent to %s', (_what, url) => {
    expect(resolveShopDatabase({ url }, saved).password).toBeNull();
  });

  it('no address is no shop database, and no password', () => {
    expect(resolveShopDatabase({ url: null }, saved)).toEqual({ url: null, password: null });
    expect(resolveShopDatabase({ url: '  ' }, saved)).toEqual({ url: null, password: null });
  });

  it('an address Counter cannot use is refused by field', () => {
    expect(() => resolveShopDatabase({ url: 'mysql://till@127.0.0.1/shop' }, saved)).toThrow(/postgres/);
  });
});
