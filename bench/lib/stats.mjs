/** Small statistics helpers: every published figure is a median of several interleaved runs. */

/** Median of finite numbers (NaN for an empty list). */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Min, median and max of runs: the spread says how noisy the machine was. */
export function spread(values) {
  const finite = values.filter(Number.isFinite);
  return { min: Math.min(...finite), median: median(finite), max: Math.max(...finite), runs: finite.length };
}

/** Ratios target/baseline pair by pair (pairs measured next to each other), summarised. */
export function pairedRatio(targets, baselines) {
  const ratios = targets.map((value, index) => value / baselines[index]);
  return spread(ratios);
}

/** Rounds for JSON output without losing the meaningful digits. */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Rounds every number in a plain object tree. */
export function roundAll(tree, digits = 3) {
  if (typeof tree === 'number') return round(tree, digits);
  if (Array.isArray(tree)) return tree.map((item) => roundAll(item, digits));
  if (tree && typeof tree === 'object') {
    return Object.fromEntries(Object.entries(tree).map(([key, value]) => [key, roundAll(value, digits)]));
  }
  return tree;
}
