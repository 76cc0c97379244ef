import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from './postgres';

/**
 * One throwaway PostgreSQL server for a test file (test/support/postgres.ts:
 * embedded, or COUNTER_TEST_POSTGRES_URL's), started before its tests and
 * stopped after. Returns a getter, since the server exists only once the
 * hook has run.
 */
export function usePostgres(): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the test PostgreSQL server is not started yet (use it inside a test)');
    return server;
  };
}
