export { evaluate } from './evaluate.ts';
export { formatEvaluation } from './format.ts';
export { generateDemo } from './generate.ts';
export { DEFAULT_DEMO } from './options.ts';
export type { AlertLike, BenignLabel, DemoDataset, DemoOptions, Evaluation, Incident, Score } from './types.ts';
