/**
 * `npm run preview`: runs Counter's main-process core under plain Node and
 * serves the built renderer to a browser on 127.0.0.1, through a
 * token-protected bridge implementing the preload's API.
 *
 *   npm run preview -- [--data <dir>] [--port <n>]
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bootFailureText } from '../core/app/boot';
import { startPreview } from './start-preview';

const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' } } });
const dataDir = resolve(values.data ?? join(tmpdir(), 'counter-preview'));
const port = values.port ? Number(values.port) : 0;

startPreview({ dataDir, port, rendererDir: resolve(__dirname, '../../out/renderer'), stderr: true })
  .then((preview) => {
    console.log(`Counter preview (data in ${dataDir}, log in ${preview.logDir}):\n${preview.url}`);
    const stop = () => {
      void preview.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(`preview: could not start: ${bootFailureText(error, dataDir)}`);
    process.exit(1);
  });
