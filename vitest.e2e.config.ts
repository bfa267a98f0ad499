import { defineConfig } from 'vitest/config';

/** Browser tests: real Chromium (Debian's) driven by playwright-core, real Mosquitto. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { TZ: 'UTC' },
  },
});
