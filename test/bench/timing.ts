/**
 * Runs `pass` once to warm up, then until `minMs` have passed (at least `minPasses` times); returns the
 * best rate (units per second). Best, not mean: on a shared machine other processes only ever add time,
 * so the fastest pass is the closest to the code's own cost and the most repeatable number.
 */
export function bestRate(pass: () => number, { minPasses = 3, minMs = 2000 } = {}): number {
  pass();
  let best = 0;
  let passes = 0;
  const started = performance.now();
  while (passes < minPasses || performance.now() - started < minMs) {
    const t0 = performance.now();
    const units = pass();
    best = Math.max(best, units / ((performance.now() - t0) / 1000));
    passes++;
  }
  return best;
}
