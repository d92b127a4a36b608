import type { CanonicalEvent } from '@keywatch/event';
import { expect } from 'vitest';
import type { NormalizeResult } from '../src/index.ts';

/** Fake secrets in real formats, assembled at run time so scanners do not take this file for a leak. */
export const FAKE = {
  githubPat: ['ghp', 'R8x2Kq9ZcW4mN7vB1tY6uP3sD5fG0hJ8kL2a'].join('_'),
  stripeKey: ['sk', 'live', '51Hx9Kq2ZcW4mN7vB1tY6uP3'].join('_'),
  kongKey: 'c7f2a9e4b1d84f3e9a6b2c5d8e1f4a7b',
  apiGatewayKey: 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0',
  sessionToken: `IQoJb3JpZ2luX2VjE${'Pq9Zx2Kc8Wm4Nv7B'.repeat(6)}`,
};

/** The one event of a result, failing with the dead letters if there is none. */
export function onlyEvent(result: NormalizeResult): CanonicalEvent {
  expect(result.deadLetters).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0] as CanonicalEvent;
}

export function expectNoSecret(result: NormalizeResult, ...secrets: string[]): void {
  const output = JSON.stringify(result);
  for (const secret of secrets) expect(output).not.toContain(secret);
}
