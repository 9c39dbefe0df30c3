import { describe, expect, it } from 'vitest';
import { packRows } from '../../src/ml/sparse.js';
import type { SparseRow } from '../../src/ml/sparse.js';
import { predictSoftmax, trainSoftmax } from '../../src/ml/softmax-regression.js';
import { predictSparseMlp, trainSparseMlp } from '../../src/ml/sparse-mlp.js';
import type { SparseMlpOptions } from '../../src/ml/sparse-mlp.js';

/**
 * XOR over two features (plus an always-on third): class 1 when exactly one of features 0 and 1
 * is present. No linear model can separate it; one hidden layer can.
 */
const XOR_ROWS: Array<{ row: SparseRow; label: number }> = [
  { row: { indices: [2], values: [1] }, label: 0 },
  { row: { indices: [0, 2], values: [1, 1] }, label: 1 },
  { row: { indices: [1, 2], values: [1, 1] }, label: 1 },
  { row: { indices: [0, 1, 2], values: [1, 1, 1] }, label: 0 },
];

function xorData(copies: number) {
  const rows = Array.from({ length: copies }, () => XOR_ROWS).flat();
  return { matrix: packRows(rows.map((entry) => entry.row), 3), labels: Int32Array.from(rows, (entry) => entry.label) };
}

const OPTIONS: SparseMlpOptions = { hidden: 16, epochs: 150, batchSize: 8, learningRate: 0.02, dropout: 0, seed: 7, initScale: 0.5 };

const predicted = (probabilities: Float64Array) => (probabilities[1] > probabilities[0] ? 1 : 0);

describe('trainSparseMlp', () => {
  it('learns a conjunction of features that softmax regression cannot', () => {
    const { matrix, labels } = xorData(25);
    const network = trainSparseMlp(matrix, labels, 2, OPTIONS);
    expect(XOR_ROWS.map((entry) => predicted(predictSparseMlp(network, entry.row)))).toEqual([0, 1, 1, 0]);
    for (const entry of XOR_ROWS) expect(predictSparseMlp(network, entry.row)[entry.label]).toBeGreaterThan(0.9);

    const linear = trainSoftmax(matrix, labels, 2, { l2: 1e-4 });
    const linearRight = XOR_ROWS.filter((entry) => predicted(predictSoftmax(linear, entry.row)) === entry.label).length;
    expect(linearRight).toBeLessThan(4);
  });

  it('gives the same network for the same seed and a different one for another seed', () => {
    const { matrix, labels } = xorData(5);
    const options = { ...OPTIONS, epochs: 3, dropout: 0.5 };
    const first = trainSparseMlp(matrix, labels, 2, options);
    const again = trainSparseMlp(matrix, labels, 2, options);
    expect(again.inputWeights).toEqual(first.inputWeights);
    expect(again.outputWeights).toEqual(first.outputWeights);
    expect(again.hiddenBiases).toEqual(first.hiddenBiases);
    expect(again.outputBiases).toEqual(first.outputBiases);
    const other = trainSparseMlp(matrix, labels, 2, { ...options, seed: 8 });
    expect(other.inputWeights).not.toEqual(first.inputWeights);
  });

  it('reports every epoch', () => {
    const { matrix, labels } = xorData(2);
    const epochs: number[] = [];
    trainSparseMlp(matrix, labels, 2, { ...OPTIONS, epochs: 4, onEpoch: (epoch) => epochs.push(epoch) });
    expect(epochs).toEqual([1, 2, 3, 4]);
  });

  it('lets a rare class count as much as a frequent one when balancing classes', () => {
    // Feature 0 is ambiguous: 9 rows of class 0 and 3 rows of class 1 have it, nothing else.
    const rows = [...Array.from({ length: 9 }, () => 0), ...Array.from({ length: 3 }, () => 1)];
    const matrix = packRows(rows.map(() => ({ indices: [0], values: [1] })), 1);
    const labels = Int32Array.from(rows);
    const options = { ...OPTIONS, epochs: 100 };
    const balanced = predictSparseMlp(trainSparseMlp(matrix, labels, 2, options), { indices: [0], values: [1] });
    const plain = predictSparseMlp(trainSparseMlp(matrix, labels, 2, { ...options, balanceClasses: false }), { indices: [0], values: [1] });
    expect(balanced[1]).toBeCloseTo(0.5, 1);
    expect(plain[1]).toBeCloseTo(0.25, 1);
  });
});

describe('predictSparseMlp', () => {
  it('returns probabilities that sum to one and ignores features the network never had', () => {
    const { matrix, labels } = xorData(5);
    const network = trainSparseMlp(matrix, labels, 2, { ...OPTIONS, epochs: 5 });
    const known = predictSparseMlp(network, { indices: [0, 2], values: [1, 1] });
    const withUnknown = predictSparseMlp(network, { indices: [0, 2, 3, 99], values: [1, 1, 5, 5] });
    expect(known[0] + known[1]).toBeCloseTo(1, 12);
    expect(withUnknown).toEqual(known);
  });
});
