/**
 * `npm run bench`: runs every bench section in turn and prints one table per
 * section. `npm run bench -- ledger webhook` runs only the named sections;
 * the ones left out are listed as not run, never dropped silently.
 *
 * To add a section, write `bench/<thing>.ts` exporting
 * `async function benchThing(): Promise<BenchRow[]>` and add one line to
 * SECTIONS. Each is imported only when it runs, so a section that fails to
 * load is reported as failed without taking the others down.
 */
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { formatBytes, formatTable, type BenchSection } from './bench-table';

const SECTIONS: readonly BenchSection[] = [
  { name: 'ledger', title: 'Ledger (SQLite, better-sqlite3)', run: async () => (await import('./ledger')).benchLedger() },
  { name: 'webhook', title: 'Webhook listener', run: async () => (await import('./webhook')).benchWebhook() },
  { name: 'paid', title: 'Webhook to PAID on screen', run: async () => (await import('./paid-event')).benchPaidEvent() },
  { name: 'tunnel', title: 'Tunnel supervisor', run: async () => (await import('./tunnel')).benchTunnel() },
  { name: 'people', title: 'PINs and shifts', run: async () => (await import('./people')).benchPeople() },
  { name: 'sync', title: 'Sync to the shop database (PostgreSQL)', run: async () => (await import('./sync')).benchSync() },
  { name: 'shop', title: "The owner's shop view (PostgreSQL)", run: async () => (await import('./shop-view')).benchShopView() },
];

function header(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    '# Counter benchmarks',
    '',
    `- machine: ${cpu}, ${availableParallelism()} cores, ${formatBytes(totalmem())} RAM, ${platform()} ${release()}`,
    `- runtime: Node ${process.version} (${process.arch})`,
    `- date: ${new Date().toISOString()}`,
    '',
    'These numbers come from this machine, at this moment: other hardware, disks',
    '(fsync cost above all) and background load give other numbers. Compare runs',
    'made on one machine, not numbers from different ones.',
  ].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) {
    console.error(`bench: no section named ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  console.log(header());

  const failed: string[] = [];
  for (const section of SECTIONS) {
    console.log(`\n## ${section.title}\n`);
    if (wanted.length && !wanted.includes(section.name)) {
      console.log(`(not run: only ${wanted.join(', ')} asked for)`);
      continue;
    }
    const started = performance.now();
    try {
      const rows = await section.run();
      console.log(formatTable(rows));
      console.log(`\n(section took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      // One broken section must not hide the others' numbers, nor pass unnoticed.
      failed.push(section.name);
      console.log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  if (failed.length) {
    console.error(`\nbench: ${failed.length} section(s) failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
