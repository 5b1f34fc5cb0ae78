import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // index: the Electron shell; cli: the headless `berth` command. Both wire the same core.
        // The workers are entries of their own, started by name (core/workers/worker-script.ts).
        input: {
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          'log-writer-worker': resolve(__dirname, 'src/main/core/workers/log-writer-worker.ts'),
          'log-reader-worker': resolve(__dirname, 'src/main/core/workers/log-reader-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require npm packages: bundle everything into one file.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // Shipped to browsers (and Raspberry Pis) as well as Electron: keep it small.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
