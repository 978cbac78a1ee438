import { defineConfig } from 'vitest/config';

/**
 * `npm run fuzz`: the property-based tests of test/fuzz with 100 000 generated inputs per property (set
 * HEDUI_FUZZ_RUNS to change it). `npm test` runs the same files with a few hundred each. Files run one after
 * another so the run does not crowd out everything else on the machine; it takes about an hour.
 */
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 4 * 60 * 60 * 1000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    env: { HEDUI_FUZZ_RUNS: process.env.HEDUI_FUZZ_RUNS ?? '100000' },
  },
});
