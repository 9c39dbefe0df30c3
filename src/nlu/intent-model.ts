/**
 * The statistical core of our intent classifiers and the response selector: multinomial
 * logistic regression over a message's sentence features.
 */
import type { IntentPrediction } from '../shared/nlu.js';
import { packRows } from '../ml/sparse.js';
import { lbfgsMemoryFor, predictSoftmax, trainSoftmax } from '../ml/softmax-regression.js';
import type { SoftmaxModel } from '../ml/softmax-regression.js';
import { decodeFloat32, encodeArray } from './array-codec.js';
import type { NluMessage } from './message.js';
import type { SentenceLayout, Weighting } from './sentence-features.js';
import { inverseDocumentFrequency, sentenceLayout, sentenceRow } from './sentence-features.js';

export interface IntentModelData {
  labels: string[];
  layout: SentenceLayout;
  weighting: Weighting;
  /** Encoded Float32Array, TF-IDF only. */
  idf: string | null;
  /** Encoded Float32Array `[feature * classes + class]`. */
  weights: string;
  biases: string;
}

export interface IntentModelOptions {
  /** Only featurizers with these aliases (all when empty). */
  featurizers: readonly string[];
  weighting: Weighting;
  l2: number;
  maxIterations: number;
  tolerance: number;
  onIteration?: (iteration: number, loss: number) => void;
}

/** Defaults chosen by held-out accuracy on the Braun and SNIPS corpora (see test/nlu). */
export const INTENT_MODEL_DEFAULTS: Omit<IntentModelOptions, 'featurizers'> = {
  weighting: 'tfidf',
  l2: 1e-4,
  maxIterations: 300,
  tolerance: 1e-7,
};

/** Trains on the messages whose `labelOf` is not null; null when fewer than two labels exist. */
export function trainIntentModel(
  messages: readonly NluMessage[],
  labelOf: (message: NluMessage) => string | null,
  options: IntentModelOptions,
): IntentModelData | null {
  const labelled = messages.filter((message) => labelOf(message) !== null);
  const labels = [...new Set(labelled.map((message) => labelOf(message) as string))].sort();
  if (labels.length < 2) return null;
  const layout = sentenceLayout(labelled, options.featurizers);
  const idf = options.weighting === 'tfidf' ? inverseDocumentFrequency(labelled, layout) : null;
  const settings = { weighting: options.weighting, idf };
  const rows = labelled.map((message) => sentenceRow(message, layout, settings));
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const targets = Int32Array.from(labelled, (message) => labelIndex.get(labelOf(message) as string) ?? 0);
  const model = trainSoftmax(packRows(rows, layout.columns), targets, labels.length, {
    l2: options.l2,
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
    memory: lbfgsMemoryFor(layout.columns * labels.length),
    onIteration: options.onIteration,
  });
  return {
    labels,
    layout,
    weighting: options.weighting,
    idf: idf ? encodeArray(idf) : null,
    weights: encodeArray(model.weights),
    biases: encodeArray(model.biases),
  };
}

/** A loaded intent model: label probabilities for a featurized message. */
export class IntentModel {
  readonly labels: readonly string[];
  readonly #layout: SentenceLayout;
  readonly #settings: { weighting: Weighting; idf: Float32Array | null };
  readonly #model: SoftmaxModel;

  constructor(data: IntentModelData) {
    this.labels = data.labels;
    this.#layout = data.layout;
    this.#settings = { weighting: data.weighting, idf: data.idf ? decodeFloat32(data.idf) : null };
    this.#model = {
      features: data.layout.columns,
      classes: data.labels.length,
      weights: decodeFloat32(data.weights),
      biases: decodeFloat32(data.biases),
    };
  }

  probabilities(message: NluMessage): Float64Array {
    return predictSoftmax(this.#model, sentenceRow(message, this.#layout, this.#settings));
  }
}

export interface Ranked {
  top: IntentPrediction;
  ranking: IntentPrediction[];
}

/**
 * Rasa's ranking: labels by confidence, cut to `rankingLength` (0 = all); with `renormalize`
 * the kept confidences are rescaled to sum to 1.
 */
export function rankLabels(
  labels: readonly string[],
  probabilities: ArrayLike<number>,
  rankingLength: number,
  renormalize: boolean,
): Ranked {
  const order = Array.from(labels, (_label, index) => index).sort(
    (a, b) => probabilities[b] - probabilities[a] || a - b,
  );
  const kept = rankingLength > 0 ? order.slice(0, rankingLength) : order;
  let total = 0;
  for (const index of kept) total += probabilities[index];
  const scale = renormalize && total > 0 ? 1 / total : 1;
  const ranking = kept.map((index) => ({ name: labels[index], confidence: probabilities[index] * scale }));
  return { top: ranking[0] ?? { name: null, confidence: 0 }, ranking };
}
