/** Types of rest-load.mjs (for the tests, which are TypeScript). */
import type { Spread } from './stats.mjs';

export interface Slice {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
  requests: number;
}
export type Load = (url: string, connections: number, seconds: number, overallRate?: number) => Promise<Slice>;
export function restLoad(options: { senders: number }): Load;
export function askHi(url: string, sender?: string): Promise<string>;
export function interleavedSlices(
  urls: Record<string, string>,
  options: { load: Load; connections: number; seconds: number; warmup: number; runs: number },
): Promise<Record<string, Slice[]>>;
export function summariseSlices(
  slices: Slice[],
  options?: { p999?: boolean },
): { requestsPerSecond: Spread; p50: Spread; p99: Spread; p999?: Spread; errors: number };
export function slicesRatio(slices: Slice[], baseline: Slice[]): { throughput: Spread; p50: Spread; p99: Spread };
