// Vitest globalSetup for the integration tests: finds a Kafka broker and an Elasticsearch node and hands their
// addresses to the tests (inject('kafkaBrokers'), inject('elasticsearchUrl')). Never skips: no server, no run.
import type { TestProject } from 'vitest/node';
import { dockerEngineAvailable, startContainers } from './containers.ts';
import { addressesFromEnv, noServiceError } from './service-addresses.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    elasticsearchUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { found, missing } = addressesFromEnv(process.env);
  let stopContainers = async () => {};
  if (missing.length > 0) {
    if (!(await dockerEngineAvailable())) throw noServiceError(missing);
    const started = await startContainers(missing);
    Object.assign(found, started.addresses);
    stopContainers = started.stop;
  }
  const { kafkaBrokers, elasticsearchUrl } = found;
  if (!kafkaBrokers || !elasticsearchUrl) throw noServiceError(missing);
  project.provide('kafkaBrokers', kafkaBrokers);
  project.provide('elasticsearchUrl', elasticsearchUrl);
  // Also in the environment, for code under test that reads its configuration from there.
  process.env.KAFKA_BROKERS = kafkaBrokers;
  process.env.ELASTICSEARCH_URL = elasticsearchUrl;
  return stopContainers;
}
