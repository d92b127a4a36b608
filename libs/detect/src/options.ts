import { z } from 'zod';
import type { CoreOptions } from './detector.ts';
import { type AnyDetector, DETECTOR_IDS, DETECTORS, type DetectorId } from './registry.ts';

/** Each detector's own options, by id: `detectors.off_hours.minShare`. */
export type DetectorOptions = { [D in AnyDetector as D['id']]: z.infer<D['options']> };

/** Tunables of the detection core. Every value has a default; config files override single fields. */
export interface DetectOptions extends CoreOptions {
  /** Alert-group windows per detector; defaults come from the detectors (key_age: 30 days). */
  groupWindowOverrides: Partial<Record<DetectorId, number>>;
  detectors: DetectorOptions;
}

/** The `detectors` section: one object per detector id, built from each detector's own schema. */
export const detectorOptionsSchema = z.strictObject(
  Object.fromEntries(DETECTORS.map((d) => [d.id, (d.options as z.ZodType).prefault({})])),
) as unknown as z.ZodType<DetectorOptions, { [K in keyof DetectorOptions]?: Partial<DetectorOptions[K]> }>;

const groupWindowDefaults = Object.fromEntries(
  DETECTORS.flatMap((d) => ('groupWindowSeconds' in d ? [[d.id, d.groupWindowSeconds]] : [])),
) as Partial<Record<DetectorId, number>>;

/** Every option, validated: unknown fields and out-of-range values are errors naming the field. */
export const detectOptionsSchema = z.strictObject({
  learning: z
    .strictObject({
      minEvents: z.number().int().min(0).default(50),
      minDays: z.number().min(0).default(2),
      maxDays: z.number().min(0).default(7),
    })
    .prefault({}),
  forgetAfterDays: z.number().positive().default(90),
  groupWindowSeconds: z.number().int().positive().default(3600),
  groupWindowOverrides: z
    .partialRecord(z.enum(DETECTOR_IDS), z.number().int().positive())
    .default({})
    .transform((o) => ({ ...groupWindowDefaults, ...o })),
  detectors: detectorOptionsSchema.prefault({}),
});

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Options with defaults for everything `partial` leaves out; throws an error naming every bad field. */
export function withDefaults(partial: DeepPartial<DetectOptions> = {}, source = 'detect options'): DetectOptions {
  const parsed = detectOptionsSchema.safeParse(partial);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid ${source}: ${problems}`);
  }
  return parsed.data as DetectOptions;
}

export const DEFAULT_DETECT_OPTIONS: DetectOptions = withDefaults();
