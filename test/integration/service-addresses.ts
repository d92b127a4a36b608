// Where the integration tests find their servers: the environment first, then containers, never nothing.

export type ServiceName = 'kafka' | 'elasticsearch';

export type ServiceAddresses = { kafkaBrokers: string; elasticsearchUrl: string };

const ENV_VARS: Record<ServiceName, string> = { kafka: 'KAFKA_BROKERS', elasticsearch: 'ELASTICSEARCH_URL' };

/** Addresses given by the environment, and the services it leaves unset. */
export function addressesFromEnv(env: NodeJS.ProcessEnv): { found: Partial<ServiceAddresses>; missing: ServiceName[] } {
  const kafkaBrokers = env.KAFKA_BROKERS?.trim();
  const elasticsearchUrl = env.ELASTICSEARCH_URL?.trim();
  const found: Partial<ServiceAddresses> = {};
  const missing: ServiceName[] = [];
  if (kafkaBrokers) found.kafkaBrokers = kafkaBrokers;
  else missing.push('kafka');
  if (elasticsearchUrl) found.elasticsearchUrl = elasticsearchUrl;
  else missing.push('elasticsearch');
  return { found, missing };
}

export function noServiceError(missing: ServiceName[]): Error {
  const lines = missing.map(
    (service) => `no ${service === 'kafka' ? 'Kafka broker' : 'Elasticsearch node'}: set ${ENV_VARS[service]}`,
  );
  return new Error(
    `${lines.join('; ')} (no Docker engine for testcontainers either). Run the tests via test/infra/with-services.sh, ` +
      'which starts local servers from Maven Central, or point the variables at running servers.',
  );
}
