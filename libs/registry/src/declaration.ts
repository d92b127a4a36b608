import type { BusinessHours } from '@keywatch/enrich';
import {
  calendarDate,
  cidr,
  clockTime,
  countryCode,
  credentialId,
  listOf,
  nullable,
  positiveInteger,
  type Rule,
  scope,
  text,
  timezone,
  weekdays,
} from './field-rules.ts';
import type { Issues } from './issues.ts';
import { checkMapping } from './mapping.ts';
import type { KeyInfo } from './types.ts';

/** The fields one declaration sets; an absent field is inherited, an explicit null overrides with "none". */
export type Declaration = Partial<Omit<KeyInfo, 'declared'>>;

const businessHours: Rule<BusinessHours> = (value, path, issues) => {
  const mapping = checkMapping(value, path, issues, ['days', 'start', 'end']);
  if (mapping === undefined) return undefined;
  const field = <T>(name: string, rule: Rule<T>): T | undefined =>
    Object.hasOwn(mapping, name) ? rule(mapping[name], [...path, name], issues) : issues.add([...path, name], 'required');
  const days = field('days', weekdays);
  const start = field('start', clockTime(false));
  const end = field('end', clockTime(true));
  if (days === undefined || start === undefined || end === undefined) return undefined;
  if (start === end)
    return issues.add([...path, 'end'], `equals start (${start}); for a whole day use start "00:00", end "24:00"`);
  return { days, start, end };
};

type Rules = { [F in keyof Declaration]-?: Rule<Exclude<Declaration[F], undefined>> };

const KEY_RULES: Rules = {
  id: credentialId,
  owner: nullable(text),
  scope: nullable(scope),
  timezone,
  businessHours: nullable(businessHours),
  allowedCidrs: listOf(cidr),
  allowedCountries: listOf(countryCode),
  created: nullable(calendarDate),
  rotationDays: nullable(positiveInteger),
  tags: listOf(text),
  description: nullable(text),
};

const KEY_FIELDS = Object.keys(KEY_RULES) as (keyof Declaration)[];
/** What makes sense for every key: not its identity, creation date or description. */
const DEFAULT_FIELDS = KEY_FIELDS.filter((field) => field !== 'id' && field !== 'created' && field !== 'description');

/** Validates one entry of `keys`. Undefined when it is not a mapping or has no usable id. */
export function checkKey(value: unknown, index: number, issues: Issues): (Declaration & { id: string }) | undefined {
  const path = ['keys', index];
  const declaration = checkFields(value, path, issues, KEY_FIELDS);
  if (declaration === undefined) return undefined;
  if (declaration.id === undefined) {
    if (!('id' in (value as object))) issues.add([...path, 'id'], 'required');
    return undefined;
  }
  return { ...declaration, id: declaration.id };
}

/** Validates the `defaults` section. */
export function checkDefaults(value: unknown, issues: Issues): Declaration {
  return checkFields(value, ['defaults'], issues, DEFAULT_FIELDS) ?? {};
}

function checkFields(
  value: unknown,
  path: (string | number)[],
  issues: Issues,
  fields: readonly (keyof Declaration)[],
): Declaration | undefined {
  const mapping = checkMapping(value, path, issues, fields);
  if (mapping === undefined) return undefined;
  const declaration: Record<string, unknown> = {};
  for (const field of fields) {
    if (!Object.hasOwn(mapping, field)) continue;
    const clean = KEY_RULES[field](mapping[field], [...path, field], issues);
    if (clean !== undefined) declaration[field] = clean;
  }
  return declaration as Declaration;
}
