import { describe, expect, it } from 'vitest';
import { packRows } from '../../src/ml/sparse.js';
import { betterScore, crossValidate, stratifiedFolds } from '../../src/nlu/model-selection.js';

/** Two classes; column 0 or 1 says the class, column 2 is on for every row. */
function separable(rows: number) {
  const targets = Int32Array.from({ length: rows }, (_unused, row) => row % 2);
  const matrix = packRows(
    Array.from(targets, (target) => ({ indices: [target, 2], values: [1, 1] })),
    3,
  );
  return { matrix, targets };
}

describe('stratifiedFolds', () => {
  it('deals the rows of each class to the folds in turn', () => {
    expect([...stratifiedFolds(Int32Array.from([0, 0, 1, 0, 1, 1, 0]), 3)]).toEqual([0, 1, 0, 2, 1, 2, 0]);
  });
});

describe('crossValidate', () => {
  it('predicts every held-out row of separable data and scores the same twice', () => {
    const { matrix, targets } = separable(20);
    const fold = stratifiedFolds(targets, 5);
    const score = crossValidate(matrix, targets, 2, fold, 5, { l2: 1e-3 });
    expect(score.correct).toBe(20);
    expect(score).toEqual(crossValidate(matrix, targets, 2, fold, 5, { l2: 1e-3 }));
  });

  it('scores a model that only sees an uninformative column no better than chance', () => {
    const { targets } = separable(20);
    const constant = packRows(Array.from(targets, () => ({ indices: [2], values: [1] })), 3);
    const score = crossValidate(constant, targets, 2, stratifiedFolds(targets, 5), 5, { l2: 1e-3 });
    expect(score.correct).toBeLessThanOrEqual(10);
  });
});

describe('betterScore', () => {
  it('prefers more correct rows, then a lower log-loss', () => {
    expect(betterScore({ correct: 5, logLoss: 9 }, { correct: 4, logLoss: 1 })).toBe(true);
    expect(betterScore({ correct: 5, logLoss: 1 }, { correct: 5, logLoss: 2 })).toBe(true);
    expect(betterScore({ correct: 5, logLoss: 2 }, { correct: 5, logLoss: 2 })).toBe(false);
  });
});
