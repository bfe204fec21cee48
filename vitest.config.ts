import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Timeouts are limits for a loaded machine, not expectations: every test waits for a state the
// code reaches (an event, a promise, a hook), never for time, so a passing run is as fast as
// the machine allows and a slow one (CI on 2 busy cores) still passes. They only bound a hang.
export default defineConfig({
  // The lab and the tests import the library by its package name; here that is its source.
  resolve: { alias: { nnlab: fileURLToPath(new URL('./packages/nnlab/src/index.ts', import.meta.url)) } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'lab/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    expect: { poll: { timeout: 120_000 } },
  },
});
