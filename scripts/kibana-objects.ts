// Writes the Kibana content for keywatch alerts (detection rules, data view, dashboard) into
// deploy/elasticsearch/kibana/, generated from the detector vocabulary. Run after adding a detector:
//   npm run kibana-objects
import { writeFileSync } from 'node:fs';
import { detectionRules, savedObjects, toNdjson } from '../libs/destinations/src/kibana-objects.ts';

const dir = new URL('../deploy/elasticsearch/kibana/', import.meta.url);
writeFileSync(new URL('keywatch-detection-rules.ndjson', dir), toNdjson(detectionRules()));
writeFileSync(new URL('keywatch-dashboard.ndjson', dir), toNdjson(savedObjects()));
process.stdout.write('wrote deploy/elasticsearch/kibana/keywatch-detection-rules.ndjson and keywatch-dashboard.ndjson\n');
