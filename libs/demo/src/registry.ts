import type { KeyProfile } from './model.ts';

/** Business hours as declared for keys that follow a working day (ISO weekdays, Monday = 1). */
function declaredBusinessHours() {
  return { days: [1, 2, 3, 4, 5], start: '08:00', end: '19:00' };
}

/** The key registry document for the registered half of the fleet (what operators declare). */
export function buildRegistry(fleet: readonly KeyProfile[]): { keys: Array<Record<string, unknown>> } {
  return {
    keys: fleet
      .filter((k) => k.registered)
      .map((k) => ({
        id: k.keyId,
        owner: `${k.team}-team@acme.example`,
        scope: k.scope,
        timezone: k.timezone,
        ...(k.rhythm === 'business' || k.rhythm === 'ci' ? { businessHours: declaredBusinessHours() } : {}),
        created: k.created,
        rotationDays: k.rotationDays,
        tags: [`team:${k.team}`, `env:${k.environment}`, `provider:${k.provider}`],
        description: `${k.description} (${k.name})`,
      })),
  };
}
