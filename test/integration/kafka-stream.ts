// Deterministic CloudTrail-like traffic for the Kafka runtime tests: a fleet of keys with home networks,
// then strays (new IPs, countries, user agents, writes) that the detectors should alert on.
import { rng } from '../seeded-random.ts';

/** Public addresses with distinct countries/ASNs in the bundled geo data, by network. */
const HOME_IPS = ['52.95.110.1', '54.239.28.85', '3.5.140.2', '18.184.99.7', '35.180.1.9', '13.236.8.1'];
const STRAY_IPS = [
  '77.88.8.8',
  '114.114.114.114',
  '200.160.2.3',
  '81.2.69.142',
  '185.199.108.153',
  '41.203.64.1',
  '95.142.160.5',
];
const USER_AGENTS = ['aws-sdk-go/1.44.0 (go1.21; linux; amd64)', 'Boto3/1.34.2 Python/3.11.6 Linux/6.1 Botocore/1.34.2'];
const STRAY_AGENTS = ['curl/8.4.0', 'python-requests/2.31.0', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0'];
const ACTIONS = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['s3.amazonaws.com', 'ListBucket', true],
  ['dynamodb.amazonaws.com', 'Query', true],
  ['sts.amazonaws.com', 'GetCallerIdentity', true],
] as const;
const WRITES = [
  ['s3.amazonaws.com', 'DeleteBucket', false],
  ['iam.amazonaws.com', 'CreateAccessKey', false],
] as const;

export interface StreamOptions {
  keys: number;
  events: number;
  seed?: number;
  /** Share of events after warm-up that come from somewhere unusual. */
  strayShare?: number;
}

/** CloudTrail records (one per Kafka message), time-ordered, keyed later by normalize. */
export function cloudTrailStream(opts: StreamOptions): Record<string, unknown>[] {
  const random = rng(opts.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const keys = Array.from({ length: opts.keys }, (_, i) => ({
    id: `AKIA${String(i).padStart(4, '0')}TESTKEY0000`.slice(0, 20),
    user: `bot-${i}`,
    home: [HOME_IPS[i % HOME_IPS.length]!, HOME_IPS[(i + 1) % HOME_IPS.length]!],
    agent: USER_AGENTS[i % USER_AGENTS.length]!,
    seen: 0,
  }));
  const start = Date.parse('2026-03-02T09:00:00.000Z');
  const records: Record<string, unknown>[] = [];
  for (let n = 0; n < opts.events; n++) {
    const key = pick(keys);
    key.seen++;
    const stray = key.seen > 12 && random() < (opts.strayShare ?? 0.04);
    const [source, name, readOnly] = stray && random() < 0.3 ? pick(WRITES) : pick(ACTIONS);
    records.push({
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        principalId: `AIDA${key.user.toUpperCase()}`,
        arn: `arn:aws:iam::123456789012:user/${key.user}`,
        accountId: '123456789012',
        accessKeyId: key.id,
        userName: key.user,
      },
      // Two minutes apart on average, spread over business hours of several days.
      eventTime: new Date(start + n * 60_000).toISOString().replace('.000Z', 'Z'),
      eventSource: source,
      eventName: name,
      awsRegion: 'eu-west-1',
      sourceIPAddress: stray ? pick(STRAY_IPS) : pick(key.home),
      userAgent: stray && random() < 0.5 ? pick(STRAY_AGENTS) : key.agent,
      requestParameters: { bucketName: `data-${key.user}` },
      responseElements: null,
      requestID: `REQ${n}`,
      eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: !source.startsWith('s3'),
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
    });
  }
  return records;
}
