export { evaluate } from './evaluate.ts';
export { formatEvaluation } from './format.ts';
export { generateDemo } from './generate.ts';
export { DEFAULT_DEMO } from './options.ts';
export { EVAL_GOALS, formatSeeds, parseSeeds, type SeedResult, type SeedsSummary, seedResult, summarizeSeeds } from './seeds.ts';
export type { AlertLike, BenignLabel, DemoDataset, DemoOptions, Evaluation, Incident, Score } from './types.ts';
