// Starts the missing servers as containers, for machines with a Docker engine (testcontainers).
// Not used where no engine answers: there test/infra/with-services.sh provides local servers instead.
import type { ServiceAddresses, ServiceName } from './service-addresses.ts';

// cp-kafka 7.9 is Apache Kafka 3.9, the version test/infra/kafka.sh runs.
const KAFKA_IMAGE = process.env.KEYWATCH_KAFKA_IMAGE ?? 'confluentinc/cp-kafka:7.9.0';
// 9.x, the client's major. The local server is 8.19 only because Maven Central has no 9.x integ-test-zip.
const ELASTICSEARCH_IMAGE = process.env.KEYWATCH_ES_IMAGE ?? 'docker.elastic.co/elasticsearch/elasticsearch:9.1.0';

export type StartedContainers = { addresses: Partial<ServiceAddresses>; stop: () => Promise<void> };

export async function dockerEngineAvailable(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(services: ServiceName[]): Promise<StartedContainers> {
  const addresses: Partial<ServiceAddresses> = {};
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    await Promise.all(stops.map((stopOne) => stopOne()));
  };
  try {
    if (services.includes('kafka')) {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const kafka = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
      stops.push(() => kafka.stop());
      addresses.kafkaBrokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    }
    if (services.includes('elasticsearch')) {
      const { ElasticsearchContainer } = await import('@testcontainers/elasticsearch');
      // Security off, as on the local server: plain http without credentials.
      const elasticsearch = await new ElasticsearchContainer(ELASTICSEARCH_IMAGE)
        .withEnvironment({ 'xpack.security.enabled': 'false' })
        .start();
      stops.push(() => elasticsearch.stop());
      addresses.elasticsearchUrl = elasticsearch.getHttpUrl();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { addresses, stop };
}
