/**
 * Per-label precision, recall, F1 and support, laid out as scikit-learn's
 * `classification_report(..., output_dict=True)`, which is what Rasa writes to its report files.
 */

export interface LabelScores {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * Label → scores, then `accuracy` (or `micro avg` when predictions contain labels that never occur
 * as targets), `macro avg` and `weighted avg`.
 */
export type ClassificationReport = Record<string, LabelScores | number>;

export interface EvaluationMetrics {
  report: ClassificationReport;
  /** Support-weighted precision over the target labels. */
  precision: number;
  /** Support-weighted F1 over the target labels. */
  f1: number;
  /** Share of predictions equal to their target. */
  accuracy: number;
}

export interface EvaluationMetricsOptions {
  /**
   * A target label left out of the per-label scores and averages (Rasa leaves out `no_entity`
   * when scoring entities); accuracy still counts every prediction.
   */
  excludeLabel?: string;
}

/**
 * Scores predictions against targets, over the labels that occur as targets (sorted).
 * @example evaluationMetrics(['a', 'b'], ['a', 'a']).accuracy // 0.5
 */
export function evaluationMetrics(
  targets: readonly string[],
  predictions: readonly string[],
  options: EvaluationMetricsOptions = {},
): EvaluationMetrics {
  if (targets.length !== predictions.length) throw new RangeError('targets and predictions differ in length');
  const labels = [...new Set(targets)].filter((label) => label !== options.excludeLabel).sort();
  if (labels.length === 0) return { report: {}, precision: 0, f1: 0, accuracy: 0 };
  const counts = new Map(labels.map((label) => [label, { truePositives: 0, predicted: 0, actual: 0 }]));
  let correct = 0;
  for (let index = 0; index < targets.length; index += 1) {
    const target = targets[index];
    const prediction = predictions[index];
    const targetCounts = counts.get(target);
    if (targetCounts) targetCounts.actual += 1;
    const predictedCounts = counts.get(prediction);
    if (predictedCounts) predictedCounts.predicted += 1;
    if (target === prediction) {
      correct += 1;
      if (targetCounts) targetCounts.truePositives += 1;
    }
  }
  const report: ClassificationReport = {};
  const perLabel: LabelScores[] = [];
  for (const label of labels) {
    const { truePositives, predicted, actual } = counts.get(label)!;
    const scores = scoresOf(truePositives, predicted, actual);
    report[label] = scores;
    perLabel.push(scores);
  }
  const accuracy = correct / targets.length;
  // As scikit-learn: 'accuracy' only when the scored labels cover every label that occurs.
  const everyLabelIsTarget = predictions.every((prediction) => counts.has(prediction)) && targets.every((target) => counts.has(target));
  if (everyLabelIsTarget) {
    report.accuracy = accuracy;
  } else {
    const totals = [...counts.values()].reduce(
      (sum, count) => ({
        truePositives: sum.truePositives + count.truePositives,
        predicted: sum.predicted + count.predicted,
        actual: sum.actual + count.actual,
      }),
      { truePositives: 0, predicted: 0, actual: 0 },
    );
    report['micro avg'] = scoresOf(totals.truePositives, totals.predicted, totals.actual);
  }
  const support = perLabel.reduce((sum, scores) => sum + scores.support, 0);
  const average = (key: 'precision' | 'recall' | 'f1-score', weighted: boolean): number =>
    perLabel.reduce((sum, scores) => sum + scores[key] * (weighted ? scores.support / support : 1 / perLabel.length), 0);
  report['macro avg'] = { precision: average('precision', false), recall: average('recall', false), 'f1-score': average('f1-score', false), support };
  const weighted = { precision: average('precision', true), recall: average('recall', true), 'f1-score': average('f1-score', true), support };
  report['weighted avg'] = weighted;
  return { report, precision: weighted.precision, f1: weighted['f1-score'], accuracy };
}

/** Undefined ratios (nothing predicted, nothing to find) count as 0, as scikit-learn does. */
function scoresOf(truePositives: number, predicted: number, actual: number): LabelScores {
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = actual === 0 ? 0 : truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, 'f1-score': f1, support: actual };
}

/** Rows: target labels; columns: predicted labels; both over every label that occurs, sorted. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

/** Counts each (target, prediction) pair, as scikit-learn's `confusion_matrix` with `unique_labels`. */
export function confusionMatrix(targets: readonly string[], predictions: readonly string[]): ConfusionMatrix {
  const labels = [...new Set([...targets, ...predictions])].sort();
  const position = new Map(labels.map((label, index) => [label, index]));
  const counts = labels.map(() => new Array<number>(labels.length).fill(0));
  targets.forEach((target, index) => {
    counts[position.get(target)!][position.get(predictions[index])!] += 1;
  });
  return { labels, counts };
}

/** Per-label scores plus Rasa's `confused_with`: the labels most often predicted instead. */
export type ConfusedLabelScores = LabelScores & { confused_with: Record<string, number> };

/**
 * Adds `confused_with` to every label of `report`, as Rasa does in its report files: among the
 * three largest cells of the label's confusion-matrix row, those that are another label (not
 * `excludeLabel`) with a count above zero, largest first.
 */
export function addConfusedLabels(report: ClassificationReport, matrix: ConfusionMatrix, excludeLabel?: string): ClassificationReport {
  const candidates = Math.min(3, matrix.labels.length);
  for (const [row, label] of matrix.labels.entries()) {
    const scores = report[label];
    if (label === excludeLabel || typeof scores !== 'object') continue;
    const confused: Record<string, number> = {};
    const largest = matrix.counts[row]
      .map((count, column) => ({ count, column }))
      // Ties go to the later label, as numpy's argsort read from its end does.
      .sort((a, b) => b.count - a.count || b.column - a.column)
      .slice(0, candidates);
    for (const { count, column } of largest) {
      const other = matrix.labels[column];
      if (other !== label && other !== excludeLabel && count > 0) confused[other] = count;
    }
    (scores as ConfusedLabelScores).confused_with = confused;
  }
  return report;
}
