/** Types of stats.mjs (for the tests, which are TypeScript). */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}
export function median(values: number[]): number;
export function quantile(values: number[], q: number): number;
export function spread(values: number[]): Spread;
export function pairedRatio(targets: number[], baselines: number[]): Spread;
export function round(value: number, digits?: number): number | null;
export function roundAll<T>(tree: T, digits?: number): T;
