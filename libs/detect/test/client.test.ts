import { describe, expect, it } from 'vitest';
import { clientOf, detect, withDefaults } from '../src/index.ts';
import { at, feed, history } from './helpers.ts';

describe('client families', () => {
  it.each([
    // CloudTrail wraps S3 data-event user agents in brackets: the same process either way.
    ['[aws-sdk-go/1.44.0 (go1.20; linux; amd64)]', 'aws-sdk-go', 'sdk'],
    ['aws-sdk-go/1.44.0 (go1.20; linux; amd64)', 'aws-sdk-go', 'sdk'],
    ['aws-sdk-go-v2/1.17.0 os/linux lang/go/1.18.10 md/GOOS/linux api/sts/1.16.19', 'aws-sdk-go', 'sdk'],
    ['[Boto3/1.26.165 Python/3.10.6 Linux/5.19.0-46-generic Botocore/1.29.165]', 'boto3', 'sdk'],
    ['Botocore/1.29.165 Python/3.10.6', 'boto3', 'sdk'],
    // The aws-cli appends the command it ran.
    ['aws-cli/2.13.0 Python/3.11.4 Linux/5.15 exe/x86_64.ubuntu.22 prompt/off command/s3.ls', 'aws-cli', 'cli'],
    ['[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]', 'aws-cli', 'cli'],
    [
      'APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io) terraform-provider-aws/4.67.0 aws-sdk-go-v2/1.18.0 HashiCorp-terraform-exec/0.17.3',
      'terraform',
      'iac',
    ],
    ['AWS Internal', 'aws-internal', 'provider'],
    ['lambda.amazonaws.com', 'aws-internal', 'provider'],
    ['console.ec2.amazonaws.com', 'aws-console', 'provider'],
    ['[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.184]', 'aws-console', 'provider'],
    ['aws-sdk-go/1.41.4 (go1.18.3; linux; amd64) amazon-ssm-agent/', 'amazon-ssm-agent', 'provider'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/114.0', 'browser', 'browser'],
    // Attack tooling, also when it hides behind Terraform or an SDK, and with per-run ids.
    ['stratus-red-team_83ec8cd5-2c46-4fde-a3f1-6a1c1e2c5b2a', 'stratus-red-team', 'tool'],
    [
      '[APN/1.0 HashiCorp/1.0 Terraform/1.1.2 aws-sdk-go/1.44.157 stratus-red-team_05dbb79c-68f8-436e-ad26-ef7b3eaf9f94 HashiCorp-terraform-exec/0.17.3]',
      'stratus-red-team',
      'tool',
    ],
    ['Boto3/1.26.0 Python/3.11.2 Linux/6.1.0-kali7-amd64 Botocore/1.29.0', 'boto3 (kali)', 'tool'],
    ['aws-cli/1.22.34 Python/3.9.2 Linux/5.10.0-kali3-amd64 botocore/1.24.0 pacu/1.5', 'pacu', 'tool'],
    ['python-requests/2.31.0', 'python-requests', 'tool'],
    ['curl/8.5.0', 'curl', 'tool'],
    ['Go-http-client/1.1', 'go-http-client', 'tool'],
    // Versions and ids folded out of unknown products.
    ['nightly-export_3f9a2b7c1d/2.4 (linux)', 'nightly-export', 'other'],
    ['report-runner-1.4.2', 'report-runner', 'other'],
  ])('%s is %s (%s)', (ua, family, kind) => {
    expect(clientOf(ua)).toEqual({ family, kind });
  });
});

describe('new_user_agent', () => {
  const sdkKey = () => feed(history(5)).profile!; // aws-sdk-java only
  const found = (ua: string) => detect(at('2026-03-09T10:00:00Z', { userAgent: ua }), sdkKey(), withDefaults()).findings;

  it('stays quiet for SDK upgrades, bracketed and re-versioned forms of its own client', () => {
    for (const ua of ['aws-sdk-java/2.30.1 Linux/6.1', '[aws-sdk-java/1.12.488 Linux/5.10]', 'aws-sdk-java-v2/2.0']) {
      expect(found(ua)).toEqual([]);
    }
  });

  it('gives a new SDK family as context, not an alert', () => {
    const r = detect(at('2026-03-09T10:00:00Z', { userAgent: 'Boto3/1.34.0 Python/3.12' }), sdkKey(), withDefaults());
    expect(r.findings).toEqual([]);
    expect(r.riskScore).toBe(20);
  });

  it('alerts on attack tooling on an SDK-only key, stronger than on a key people already use by hand', () => {
    const onSdkKey = found('python-requests/2.31.0');
    expect(onSdkKey.map((f) => f.detector)).toEqual(['new_user_agent']);
    expect(onSdkKey[0]!.evidence.programs_only).toBe(true);
    const mixed = feed([at('2026-03-06T11:00:00Z', { userAgent: 'aws-cli/2.13.0 Python/3.11' })], sdkKey()).profile!;
    const onMixedKey = detect(
      at('2026-03-09T10:00:00Z', { userAgent: 'python-requests/2.31.0' }),
      mixed,
      withDefaults(),
    ).findings;
    expect(onMixedKey[0]!.score).toBeLessThan(onSdkKey[0]!.score);
    expect(found('stratus-red-team_0a1b2c3d-0000-4000-8000-000000000000')[0]!.evidence.family).toBe('stratus-red-team');
  });

  it('alerts on a human command line on a key only programs used', () => {
    expect(found('aws-cli/2.13.0 Python/3.11.4 Linux/5.15 command/s3.ls').map((f) => f.detector)).toEqual(['new_user_agent']);
  });

  it('treats every stratus run as one family: one new client, not one per run', () => {
    const p = feed([at('2026-03-09T10:00:00Z', { userAgent: 'stratus-red-team_11111111-2222-4333-8444-555555555555' })], sdkKey())
      .profile!;
    const again = detect(
      at('2026-03-09T10:05:00Z', { userAgent: 'stratus-red-team_99999999-2222-4333-8444-555555555555' }),
      p,
      withDefaults(),
    );
    expect(again.findings).toEqual([]);
  });
});
