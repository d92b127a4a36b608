import { defineConfig } from 'vitest/config';

// End-to-end tests: they run the real `keywatch` command in child processes, so they get more time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts', 'unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
