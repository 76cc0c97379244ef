import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApiHandlers } from '../core/api/api-handlers';
import { createCounterCore, type CounterCore, type CounterCoreOptions } from '../core/counter-core';
import { startPreviewServer } from './preview-server';

export interface Preview {
  url: string;
  token: string;
  port: number;
  core: CounterCore;
  close(): Promise<void>;
}

/** The core plus the bridge: what `npm run preview` runs, and what the end-to-end tests drive. */
export async function startPreview(options: CounterCoreOptions & { rendererDir: string; port?: number }): Promise<Preview> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${options.rendererDir}; run "npm run build" first`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const core = await createCounterCore({ ...options, log });
  try {
    const server = await startPreviewServer({
      handlers: createApiHandlers(core, log),
      onEvent: core.onEvent,
      rendererDir: options.rendererDir,
      ...(options.port ? { port: options.port } : {}),
      log,
    });
    return {
      url: server.url,
      token: server.token,
      port: server.port,
      core,
      async close() {
        await server.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}
