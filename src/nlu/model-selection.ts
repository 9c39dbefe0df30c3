/**
 * Cross-validation for choosing the intent model's settings (L2 strength, block weights) on
 * small data sets, where the best settings depend on the data and a few extra trainings cost
 * little. Folds are dealt by row order, so the same data always gives the same choice.
 */
import type { SparseMatrix } from '../ml/sparse.js';
import { packRows } from '../ml/sparse.js';
import type { SoftmaxTrainingOptions } from '../ml/softmax-regression.js';
import { predictSoftmax, trainSoftmax } from '../ml/softmax-regression.js';

export interface CrossValidationScore {
  /** Held-out rows predicted correctly (top class). */
  correct: number;
  /** Summed held-out negative log-likelihood of the true class. */
  logLoss: number;
}

/**
 * Fold of each row: the rows of each class are dealt to the folds in turn, so every fold gets
 * its share of every class (a class with fewer rows than folds is missing from some folds).
 */
export function stratifiedFolds(targets: Int32Array, folds: number): Int32Array {
  const seen = new Map<number, number>();
  return Int32Array.from(targets, (target) => {
    const count = seen.get(target) ?? 0;
    seen.set(target, count + 1);
    return count % folds;
  });
}

function rowsWhere(matrix: SparseMatrix, keep: (row: number) => boolean): { matrix: SparseMatrix; rows: number[] } {
  const rows: number[] = [];
  for (let row = 0; row < matrix.rows; row++) if (keep(row)) rows.push(row);
  const sparseRows = rows.map((row) => ({
    indices: matrix.indices.subarray(matrix.rowStart[row], matrix.rowStart[row + 1]),
    values: matrix.values.subarray(matrix.rowStart[row], matrix.rowStart[row + 1]),
  }));
  return { matrix: packRows(sparseRows, matrix.columns), rows };
}

/** Held-out score of softmax regression with `training` options over the given folds. */
export function crossValidate(
  matrix: SparseMatrix,
  targets: Int32Array,
  classes: number,
  fold: Int32Array,
  folds: number,
  training: Omit<SoftmaxTrainingOptions, 'onIteration'>,
): CrossValidationScore {
  let correct = 0;
  let logLoss = 0;
  for (let k = 0; k < folds; k++) {
    const train = rowsWhere(matrix, (row) => fold[row] !== k);
    const held = rowsWhere(matrix, (row) => fold[row] === k);
    if (train.rows.length === 0 || held.rows.length === 0) continue;
    const model = trainSoftmax(train.matrix, Int32Array.from(train.rows, (row) => targets[row]), classes, training);
    held.rows.forEach((row, position) => {
      const start = held.matrix.rowStart[position];
      const end = held.matrix.rowStart[position + 1];
      const probabilities = predictSoftmax(model, {
        indices: held.matrix.indices.subarray(start, end),
        values: held.matrix.values.subarray(start, end),
      });
      let best = 0;
      for (let c = 1; c < classes; c++) if (probabilities[c] > probabilities[best]) best = c;
      if (best === targets[row]) correct++;
      logLoss -= Math.log(Math.max(probabilities[targets[row]], 1e-12));
    });
  }
  return { correct, logLoss };
}

/** Whether `a` beats `b`: more correct, or as many with a lower log-loss. */
export function betterScore(a: CrossValidationScore, b: CrossValidationScore): boolean {
  return a.correct > b.correct || (a.correct === b.correct && a.logLoss < b.logLoss - 1e-9);
}
