// An Elasticsearch client that works against both 8.x and 9.x servers.
// @elastic/elasticsearch 9 sends `application/vnd.elasticsearch+json; compatible-with=9`, which an 8.x server
// rejects on bulk and search (400 media_type_header_exception). Maven Central only has 8.x integ-test-zips, so the
// local test server is 8.19; plain JSON media types ask every server for its own native API instead.
import { Client, Transport } from '@elastic/elasticsearch';

type TransportOptions = ConstructorParameters<typeof Transport>[0];

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

export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, Transport: PlainJsonTransport });
}
