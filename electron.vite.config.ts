import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The webhook listener's thread (a worker_threads Worker), loaded by file next to the main bundle.
          'webhook-listener-worker': resolve(__dirname, 'electron/core/webhook/listener-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/preload/index.ts'),
          // The customer display's window has its own preload exposing only its own API.
          customer: resolve(__dirname, 'electron/preload/customer.ts'),
        },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'renderer/index.html'),
          // A second page for the customer display: its bundle holds no cashier code.
          customer: resolve(__dirname, 'renderer/customer.html'),
        },
      },
    },
    plugins: [react()],
  },
});
