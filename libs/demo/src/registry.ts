import type { KeyProfile } from './model.ts';

/**
 * Business hours as the owners declare them (ISO weekdays, Monday = 1): their usual day rounded to whole
 * hours, the start down and the end to the nearest hour. Late days run past that end.
 */
export function declaredBusinessHours(key: KeyProfile) {
  const hhmm = (minute: number) => `${String(minute / 60).padStart(2, '0')}:00`;
  return { days: [1, 2, 3, 4, 5], start: hhmm(Math.floor(key.workday.startMinute / 60) * 60), end: hhmm(declaredEndMinute(key)) };
}

/** The declared end of the working day, in local minutes: the usual end rounded to the nearest hour. */
export function declaredEndMinute(key: KeyProfile): number {
  return Math.round(key.workday.endMinute / 60) * 60;
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
        ...(k.rhythm === 'business' || k.rhythm === 'ci' ? { businessHours: declaredBusinessHours(k) } : {}),
        created: k.created,
        rotationDays: k.rotationDays,
        tags: [`team:${k.team}`, `env:${k.environment}`, `provider:${k.provider}`],
        description: `${k.description} (${k.name})`,
      })),
  };
}
