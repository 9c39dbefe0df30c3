import { describe, expect, it } from 'vitest';
import { interleavedSlices, slicesRatio, summariseSlices, type Slice } from '../../bench/lib/rest-load.mjs';

const slice = (requestsPerSecond: number, p99: number, errors = 0): Slice => ({
  requestsPerSecond,
  p50: p99 / 2,
  p99,
  p999: p99 * 2,
  errors,
  requests: requestsPerSecond,
});

describe('interleavedSlices', () => {
  it('warms every target once, then rotates which target goes first in each round', async () => {
    const calls: string[] = [];
    const load = async (url: string, _connections: number, seconds: number) => {
      calls.push(`${url}@${seconds}`);
      return slice(100, 10);
    };
    const slices = await interleavedSlices({ a: 'A', b: 'B', c: 'C' }, { load, connections: 4, seconds: 2, warmup: 1, runs: 3 });
    expect(calls).toEqual(['A@1', 'B@1', 'C@1', 'A@2', 'B@2', 'C@2', 'B@2', 'C@2', 'A@2', 'C@2', 'A@2', 'B@2']);
    expect(Object.keys(slices)).toEqual(['a', 'b', 'c']);
    expect(slices.a).toHaveLength(3);
  });

  it('alternates two targets and skips the warm-up when it is zero seconds', async () => {
    const calls: string[] = [];
    const load = async (url: string) => {
      calls.push(url);
      return slice(1, 1);
    };
    await interleavedSlices({ bare: 'bare', parley: 'parley' }, { load, connections: 1, seconds: 1, warmup: 0, runs: 2 });
    expect(calls).toEqual(['bare', 'parley', 'parley', 'bare']);
  });
});

describe('summariseSlices and slicesRatio', () => {
  it('summarises throughput and latency as min/median/max and sums the errors', () => {
    const summary = summariseSlices([slice(100, 10, 1), slice(300, 30), slice(200, 20, 2)]);
    expect(summary).toEqual({
      requestsPerSecond: { min: 100, median: 200, max: 300, runs: 3 },
      p50: { min: 5, median: 10, max: 15, runs: 3 },
      p99: { min: 10, median: 20, max: 30, runs: 3 },
      errors: 3,
    });
    expect(summariseSlices([slice(1, 10)], { p999: true }).p999).toEqual({ min: 20, median: 20, max: 20, runs: 1 });
  });

  it('divides each slice by the baseline slice of the same round', () => {
    const ratio = slicesRatio([slice(50, 20), slice(90, 40)], [slice(100, 10), slice(100, 10)]);
    expect(ratio.throughput).toEqual({ min: 0.5, median: 0.7, max: 0.9, runs: 2 });
    expect(ratio.p99).toEqual({ min: 2, median: 3, max: 4, runs: 2 });
  });
});
