import { describe, expect, it } from 'vitest';
import { createFingerprinter, findAndRedact, fingerprint, looksLikeCredential, redactString, ruleForName } from '../src/index.ts';
import { SAMPLE } from './samples.ts';

/** The credential shapes of gitleaks' default rules and the gaps of issue 11, each in its usual setting. */
const SHAPES: readonly (readonly [string, string, string])[] = [
  ['gitlab_token', `git remote add origin https://ci:${SAMPLE.gitlabPat}@gitlab.example.com/x.git`, SAMPLE.gitlabPat],
  ['gitlab_token', `PRIVATE-TOKEN ${SAMPLE.gitlabPat}`, SAMPLE.gitlabPat],
  ['npm_token', `//registry.npmjs.org/:_authToken=${SAMPLE.npm}`, SAMPLE.npm],
  ['pypi_token', `twine upload -p ${SAMPLE.pypi}`, SAMPLE.pypi],
  ['sendgrid_api_key', `mail via ${SAMPLE.sendgrid}`, SAMPLE.sendgrid],
  ['twilio_api_key', `twilio ${SAMPLE.twilio} ok`, SAMPLE.twilio],
  [
    'azure_storage_key',
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${SAMPLE.azureAccountKey};EndpointSuffix=core.windows.net`,
    SAMPLE.azureAccountKey,
  ],
  ['azure_ad_client_secret', `az login --service-principal -p ${SAMPLE.azureClientSecret} --tenant t`, SAMPLE.azureClientSecret],
  ['hashicorp_vault_token', `VAULT ${SAMPLE.vault}`, SAMPLE.vault],
  ['url_secret_param', `GET /login?user=bob&pwd=${SAMPLE.shortPassword}`, SAMPLE.shortPassword],
  ['url_secret_param', `GET /login?user=bob&pass=${SAMPLE.shortPassword}&x=1`, SAMPLE.shortPassword],
  ['url_secret_param', `GET /maps?key=${SAMPLE.password}`, SAMPLE.password],
  ['password', `{"user": "bob", "password": "${SAMPLE.shortPassword}"}`, SAMPLE.shortPassword],
  ['url_secret_param', `Server=db;Database=app;User Id=sa;Password=${SAMPLE.shortPassword};`, SAMPLE.shortPassword],
  ['bearer_token', `Authorization: Bearer ${SAMPLE.shortBearer}`, SAMPLE.shortBearer],
  // JSON text inside a string, as on a line that is not valid JSON: quotes are escaped.
  ['password', `{"broken": "{\\"user\\":\\"bob\\",\\"password\\":\\"${SAMPLE.shortPassword}\\"}"`, SAMPLE.shortPassword],
  ['generic_secret', `{"sync-credentials": "${SAMPLE.awsSecret}"}`, SAMPLE.awsSecret],
];

describe('secret shapes in text', () => {
  it.each(SHAPES)('finds %s in %j', (kind, line, secret) => {
    const { text, findings } = redactString(line);
    expect(findings.map((f) => f.kind)).toContain(kind);
    expect(findings.find((f) => f.kind === kind)?.value).toBe(secret);
    expect(text).not.toContain(secret);
  });

  it('redacts what is left of a token cut at the end of a truncated line', () => {
    for (const full of [SAMPLE.githubPat, SAMPLE.gitlabPat, SAMPLE.npm, SAMPLE.stripeLive, SAMPLE.slackBot]) {
      const cut = full.slice(0, 9);
      const line = `{"eventName":"x","note":"deploy with ${cut}`;
      const { text, findings } = redactString(line);
      expect(
        findings.map((f) => f.value),
        line,
      ).toEqual([cut]);
      expect(text).not.toContain(cut);
    }
  });

  it.each([
    ['prose about passwords', 'The password does not meet the requirements of the policy'],
    ['a password placeholder', `password=******** pwd=\${DB_PWD}`],
    ['bypass/compass query', '/search?compass=north&bypass=true'],
    ['pagination in text', 'NextToken=AAMA-EFRSURBSGhpdmlkZW5jZQ'],
    ['idempotency in text', 'clientRequestToken: 5e1f0a2b-7c3d-4e5f-8a9b-0c1d2e3f4a5b'],
    ['a key id', 'accessKeyId=ASIAEXAMPLEKEY000002'],
    // A role's unique id before its session name: the random id contains a keyword (UPWD) but is not a name.
    ['a role session id', 'AROABFBVICA5UPWDIBVO2:backup-nightly-staging-1773712010'],
    ['a user unique id', 'AIDAJQABLZS4A3QDU576Q:ci-token-runner-7f3a9b2c'],
  ])('does not flag %s', (_name, line) => {
    expect(redactString(line).findings).toEqual([]);
  });
});

describe('the generic rule: a credential-like name beside a value that looks like a credential', () => {
  it.each([
    ['sync-credentials', 'generic_secret'],
    ['auth', 'generic_secret'],
    ['signingKey', 'generic_secret'],
    ['DB_CREDS', 'generic_secret'],
    ['DB_PASS', 'password'],
    ['smtpPwd', 'password'],
    ['secretString', 'secret'],
  ])('%s → %s', (name, kind) => {
    expect(ruleForName(name)?.kind).toBe(kind);
  });

  it.each([
    'clientRequestToken',
    'ClientRequestToken',
    'clientToken',
    'nextToken',
    'NextToken',
    'nextPageToken',
    'ContinuationToken',
    'paginationToken',
    'idempotencyKey',
    'Idempotency-Key',
    'hashed_token',
    'publicKey',
    'kmsKeyId',
    'keyName',
    'secretId',
    'credentialId',
    'author',
    'Key',
    'key',
    'max-keys',
    'partitionKey',
    'bypass',
  ])('%s is not a secret name', (name) => {
    expect(ruleForName(name)).toBeNull();
  });

  it('judges values the way gitleaks does: token characters, a digit, entropy ≥ 3.5', () => {
    expect(looksLikeCredential(SAMPLE.awsSecret)).toBe(true);
    expect(looksLikeCredential('00000000-0000-4000-8000-000000000001')).toBe(false); // low entropy
    expect(looksLikeCredential('5e1f0a2b-7c3d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    for (const v of [
      'Ec2InstanceMetadata',
      'AKIAEXAMPLEKEY000001',
      'logs/2024/01/02/x.json.gz',
      '2024-01-02T03:04:05Z',
      'short1',
    ])
      expect(looksLikeCredential(v), v).toBe(false);
  });

  it('redacts name/value pairs in every casing: S3 and EC2 tags, environment variables, parameters', () => {
    const v = SAMPLE.awsSecret;
    const record = {
      Tagging: {
        TagSet: {
          Tag: [
            { Key: 'sync-credentials', Value: v },
            { Key: 'team', Value: 'payments-2024' },
          ],
        },
      },
      tagSpecificationSet: { items: [{ tags: [{ key: 'api-token', value: v }] }] },
      environment: { variables: { DB_PASSWORD: 'hunter2' } },
      containerDefinitions: [
        {
          environment: [
            { name: 'SYNC_AUTH', value: v },
            { NAME: 'DEPLOY_KEY', VALUE: v },
          ],
        },
      ],
      parameters: [{ ParameterKey: 'DbPassword', ParameterValue: 'Sup3r!' }],
      ssm: { name: '/prod/app/api-credentials', value: v, type: 'String' },
    };
    const { redacted, secrets } = findAndRedact(record);
    const out = JSON.stringify(redacted);
    expect(out).not.toContain(v);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('Sup3r!');
    expect(out).toContain('payments-2024');
    expect(secrets.map((s) => s.path)).toEqual([
      'Tagging.TagSet.Tag[0].Value',
      'tagSpecificationSet.items[0].tags[0].value',
      'environment.variables.DB_PASSWORD',
      'containerDefinitions[0].environment[0].value',
      'containerDefinitions[0].environment[1].VALUE',
      'parameters[0].ParameterValue',
      'ssm.value',
    ]);
  });

  it('leaves ids, flags and low-entropy values under credential-like names alone', () => {
    const record = {
      auth: 'enabled',
      authType: 'AWS_IAM',
      credentials: { accessKeyId: 'ASIAEXAMPLEKEY000002', expiration: 'Mar 4, 2026, 3:17:09 AM' },
      signingKey: 'default',
      Tagging: { TagSet: { Tag: [{ Key: 'credentials-owner', Value: 'platform-team' }] } },
      requestParameters: {
        clientRequestToken: '5e1f0a2b-7c3d-4e5f-8a9b-0c1d2e3f4a5b',
        ClientToken: 'f3c5a3a8-2b1f-4c0e-9a41-3c0b2a1d9e77',
        nextToken: 'AAMA-EFRSURBSGhpdmlkZW5jZVByb3ZpZGVyAAAAAAAAAAEAAA==',
        NextToken: 'eyJleHBpcmF0aW9uIjp7InNlY29uZHMiOjE3MDB9fQ==',
        marker: 'x7Yk2mQp9Lr4Tz8Wc1Vb6Nd3Hf0Gj5Ks',
        idempotencyToken: '9b2f7c1e-4d3a-4a5b-8c6d-7e8f9a0b1c2d',
      },
      responseElements: {
        assumedRoleUser: {
          assumedRoleId: 'AROABFBVICA5UPWDIBVO2:backup-nightly-staging-1773712010',
          arn: 'arn:aws:sts::379284548602:assumed-role/platform-deploy/backup-nightly-staging-1773712010',
        },
      },
    };
    const { redacted, secrets } = findAndRedact(record);
    expect(secrets).toEqual([]);
    expect(redacted).toBe(record);
  });
});

describe('where the walk cannot keep a value', () => {
  it('reports secrets nested deeper than it keeps, at the cut', () => {
    let deep: unknown = { password: SAMPLE.shortPassword, note: `x ${SAMPLE.githubPat}` };
    for (let i = 0; i < 80; i++) deep = { level: deep };
    const { redacted, secrets } = findAndRedact({ requestParameters: deep });
    const out = JSON.stringify(redacted);
    expect(out).toContain('[TRUNCATED:too_deep]');
    expect(out).not.toContain(SAMPLE.githubPat);
    expect(secrets.map((s) => s.kind).sort()).toEqual(['github_pat', 'password']);
    expect(secrets[0]?.path).toMatch(/^requestParameters(\.level)+$/);
  });

  it('marks secrets at routine paths (logged on every call of the kind) as not alerting, still redacted', () => {
    const record = {
      responseElements: { credentials: { sessionToken: SAMPLE.password } },
      other: { sessionToken: SAMPLE.password },
    };
    const { redacted, secrets } = findAndRedact(record, {
      path: 'Records[0]',
      routinePaths: ['responseElements.credentials.sessionToken'],
    });
    expect(JSON.stringify(redacted)).not.toContain(SAMPLE.password);
    expect(secrets.map((s) => [s.path, s.alert])).toEqual([
      ['Records[0].responseElements.credentials.sessionToken', false],
      ['Records[0].other.sessionToken', undefined],
    ]);
  });
});

describe('fingerprints', () => {
  it('are a keyed HMAC: the same secret matches under one key, and a wordlist without the key cannot confirm a guess', async () => {
    const { createHash } = await import('node:crypto');
    const key = new Uint8Array(32).fill(7);
    const a = createFingerprinter(key);
    const b = createFingerprinter(new Uint8Array(32).fill(8));
    expect(a('Summer2024!')).toBe(createFingerprinter(key)('Summer2024!'));
    expect(a('Summer2024!')).not.toBe(b('Summer2024!'));
    expect(a('Summer2024!')).not.toBe(createHash('sha256').update('Summer2024!').digest('hex').slice(0, 12));
    expect(fingerprint('Summer2024!')).not.toBe(createHash('sha256').update('Summer2024!').digest('hex').slice(0, 12));
    expect(() => createFingerprinter(new Uint8Array(8))).toThrow(/at least 16/);
  });

  it('findAndRedact uses the fingerprinter it is given', () => {
    const f = createFingerprinter(new Uint8Array(32).fill(3));
    const { secrets } = findAndRedact({ password: 'Summer2024!' }, { fingerprint: f });
    expect(secrets[0]?.fingerprint).toBe(f('Summer2024!'));
  });
});
