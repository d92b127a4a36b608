// The tests talk to Elasticsearch with the same client the destination uses (plain JSON media types, so
// it works against the 8.x integ-test server and 9.x clusters alike).

import type { Client } from '@elastic/elasticsearch';
import { createElasticsearchClient as destinationClient } from '@keywatch/destinations';

export function createElasticsearchClient(url: string): Client {
  return destinationClient({ url, timeoutMs: 30_000 });
}
