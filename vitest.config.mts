import { defineConfig } from 'vitest/config';

// Projects do not inherit the root config (no `extends`), so the global setup, which may
// install Docker and Chromium on a fresh machine, runs only when integration or e2e tests
// are selected; `vitest run --project unit` never waits for it.
const globalSetup = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/repo/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The files share one Docker engine; one at a time keeps timings and counts stable.
          fileParallelism: false,
          globalSetup,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup,
        },
      },
    ],
  },
});
