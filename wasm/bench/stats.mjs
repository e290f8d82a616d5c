// What the benchmarks report of their repeated measurements.

/**
 * The median of `values`: of an even count, the mean of the two middle ones, as
 * `bench/compare.d/harness.cjs` and Python's `statistics.median` take it, so that every
 * figure of the benchmarks means the same.
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
