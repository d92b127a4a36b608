// Integration tests against a real Kafka broker and a real Elasticsearch node (see infra/README.md).
//   bash infra/with-services.sh bash ../scripts/node24.sh vitest run --config vitest.integration.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts'],
    globalSetup: ['integration/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The files share one broker and one node; running them one at a time keeps a 2-core machine responsive.
    fileParallelism: false,
    // kafkajs 2.2.4 passes negative timeouts to setTimeout (tulios/kafkajs#1751); Node 24 warns on every connection.
    execArgv: ['--disable-warning=TimeoutNegativeWarning'],
  },
});
