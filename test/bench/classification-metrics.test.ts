import { describe, expect, it } from 'vitest';
import { entityScores, intentScores } from '../../bench/lib/classification-metrics.mjs';

describe('bench/lib/classification-metrics', () => {
  it('computes accuracy, macro and weighted F1 as scikit-learn does', () => {
    const pairs = [
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'b' },
      { expected: 'b', predicted: 'b' },
    ];
    const scores = intentScores(pairs);
    expect(scores.accuracy).toBe(0.75);
    // a: precision 1, recall 2/3 → F1 0.8; b: precision 1/2, recall 1 → F1 2/3.
    expect(scores.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
    expect(scores.weightedF1).toBeCloseTo((0.8 * 3 + 2 / 3) / 4, 10);
  });

  it('counts a label that is only ever predicted in the macro average, with F1 0', () => {
    const scores = intentScores([
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'c' },
    ]);
    expect(scores.perLabel.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(scores.macroF1).toBeCloseTo((2 / 3) / 2, 10);
  });

  it('scores entities by exact type and span', () => {
    const gold = [{ entity: 'city', start: 0, end: 5 }, { entity: 'date', start: 9, end: 14 }];
    const found = [{ entity: 'city', start: 0, end: 5 }, { entity: 'date', start: 9, end: 13 }];
    expect(entityScores([{ gold, found }])).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });
});
