import { defineConfig } from 'vitest/config';

// The tests generate whole datasets (tens of thousands of records) in their hooks: a few seconds on an idle
// machine, several times that on a loaded CI runner.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 120_000 },
});
