import { defineConfig } from 'vitest/config';

/** Browser tests: the real stack (as the root tests start it) driven through Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    // Bundles the workflows once, exactly as the root test run does.
    globalSetup: ['../test/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
