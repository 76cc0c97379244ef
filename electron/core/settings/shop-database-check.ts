import type { ShopDatabaseTest } from '../../shared/domain/shop-database';
import type { Logger } from '../app/logger';
import { ShopDbError } from '../shop-db/errors';
import { connectShopDatabase } from '../shop-db/shop-database';
import { SettingsError, type ShopDatabaseChoice } from './settings-store';

/**
 * Connects to a shop database the owner typed, and says what is there:
 * the Settings screen's "Test connection", and the check before a new one
 * is saved (so a wrong password is refused at the form, not found later in
 * the status bar). Connecting upgrades the schema, as any till's connect
 * does. Failures are a SettingsError keyed by the field to fix: the
 * password when the server refused the login, the URL otherwise.
 */

/** The URL with the password put back, for pg only: never logged, never returned. */
export function urlWithPassword(choice: { url: string; password: string | null }): string {
  if (choice.password === null) return choice.url;
  const u = new URL(choice.url);
  u.password = encodeURIComponent(choice.password);
  return u.toString();
}

export async function checkShopDatabase(
  choice: ShopDatabaseChoice & { url: string },
  options: { logger: Logger; connectTimeoutMs?: number },
): Promise<ShopDatabaseTest> {
  let db: Awaited<ReturnType<typeof connectShopDatabase>>;
  try {
    db = await connectShopDatabase({
      url: urlWithPassword(choice),
      logger: options.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    });
  } catch (error) {
    if (!(error instanceof ShopDbError)) throw error;
    const field = error.code === 'auth-failed' ? 'shopDatabase.password' : 'shopDatabase.url';
    throw new SettingsError({ [field]: error.message });
  }
  try {
    const tills = await db.tills();
    // The URL as saved (no password at all), rather than pg's with "***".
    return { where: choice.url, tls: db.tls, schema: db.migration.to, tills: tills.length };
  } finally {
    await db.close().catch(() => {});
  }
}
