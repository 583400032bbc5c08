import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/support/global-setup.ts'],
    // Fails a test that received a response breaking the OpenAPI document (test/support/contract.ts checks them).
    setupFiles: ['test/support/contract-recorder.ts', 'test/support/fast-check-seed.ts'],
  },
});
