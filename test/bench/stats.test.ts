import { describe, expect, it } from 'vitest';
import { median, pairedRatio, quantile, roundAll, spread } from '../../bench/lib/stats.mjs';

describe('bench statistics', () => {
  it('takes the median of odd and even counts and ignores non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, Number.NaN, 3])).toBe(2);
  });

  it('takes quantiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
  });

  it('summarises ratios pair by pair, not as a ratio of medians', () => {
    expect(pairedRatio([2, 6, 3], [1, 2, 3])).toEqual({ min: 1, median: 2, max: 3, runs: 3 });
    expect(spread([5])).toEqual({ min: 5, median: 5, max: 5, runs: 1 });
  });

  it('rounds every number of a result tree and maps non-finite numbers to null', () => {
    expect(roundAll({ a: 1.23456, b: [Number.NaN, 2.0004], c: 'x' })).toEqual({ a: 1.235, b: [null, 2], c: 'x' });
  });
});
