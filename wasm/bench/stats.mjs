// What the benchmarks report of their repeated measurements.

/** The median of `values` (of an even count, the upper of the two middle ones). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
