import { defineConfig } from 'vitest/config';

// One worker, shared module state: the database is opened and migrated once per run (PGlite in memory,
// or a uniquely named PostgreSQL database when TEST_DATABASE_URL is set), and tests isolate by data.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll's default of 1 s is shorter than a page's round trip on a loaded 2-core machine (CI runs the PGlite
    // and PostgreSQL suites side by side, D158): a poll without its own timeout waits up to 15 s
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
