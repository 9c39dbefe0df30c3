import { describe, expect, it } from 'vitest';
import { packRows } from '../../src/ml/sparse.js';
import { lbfgsMemoryFor, predictSoftmax, trainSoftmax, minimizeLbfgs } from '../../src/ml/softmax-regression.js';
import { seededRandom } from '../../src/ml/random.js';

describe('minimizeLbfgs', () => {
  it('finds the minimum of a convex quadratic', () => {
    const target = [3, -2, 0.5];
    const x = new Float64Array(3);
    minimizeLbfgs(
      (point, gradient) => {
        let loss = 0;
        for (let i = 0; i < 3; i++) {
          const diff = point[i] - target[i];
          loss += (i + 1) * diff * diff;
          gradient[i] = 2 * (i + 1) * diff;
        }
        return loss;
      },
      x,
      { maxIterations: 100, tolerance: 1e-14, memory: 5 },
    );
    target.forEach((value, i) => expect(x[i]).toBeCloseTo(value, 4));
  });
});

describe('minimizeLbfgs with a short history', () => {
  it('keeps converging after its history is full and recycled', () => {
    const n = 30;
    const x = new Float64Array(n);
    let iterations = 0;
    minimizeLbfgs(
      (point, gradient) => {
        let loss = 0;
        for (let i = 0; i < n; i++) {
          // Ill-conditioned (curvatures 1 … 900), so it needs many more iterations than the history holds.
          const curvature = (i + 1) ** 2;
          const diff = point[i] - 1;
          loss += 0.5 * curvature * diff * diff;
          gradient[i] = curvature * diff;
        }
        return loss;
      },
      x,
      { maxIterations: 500, tolerance: 1e-16, memory: 3, onIteration: (iteration) => (iterations = iteration) },
    );
    expect(iterations).toBeGreaterThan(3);
    for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(1, 4);
  });
});

describe('trainSoftmax', () => {
  it('separates classes that each own a feature and returns normalised probabilities', () => {
    const rows = [
      { indices: [0], values: [1] },
      { indices: [0, 3], values: [1, 1] },
      { indices: [1], values: [1] },
      { indices: [1, 3], values: [1, 1] },
      { indices: [2], values: [1] },
      { indices: [2, 3], values: [1, 1] },
    ];
    const model = trainSoftmax(packRows(rows, 4), Int32Array.from([0, 0, 1, 1, 2, 2]), 3);
    for (const [feature, label] of [[0, 0], [1, 1], [2, 2]]) {
      const probabilities = predictSoftmax(model, { indices: [feature], values: [1] });
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(probabilities.indexOf(Math.max(...probabilities))).toBe(label);
      expect(probabilities[label]).toBeGreaterThan(0.8);
    }
  });

  it('is deterministic: the same data gives identical weights', () => {
    const random = seededRandom(7);
    const rows = Array.from({ length: 60 }, () => {
      const indices = [Math.floor(random() * 10), 10 + Math.floor(random() * 10)].sort((a, b) => a - b);
      return { indices, values: [1, 1] };
    });
    const labels = Int32Array.from(rows, (row) => row.indices[0] % 3);
    const first = trainSoftmax(packRows(rows, 20), labels, 3);
    const second = trainSoftmax(packRows(rows, 20), labels, 3);
    expect(Array.from(first.weights)).toEqual(Array.from(second.weights));
  });

  it('ignores features unseen in training at prediction time', () => {
    const model = trainSoftmax(packRows([{ indices: [0], values: [1] }, { indices: [1], values: [1] }], 2), Int32Array.from([0, 1]), 2);
    const probabilities = predictSoftmax(model, { indices: [0, 99], values: [1, 1] });
    expect(probabilities[0]).toBeGreaterThan(0.5);
  });
});

describe('lbfgsMemoryFor', () => {
  it('keeps a full history for small models and shortens it for big ones, never below 3', () => {
    expect(lbfgsMemoryFor(10_000)).toBe(10);
    expect(lbfgsMemoryFor(2_500_000)).toBe(5);
    expect(lbfgsMemoryFor(100_000_000)).toBe(3);
  });
});
