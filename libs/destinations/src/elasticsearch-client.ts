import { Client, type ClientOptions, Transport } from '@elastic/elasticsearch';

type TransportOptions = ConstructorParameters<typeof Transport>[0];

/**
 * @elastic/elasticsearch 9 sends `application/vnd.elasticsearch+json; compatible-with=9`, which 8.x servers
 * reject (400 media_type_header_exception). Plain JSON media types ask any server for its native API, so one
 * client works with the 8.x and 9.x clusters users already run.
 */
class PlainJsonTransport extends Transport {
  constructor(options: TransportOptions) {
    super({
      ...options,
      vendoredHeaders: {
        jsonContentType: 'application/json',
        ndjsonContentType: 'application/x-ndjson',
        accept: 'application/json, text/plain',
      },
    });
  }
}

/** A client that does no retries of its own: the dispatcher's queue owns retries, with backoff and dead letters. */
export function createElasticsearchClient(options: { url: string; auth?: ClientOptions['auth']; timeoutMs: number }): Client {
  return new Client({
    node: options.url,
    ...(options.auth ? { auth: options.auth } : {}),
    maxRetries: 0,
    requestTimeout: options.timeoutMs,
    Transport: PlainJsonTransport,
  });
}
