/** Index of the last entry of `starts` (sorted ascending) that is <= `value`, or -1: the range that may hold it. */
export function lastStartAtOrBefore(starts: Uint32Array, value: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
