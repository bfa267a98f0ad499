import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
    environment: 'node',
    // Generous: a timeout catches a hang, not slowness. Two files at a time on CI's two cores
    // slow a test that spawns the CLI over a million-line recording to three times its idle time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is cores - 1: one file at a time on CI's two cores, where most files wait
    // on child processes, brokers and DuckDB; two at a time took the suite from 460 s to 330 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    env: { TZ: 'UTC' },
  },
});
