import { describe, expect, it } from 'vitest';
import { findAndRedact, fingerprint, redactString } from '../src/index.ts';
import { SAMPLE } from './samples.ts';

/** [kind, a log line that carries the secret, the secret value itself] */
const EMBEDDED: readonly (readonly [string, string, string])[] = [
  ['aws_secret_access_key', `aws_secret_access_key=${SAMPLE.awsSecret}`, SAMPLE.awsSecret],
  ['aws_secret_access_key', `AKIAEXAMPLEKEY000001,${SAMPLE.awsSecret}`, SAMPLE.awsSecret],
  [
    'aws_session_token',
    `curl -H "X-Amz-Security-Token: ${SAMPLE.password}${SAMPLE.password}"`,
    SAMPLE.password + SAMPLE.password,
  ],
  ['stripe_key', `charging with ${SAMPLE.stripeLive} now`, SAMPLE.stripeLive],
  ['stripe_key', `key=${SAMPLE.stripeTest}`, SAMPLE.stripeTest],
  ['stripe_key', `restricted ${SAMPLE.stripeRestricted}`, SAMPLE.stripeRestricted],
  ['github_pat', `git clone https://x:${SAMPLE.githubPat}@github.com/o/r`, SAMPLE.githubPat],
  ['github_oauth_token', `token ${SAMPLE.githubOauth}`, SAMPLE.githubOauth],
  ['github_app_token', `GH=${SAMPLE.githubUser}`, SAMPLE.githubUser],
  ['github_app_token', `installation ${SAMPLE.githubServer}`, SAMPLE.githubServer],
  ['github_refresh_token', `refresh ${SAMPLE.githubRefresh}`, SAMPLE.githubRefresh],
  ['github_fine_grained_pat', `pat ${SAMPLE.githubFineGrained} used`, SAMPLE.githubFineGrained],
  ['slack_token', `slack client ${SAMPLE.slackBot}`, SAMPLE.slackBot],
  ['slack_token', `user ${SAMPLE.slackUser}`, SAMPLE.slackUser],
  ['slack_app_token', `socket mode ${SAMPLE.slackApp}`, SAMPLE.slackApp],
  ['slack_webhook', `posting to ${SAMPLE.slackWebhook} failed`, SAMPLE.slackWebhook],
  [
    'google_api_key',
    `https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${SAMPLE.googleApiKey}`,
    SAMPLE.googleApiKey,
  ],
  ['private_key', `config: ${SAMPLE.privateKey} end`, SAMPLE.privateKey],
  ['jwt', `session ${SAMPLE.jwt};`, SAMPLE.jwt],
  ['openai_api_key', `OPENAI ${SAMPLE.openai}`, SAMPLE.openai],
  ['openai_api_key', `OPENAI ${SAMPLE.openaiProject}`, SAMPLE.openaiProject],
  ['anthropic_api_key', `claude ${SAMPLE.anthropic}`, SAMPLE.anthropic],
  ['bearer_token', `Authorization: Bearer ${SAMPLE.bearer}`, SAMPLE.bearer],
  ['basic_auth', `Authorization: Basic ${SAMPLE.basicCredentials}`, SAMPLE.basicCredentials],
  ['url_secret_param', `GET /v1/items?page=2&access_token=${SAMPLE.password}&x=1`, SAMPLE.password],
  ['url_password', `postgres://app:${SAMPLE.password}@db.internal:5432/app`, SAMPLE.password],
  ['password', `login failed password=${SAMPLE.password} user=bob`, SAMPLE.password],
  ['api_key', `{"apiKey": "${SAMPLE.password}"}`, SAMPLE.password],
];

describe('redactString', () => {
  it.each(EMBEDDED)('finds %s in %j', (kind, line, secret) => {
    const { text, findings } = redactString(line);
    expect(findings.map((f) => f.kind)).toContain(kind);
    expect(findings.find((f) => f.kind === kind)?.value).toBe(secret);
    expect(text).not.toContain(secret);
    expect(text).toContain(`[REDACTED:${kind}]`);
  });

  it('keeps the rest of the string around an embedded secret', () => {
    const { text } = redactString(`GET /repos/o/r?token=${SAMPLE.githubPat}&page=2 HTTP/1.1`);
    expect(text).toBe('GET /repos/o/r?token=[REDACTED:github_pat]&page=2 HTTP/1.1');
    expect(redactString(`Authorization: Bearer ${SAMPLE.bearer}`).text).toBe('Authorization: Bearer [REDACTED:bearer_token]');
  });

  it('redacts a private key block whose END line was cut off', () => {
    const cut = SAMPLE.privateKey.slice(0, 80);
    expect(redactString(`key: ${cut}`).text).toBe('key: [REDACTED:private_key]');
  });

  it('redacts several secrets in one string', () => {
    const { text, findings } = redactString(`${SAMPLE.stripeLive} and ${SAMPLE.githubPat}`);
    expect(text).toBe('[REDACTED:stripe_key] and [REDACTED:github_pat]');
    expect(findings).toHaveLength(2);
  });

  it.each([
    ['AWS access key ids', 'AKIAEXAMPLEKEY000001 ASIAEXAMPLEKEY000002'],
    ['ARNs', 'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod/db-password-AbCdEf'],
    ['UUIDs', '00000000-0000-4000-8000-000000000001'],
    ['hex request ids', '5128b35f0daf4c5e948a21a1c507968c5128b35f0daf4c5e948a21a1c507968c'],
    ['prose about auth', 'Basic authentication and Bearer authentication are disabled'],
    ['secret-ish API names', 'secretsmanager:GetSecretValue secret_scanning.disable token_scopes=repo'],
    ['placeholders', `password=******** token=<redacted> apikey=\${API_KEY}`],
    ['short strings', 'sk_live'],
    ['GCP key names', '//iam.googleapis.com/projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com/keys/0123abcd'],
  ])('does not flag %s', (_name, line) => {
    expect(redactString(line)).toEqual({ text: line, findings: [] });
  });
});

describe('findAndRedact on records', () => {
  it.each([
    ['apikey', 'api_key'],
    ['api_key', 'api_key'],
    ['x-api-key', 'api_key'],
    ['password', 'password'],
    ['dbPassword', 'password'],
    ['secret', 'secret'],
    ['client_secret', 'secret'],
    ['token', 'token'],
    ['sessionToken', 'aws_session_token'],
    ['SecretAccessKey', 'aws_secret_access_key'],
    ['authorization', 'authorization_header'],
  ])('redacts the whole value under a %s key', (key, kind) => {
    const value = `${SAMPLE.password}z`;
    const { redacted, secrets } = findAndRedact({ outer: { [key]: value, other: 'kept value' } });
    expect(redacted).toEqual({ outer: { [key]: `[REDACTED:${kind}]`, other: 'kept value' } });
    expect(secrets).toEqual([{ kind, path: `outer.${key}`, fingerprint: fingerprint(value) }]);
  });

  it('redacts the value of an environment-variable {name, value} pair whose name is secret-like', () => {
    const env = [
      { name: 'AWS_SECRET_ACCESS_KEY', value: `${SAMPLE.password}z` },
      { Name: 'DB_PASSWORD', Value: `${SAMPLE.password}y` },
      { name: 'LOG_LEVEL', value: 'debug-verbose-mode' },
    ];
    const { redacted, secrets } = findAndRedact({ containerDefinitions: [{ environment: env }] });
    expect(redacted).toEqual({
      containerDefinitions: [
        {
          environment: [
            { name: 'AWS_SECRET_ACCESS_KEY', value: '[REDACTED:aws_secret_access_key]' },
            { Name: 'DB_PASSWORD', Value: '[REDACTED:password]' },
            { name: 'LOG_LEVEL', value: 'debug-verbose-mode' },
          ],
        },
      ],
    });
    expect(secrets.map((x) => x.path)).toEqual([
      'containerDefinitions[0].environment[0].value',
      'containerDefinitions[0].environment[1].Value',
    ]);
  });

  it('keeps the precise kind when a secret-named key holds a known token format', () => {
    const { redacted, secrets } = findAndRedact({ headers: { Authorization: `Bearer ${SAMPLE.jwt}` } });
    expect(redacted).toEqual({ headers: { Authorization: 'Bearer [REDACTED:jwt]' } });
    expect(secrets).toEqual([{ kind: 'jwt', path: 'headers.Authorization', fingerprint: fingerprint(SAMPLE.jwt) }]);
  });

  it('does not flag public ids, hashed tokens, placeholders and short values under secret-named keys', () => {
    const record = {
      userIdentity: { accessKeyId: 'AKIAEXAMPLEKEY000001' },
      hashed_token: 'EXAMPLEhashBase64aaaaaaaaaaaaaaaaaaaaaaaaaa=',
      token_id: 5550001,
      requestParameters: { secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x', clientToken: 'abcdef0123456789' },
      NextToken: 'eyJleHBpcmF0aW9uIjp7InNlY29uZHMiOjE3MDB9fQ==',
      password: '********',
      secret: 'redacted',
      token: 'short',
      apikey: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      authorization: 'REDACTED',
      eventID: '00000000-0000-4000-8000-000000000001',
      requestID: 'EXAMPLEREQ0001',
    };
    const { redacted, secrets } = findAndRedact(record);
    expect(secrets).toEqual([]);
    expect(redacted).toEqual(record);
  });

  it('reports dot and bracket paths, with an optional base path', () => {
    const record = { Records: [{ x: SAMPLE.githubPat }, { headers: { 'odd key': SAMPLE.stripeLive } }] };
    expect(findAndRedact(record).secrets.map((s) => s.path)).toEqual(['Records[0].x', 'Records[1].headers["odd key"]']);
    expect(findAndRedact({ x: SAMPLE.githubPat }, { path: 'logEvents[2].message' }).secrets[0]?.path).toBe(
      'logEvents[2].message.x',
    );
    expect(findAndRedact(SAMPLE.githubPat).secrets[0]?.path).toBe('$');
  });

  it('redacts values at configured secret paths whatever their name, including arrays of values', () => {
    const record = { request: { headers: { 'x-gw-key': 'k1', other: ['k2', 'k3'] } } };
    const { redacted, secrets } = findAndRedact(record, { secretPaths: ['request.headers.x-gw-key', 'request.headers.other'] });
    expect(redacted).toEqual({
      request: { headers: { 'x-gw-key': '[REDACTED:api_key]', other: ['[REDACTED:api_key]', '[REDACTED:api_key]'] } },
    });
    expect(secrets.map((s) => s.path)).toEqual([
      'request.headers.x-gw-key',
      'request.headers.other[0]',
      'request.headers.other[1]',
    ]);
  });

  it('never mutates its input', () => {
    const record = { a: { password: SAMPLE.password, list: [SAMPLE.githubPat, 1, null, true] } };
    const copy = structuredClone(record);
    findAndRedact(record);
    expect(record).toEqual(copy);
  });

  it('redacts secrets used as object keys', () => {
    const { redacted, secrets } = findAndRedact({ [SAMPLE.githubPat]: 1 });
    expect(JSON.stringify(redacted)).not.toContain(SAMPLE.githubPat);
    expect(secrets[0]?.kind).toBe('github_pat');
  });

  it('keeps a __proto__ key as plain data', () => {
    const record = JSON.parse('{"__proto__": {"password": "hunter2hunter2"}}');
    const { redacted } = findAndRedact(record);
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"password":"[REDACTED:password]"}}');
  });

  it('survives hostile input: deep nesting, cycles, huge strings', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"${SAMPLE.githubPat}"${']'.repeat(100_000)}`);
    const deepResult = JSON.stringify(findAndRedact(deep).redacted);
    expect(deepResult).toContain('[TRUNCATED:too_deep]');
    expect(deepResult).not.toContain(SAMPLE.githubPat);

    const cyclic: Record<string, unknown> = { password: SAMPLE.password };
    cyclic.self = cyclic;
    expect(findAndRedact(cyclic).redacted).toEqual({ password: '[REDACTED:password]', self: '[TRUNCATED:circular]' });

    const huge = `${'-eyJ-eyJ.eyJ '.repeat(80_000)}${SAMPLE.stripeLive}`;
    const { redacted, secrets } = findAndRedact({ message: huge });
    expect(secrets.map((s) => s.kind)).toEqual(['stripe_key']);
    expect((redacted as { message: string }).message.endsWith('[REDACTED:stripe_key]')).toBe(true);
  });
});

describe('fast paths keep their promises', () => {
  it('returns a record without secrets as it is, and never modifies the input', () => {
    const record = {
      userIdentity: { accessKeyId: 'AKIAEXAMPLEKEY000001', arn: 'arn:aws:iam::111122223333:user/bot' },
      ids: ['0f8c2a6e-1'],
    };
    const frozen = JSON.stringify(record);
    const result = findAndRedact(record);
    expect(result.redacted).toBe(record);
    expect(result.secrets).toEqual([]);
    expect(JSON.stringify(record)).toBe(frozen);
  });

  it('copies only the path to a secret, leaving the input untouched', () => {
    const record = { a: { token: `${SAMPLE.password}x` }, b: { kept: 'value-here' } };
    const { redacted } = findAndRedact(record) as { redacted: typeof record };
    expect(redacted).not.toBe(record);
    expect(redacted.b).toBe(record.b);
    expect(record.a.token).toBe(`${SAMPLE.password}x`);
  });

  it('does not scan a bare access key id, but still finds the secret written after one', () => {
    expect(redactString('AKIAEXAMPLEKEY000001').findings).toEqual([]);
    expect(redactString(`AKIAEXAMPLEKEY000001:${SAMPLE.awsSecret}`).findings.map((f) => f.kind)).toEqual([
      'aws_secret_access_key',
    ]);
  });

  it('gives the same answer for a string seen before (the clean-string cache)', () => {
    const line = 'aws-sdk-java/2.25.10 Linux/5.10 OpenJDK_64-Bit_Server_VM/17';
    expect(findAndRedact({ ua: line }).secrets).toEqual([]);
    expect(findAndRedact({ ua: line }).secrets).toEqual([]);
    expect(findAndRedact({ ua: `${line} ${SAMPLE.githubPat}` }).secrets.map((s) => s.kind)).toEqual(['github_pat']);
  });

  it('keeps finding secrets while the cache turns over: one-off strings age out, repeated ones stay, no secret is cached', () => {
    const agent = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/s3.cp';
    // Far more one-off values (S3 object keys) than the cache holds, with a repeated value and a leak among them.
    for (let i = 0; i < 10_000; i++) {
      const record = {
        userAgent: agent,
        key: `logs/2026/01/02/object-${i}.json.gz`,
        note: i % 997 === 0 ? `token=${SAMPLE.githubPat}` : 'none',
      };
      const { redacted, secrets } = findAndRedact(record);
      expect(secrets.map((s) => s.kind)).toEqual(i % 997 === 0 ? ['github_pat'] : []);
      expect(JSON.stringify(redacted).includes(SAMPLE.githubPat)).toBe(false);
      expect((redacted as typeof record).userAgent).toBe(agent);
    }
  });
});
