/**
 * The app the fault campaign kills: the real core behind the browser
 * preview's HTTP bridge, as `npm run preview` runs it, on the data directory
 * it is given, with the campaign's fast timings (webhook retries and
 * reconciliation in milliseconds instead of seconds). The campaign runs it as
 * a child process so SIGKILL and SIGSTOP hit a real process.
 *
 *   node --import tsx app-child.ts <dataDir> <rendererDir>
 *
 * Prints one line `READY {"port":…,"token":…}` once the bridge answers.
 * Exits when its stdin closes, so a campaign that dies never leaves it running.
 */
import { startPreview } from '../../../electron/preview/start-preview';

const [dataDir, rendererDir] = process.argv.slice(2);
if (!dataDir || !rendererDir) {
  console.error('usage: app-child.ts <dataDir> <rendererDir>');
  process.exit(2);
}

startPreview({
  dataDir,
  rendererDir,
  logLevel: 'info',
  // No cloudflared at all: sandbox webhooks go to the listener on loopback, so
  // no tunnel is needed, and no grandchild process can outlive a SIGKILL.
  tunnel: { binary: { envPath: '' }, timing: { healthIntervalMs: 60_000 } },
  // Webhook retries at a thousandth of Code's schedule; a stopped listener times out in 1 s.
  sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
  // Status polls every few tens of milliseconds; nothing expires during a campaign,
  // so every open sale is the campaign's to finish.
  reconcilerTiming: {
    tickMs: 25,
    backgroundInitialMs: 40,
    backgroundMaxMs: 200,
    closedMaxMs: 400,
    expireAfterMs: 60 * 60_000,
    lateWindowMs: 2 * 60 * 60_000,
    maxConcurrentPolls: 8,
  },
})
  .then((preview) => {
    process.stdout.write(`READY ${JSON.stringify({ port: preview.port, token: preview.token })}\n`);
    let stopping = false;
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      void preview.close().then(
        () => process.exit(code),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => stop(0));
    process.once('SIGINT', () => stop(0));
    process.stdin.on('end', () => stop(0));
    process.stdin.on('error', () => stop(0));
    process.stdin.resume();
  })
  .catch((error: unknown) => {
    console.error(`app-child: could not start: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  });
