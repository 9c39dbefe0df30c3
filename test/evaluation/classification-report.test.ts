import { describe, expect, it } from 'vitest';
import { addConfusedLabels, confusionMatrix, evaluationMetrics, type ConfusedLabelScores } from '../../src/evaluation/classification-report.js';

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

describe('evaluationMetrics with an excluded label', () => {
  it('leaves the label out of the per-label scores and averages but not out of accuracy', () => {
    const targets = ['no_entity', 'city', 'city', 'no_entity'];
    const predictions = ['no_entity', 'city', 'no_entity', 'city'];
    const { report, accuracy, precision } = evaluationMetrics(targets, predictions, { excludeLabel: 'no_entity' });
    expect(Object.keys(report)).toEqual(['city', 'micro avg', 'macro avg', 'weighted avg']);
    expect(report.city).toEqual({ precision: 0.5, recall: 0.5, 'f1-score': 0.5, support: 2 });
    expect(accuracy).toBe(0.5);
    expect(precision).toBe(0.5);
  });

  it('gives an empty report and zeros when only the excluded label occurs', () => {
    expect(evaluationMetrics(['no_entity'], ['no_entity'], { excludeLabel: 'no_entity' })).toEqual({ report: {}, precision: 0, f1: 0, accuracy: 0 });
  });
});

describe('confusionMatrix and addConfusedLabels', () => {
  it('counts target/prediction pairs over every label, sorted', () => {
    expect(confusionMatrix(['a', 'b', 'b'], ['a', 'c', 'b'])).toEqual({
      labels: ['a', 'b', 'c'],
      counts: [
        [1, 0, 0],
        [0, 1, 1],
        [0, 0, 0],
      ],
    });
  });

  it('adds the labels most often predicted instead, largest first, as Rasa\'s confused_with', () => {
    const targets = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'c'];
    const predictions = ['a', 'b', 'b', 'c', 'd', 'd', 'b', 'c'];
    const { report } = evaluationMetrics(targets, predictions);
    addConfusedLabels(report, confusionMatrix(targets, predictions));
    // Row a: a=1, b=2, c=1, d=2 → the three largest cells are d(2), b(2), then c(1) (ties to the later label).
    expect((report.a as ConfusedLabelScores).confused_with).toEqual({ d: 2, b: 2, c: 1 });
    expect((report.b as ConfusedLabelScores).confused_with).toEqual({});
    expect(Object.keys((report.a as ConfusedLabelScores).confused_with)).toEqual(['d', 'b', 'c']);
  });

  it('never lists the excluded label', () => {
    const targets = ['city', 'city', 'no_entity'];
    const predictions = ['no_entity', 'no_entity', 'city'];
    const { report } = evaluationMetrics(targets, predictions, { excludeLabel: 'no_entity' });
    addConfusedLabels(report, confusionMatrix(targets, predictions), 'no_entity');
    expect((report.city as ConfusedLabelScores).confused_with).toEqual({});
    expect(report.no_entity).toBeUndefined();
  });
});
