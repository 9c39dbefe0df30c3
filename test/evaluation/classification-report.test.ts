import { describe, expect, it } from 'vitest';
import { evaluationMetrics } from '../../src/evaluation/classification-report.js';

describe('evaluationMetrics', () => {
  it('scores each target label as scikit-learn does, with accuracy and averages', () => {
    const { report, accuracy, precision, f1 } = evaluationMetrics(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'c']);
    expect(Object.keys(report)).toEqual(['a', 'b', 'c', 'accuracy', 'macro avg', 'weighted avg']);
    expect(report.a).toEqual({ precision: 1, recall: 0.5, 'f1-score': 2 / 3, support: 2 });
    expect(report.b).toEqual({ precision: 0.5, recall: 1, 'f1-score': 2 / 3, support: 1 });
    expect(report.accuracy).toBe(0.75);
    expect(accuracy).toBe(0.75);
    expect((report['macro avg'] as { precision: number }).precision).toBeCloseTo((1 + 0.5 + 1) / 3);
    expect(precision).toBeCloseTo((1 * 2 + 0.5 + 1) / 4);
    expect(f1).toBeCloseTo(((2 / 3) * 2 + 2 / 3 + 1) / 4);
  });

  it('reports a micro average instead of accuracy when a prediction is never a target', () => {
    const { report, accuracy } = evaluationMetrics(['a', 'b'], ['a', 'circuit breaker tripped']);
    expect(report.accuracy).toBeUndefined();
    expect(report['micro avg']).toEqual({ precision: 1, recall: 0.5, 'f1-score': 2 / 3, support: 2 });
    expect(report['circuit breaker tripped']).toBeUndefined();
    expect(accuracy).toBe(0.5);
  });

  it('gives an empty report for no targets', () => {
    expect(evaluationMetrics([], []).report).toEqual({});
  });
});
