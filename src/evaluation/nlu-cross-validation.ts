/**
 * `parley test nlu --cross-validation`: stratified k-fold cross-validation of an NLU config.
 * Each fold trains the pipeline on the other folds and is scored on its own examples; Rasa's
 * per-fold means and standard deviations are returned, and the predictions of every test fold
 * together are scored into the usual result files.
 */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { seededRandom, shuffleInPlace } from '../ml/random.js';
import { loadNlu, trainNlu } from '../nlu/index.js';
import type { Domain } from '../shared/domain.js';
import type { ModelConfig } from '../shared/project.js';
import type { NluData, NluExample } from '../shared/training-data.js';
import type { ProgressEvent } from '../train/progress.js';
import { evaluationMetrics } from './classification-report.js';
import { alignEntityResult, NO_ENTITY } from './nlu-entity-alignment.js';
import { hasEntityLabels, pipelineRoles, predictNlu, type NluPredictions, type PipelineRoles } from './nlu-evaluation.js';
import { evaluatePredictions, writeNluResultFiles, type NluEvaluations, type WriteOptions } from './nlu-report-files.js';

/** Rasa's metric names, in its order. */
export const FOLD_METRICS = ['Accuracy', 'F1-score', 'Precision'] as const;
export type FoldMetric = (typeof FOLD_METRICS)[number];
/** Metric → one value per fold. */
export type FoldScores = Record<FoldMetric, number[]>;

export interface CrossValidationOptions extends Omit<WriteOptions, 'html'> {
  nlu: NluData;
  config: ModelConfig;
  domain: Domain;
  /** @default 5 */
  folds?: number;
  /** Seed of the fold assignment. @default 42 */
  seed?: number;
  logger?: Logger;
  onProgress?: (event: ProgressEvent) => void;
}

export interface CrossValidationResult {
  folds: number;
  intents: { train: FoldScores; test: FoldScores } | null;
  entities: Record<string, { train: FoldScores; test: FoldScores }>;
  responses: { train: FoldScores; test: FoldScores } | null;
  /** The predictions of every test fold scored together. */
  evaluations: NluEvaluations;
  files: string[];
}

/** Mean and (population) standard deviation, as numpy's defaults that Rasa prints. */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 0 };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Splits example indices into `folds` test folds with every (full) intent spread evenly over
 * them, shuffled with a seed so that runs are repeatable.
 */
export function stratifiedFolds(examples: readonly NluExample[], folds: number, seed: number): number[][] {
  const byLabel = new Map<string, number[]>();
  examples.forEach((example, index) => {
    const members = byLabel.get(example.intent) ?? [];
    members.push(index);
    byLabel.set(example.intent, members);
  });
  const random = seededRandom(seed);
  const assigned: number[][] = Array.from({ length: folds }, () => []);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const members = byLabel.get(label)!;
    shuffleInPlace(members, random);
    // Continue where the previous intent stopped, so small intents do not all land in fold 1.
    for (const index of members) {
      assigned[next].push(index);
      next = (next + 1) % folds;
    }
  }
  return assigned.map((fold) => fold.sort((a, b) => a - b));
}

export async function crossValidateNlu(options: CrossValidationOptions): Promise<CrossValidationResult> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'evaluation' });
  const folds = options.folds ?? 5;
  const examples = options.nlu.examples.filter((example) => example.text.trim() !== '');
  if (!Number.isInteger(folds) || folds < 2) {
    throw new ParleyError('PARLEY_ERR_CLI_USAGE', `Cross-validation needs at least 2 folds, not ${folds}. Set --folds to 2 or more.`);
  }
  if (examples.length < folds) {
    throw new ParleyError(
      'PARLEY_ERR_TRAINING_DATA_INVALID',
      `Cross-validation with ${folds} folds needs at least ${folds} NLU examples, but the data has ${examples.length}. Lower --folds or add examples.`,
    );
  }
  const split = stratifiedFolds(examples, folds, options.seed ?? 42);
  const scores = { intents: newScores(), responses: newScores(), entities: new Map<string, { train: FoldScores; test: FoldScores }>() };
  const accumulated: NluPredictions = { intents: [], responses: [], entities: [] };
  let roles: PipelineRoles | null = null;
  for (const [fold, testIndices] of split.entries()) {
    const inTest = new Set(testIndices);
    const train = examples.filter((_, index) => !inTest.has(index));
    const test = testIndices.map((index) => examples[index]);
    const report = (fraction: number, message: string): void =>
      options.onProgress?.({ stage: `cross-validation:fold-${fold + 1}`, fraction: (fold + fraction) / folds, message });
    report(0, `Fold ${fold + 1} of ${folds}: training on ${train.length} examples`);
    const model = await trainNlu(
      { nlu: { ...options.nlu, examples: train }, domain: options.domain, config: options.config },
      { logger, onProgress: (event) => report(0.8 * event.fraction, `Fold ${fold + 1} of ${folds}: ${event.message}`) },
    );
    const interpreter = loadNlu(model, options.domain, { logger });
    roles = pipelineRoles(model);
    report(0.85, `Fold ${fold + 1} of ${folds}: scoring ${test.length} test and ${train.length} training examples`);
    const trainPredictions = predictNlu(interpreter, train, roles);
    const testPredictions = predictNlu(interpreter, test, roles);
    addFoldScores(scores, trainPredictions, roles, 'train');
    addFoldScores(scores, testPredictions, roles, 'test');
    accumulated.intents.push(...testPredictions.intents);
    accumulated.responses.push(...testPredictions.responses);
    accumulated.entities.push(...testPredictions.entities);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const finalRoles = roles!;
  const evaluations = evaluatePredictions(accumulated, finalRoles, options.out !== null, true);
  const entityScores = hasEntityLabels(accumulated.entities) ? Object.fromEntries(scores.entities) : {};
  const result: CrossValidationResult = {
    folds,
    intents: accumulated.intents.length > 0 ? scores.intents : null,
    entities: entityScores,
    responses: accumulated.responses.length > 0 ? scores.responses : null,
    evaluations,
    files: [],
  };
  if (options.out !== null) {
    result.files = await writeNluResultFiles(evaluations, {
      ...options,
      out: options.out,
      html: {
        title: 'Parley NLU cross-validation',
        subtitle: `${folds}-fold cross-validation on ${examples.length} examples`,
        folds: { count: folds, rows: foldRows(result) },
      },
    });
  }
  options.onProgress?.({ stage: 'cross-validation:done', fraction: 1, message: 'Cross-validation finished' });
  return result;
}

/** One row per part, set and metric, for printing and the HTML report. */
export function foldRows(result: Pick<CrossValidationResult, 'intents' | 'entities' | 'responses'>): Array<{ part: string; set: string; metric: string; mean: number; std: number }> {
  const rows: Array<{ part: string; set: string; metric: string; mean: number; std: number }> = [];
  const add = (part: string, scores: { train: FoldScores; test: FoldScores }): void => {
    for (const set of ['train', 'test'] as const) {
      for (const metric of FOLD_METRICS) rows.push({ part, set, metric, ...meanAndStd(scores[set][metric]) });
    }
  };
  if (result.intents) add('intents', result.intents);
  for (const [extractor, scores] of Object.entries(result.entities)) add(extractor, scores);
  if (result.responses) add('response selection', result.responses);
  return rows;
}

function newScores(): { train: FoldScores; test: FoldScores } {
  return { train: emptyScores(), test: emptyScores() };
}

function emptyScores(): FoldScores {
  return { Accuracy: [], 'F1-score': [], Precision: [] };
}

function push(target: FoldScores, metrics: { accuracy: number; f1: number; precision: number }): void {
  target.Accuracy.push(metrics.accuracy);
  target['F1-score'].push(metrics.f1);
  target.Precision.push(metrics.precision);
}

function addFoldScores(
  scores: { intents: { train: FoldScores; test: FoldScores }; responses: { train: FoldScores; test: FoldScores }; entities: Map<string, { train: FoldScores; test: FoldScores }> },
  predictions: NluPredictions,
  roles: PipelineRoles,
  set: 'train' | 'test',
): void {
  if (predictions.intents.length > 0) {
    push(scores.intents[set], evaluationMetrics(predictions.intents.map((r) => r.target), predictions.intents.map((r) => r.prediction)));
  }
  if (predictions.responses.length > 0) {
    push(scores.responses[set], evaluationMetrics(predictions.responses.map((r) => r.target), predictions.responses.map((r) => r.prediction)));
  }
  if (predictions.entities.length > 0 && roles.extractors.length > 0) {
    const aligned = predictions.entities.map((result) => alignEntityResult(result, roles.extractors));
    const targets = aligned.flatMap((entry) => entry.targetLabels);
    for (const extractor of roles.extractors) {
      const labels = aligned.flatMap((entry) => entry.extractorLabels[extractor]);
      if (!scores.entities.has(extractor)) scores.entities.set(extractor, newScores());
      push(scores.entities.get(extractor)![set], evaluationMetrics(targets, labels, { excludeLabel: NO_ENTITY }));
    }
  }
}
