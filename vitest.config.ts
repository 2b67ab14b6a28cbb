import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/large/ holds cases too slow or too big for every run (gigabyte archives): `npm run test:large`.
    include: process.env.SPECMAP_LARGE === '1' ? ['test/large/**/*.test.ts'] : ['test/{unit,api,e2e,agent}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every test spawns real git and the built CLI; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
