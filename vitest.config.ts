import { configDefaults, defineConfig } from 'vitest/config';

/** The browser tests render what every other test recorded (test/output/block-corpus/), so they run last. */
const BROWSER_TESTS = 'test/browser/**/*.test.ts';

export default defineConfig({
  test: {
    // Both projects inherit these (`extends: true`); a root-level include or globalSetup would be
    // merged into, and run for, every project, so those are set per project.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BROWSER_TESTS],
          // Starts the shared PostgreSQL server and empties the block corpus, once per run.
          globalSetup: ['test/support/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          // After every 'app' file has finished, in the same `vitest run`. A `--sequence.*` flag on
          // the command line replaces each project's whole `sequence`, this included.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
