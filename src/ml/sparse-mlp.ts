/**
 * A one-hidden-layer neural classifier over sparse rows: sparse input → dense ReLU layer (with
 * dropout while training) → softmax. The hidden layer lets conjunctions of features count, which a
 * linear model cannot express. Trained with minibatch Adam; only the input-weight rows of features
 * present in a batch are updated ("lazy" Adam), so a step costs what the batch touches, not the
 * vocabulary size. Deterministic for a given seed.
 */
import { seededRandom, shuffleInPlace } from './random.js';
import type { SparseMatrix, SparseRow } from './sparse.js';
import { softmaxInPlace } from './softmax-regression.js';

export interface SparseMlpOptions {
  /** Hidden units. */
  hidden: number;
  /** Passes over the data. */
  epochs: number;
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Fraction of hidden units zeroed per training example. */
  dropout: number;
  seed: number;
  /** Half-width of the uniform initialisation of the input weights. @default 0.1 */
  initScale?: number;
  /** Weight each class by n / (classes * count), as the softmax regression does. @default true */
  balanceClasses?: boolean;
  /** Called after each epoch (for progress reporting). */
  onEpoch?: (epoch: number) => void;
}

/** `inputWeights[feature * hidden + unit]`, `outputWeights[unit * classes + class]`. */
export interface SparseMlpModel {
  readonly features: number;
  readonly hidden: number;
  readonly classes: number;
  readonly inputWeights: Float32Array;
  readonly hiddenBiases: Float32Array;
  readonly outputWeights: Float32Array;
  readonly outputBiases: Float32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** Adam moments and the gradient being accumulated for one parameter array. */
class AdamSlot {
  readonly gradient: Float64Array;
  readonly #first: Float32Array;
  readonly #second: Float32Array;

  constructor(size: number) {
    this.gradient = new Float64Array(size);
    this.#first = new Float32Array(size);
    this.#second = new Float32Array(size);
  }

  /** Applies the accumulated gradient to `weights[from..to)` and clears it there. */
  step(weights: Float32Array, from: number, to: number, rate: number): void {
    const gradient = this.gradient;
    const first = this.#first;
    const second = this.#second;
    for (let i = from; i < to; i++) {
      const g = gradient[i];
      const m = BETA1 * first[i] + (1 - BETA1) * g;
      const v = BETA2 * second[i] + (1 - BETA2) * g * g;
      first[i] = m;
      second[i] = v;
      weights[i] -= (rate * m) / (Math.sqrt(v) + EPSILON);
      gradient[i] = 0;
    }
  }
}

function classWeights(labels: Int32Array, classes: number, balance: boolean): Float64Array {
  const counts = new Float64Array(classes);
  for (const label of labels) counts[label]++;
  let present = 0;
  for (const count of counts) if (count > 0) present++;
  return Float64Array.from(counts, (count) => (balance && count > 0 ? labels.length / (present * count) : 1));
}

export function trainSparseMlp(matrix: SparseMatrix, labels: Int32Array, classes: number, options: SparseMlpOptions): SparseMlpModel {
  const { rowStart, indices, values } = matrix;
  const features = matrix.columns;
  const hidden = options.hidden;
  const random = seededRandom(options.seed);
  const initScale = options.initScale ?? 0.1;
  const inputWeights = new Float32Array(features * hidden);
  for (let i = 0; i < inputWeights.length; i++) inputWeights[i] = (2 * random() - 1) * initScale;
  const hiddenBiases = new Float32Array(hidden);
  const outputWeights = new Float32Array(hidden * classes);
  const outputScale = Math.sqrt(6 / (hidden + classes));
  for (let i = 0; i < outputWeights.length; i++) outputWeights[i] = (2 * random() - 1) * outputScale;
  const outputBiases = new Float32Array(classes);

  const inputSlot = new AdamSlot(inputWeights.length);
  const hiddenBiasSlot = new AdamSlot(hidden);
  const outputSlot = new AdamSlot(outputWeights.length);
  const outputBiasSlot = new AdamSlot(classes);
  const touched = new Uint8Array(features);
  const touchedFeatures = new Int32Array(features);
  const weightOfClass = classWeights(labels, classes, options.balanceClasses ?? true);

  const activation = new Float64Array(hidden);
  const keepScale = new Float64Array(hidden);
  const active = new Int32Array(hidden);
  /** Back-propagated error of the active units, in the order of `active`. */
  const hiddenError = new Float64Array(hidden);
  const scores = new Float64Array(classes);
  const keep = 1 - options.dropout;
  const order = Int32Array.from({ length: matrix.rows }, (_unused, row) => row);
  let steps = 0;

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let first = 0; first < order.length; first += options.batchSize) {
      const last = Math.min(order.length, first + options.batchSize);
      let touchedCount = 0;
      for (let position = first; position < last; position++) {
        const row = order[position];
        const start = rowStart[row];
        const end = rowStart[row + 1];
        for (let unit = 0; unit < hidden; unit++) activation[unit] = hiddenBiases[unit];
        for (let k = start; k < end; k++) {
          const base = indices[k] * hidden;
          const value = values[k];
          for (let unit = 0; unit < hidden; unit++) activation[unit] += inputWeights[base + unit] * value;
        }
        // Units that are off (ReLU) or dropped pass no gradient back: the backward pass skips them.
        let activeCount = 0;
        for (let unit = 0; unit < hidden; unit++) {
          const dropped = activation[unit] <= 0 || (options.dropout > 0 && random() >= keep);
          keepScale[unit] = dropped ? 0 : 1 / keep;
          activation[unit] *= keepScale[unit];
          if (!dropped) active[activeCount++] = unit;
        }
        for (let c = 0; c < classes; c++) scores[c] = outputBiases[c];
        for (let u = 0; u < activeCount; u++) {
          const unit = active[u];
          const a = activation[unit];
          const base = unit * classes;
          for (let c = 0; c < classes; c++) scores[c] += outputWeights[base + c] * a;
        }
        softmaxInPlace(scores);
        const label = labels[row];
        const weight = weightOfClass[label] / (last - first);
        scores[label] -= 1;
        for (let c = 0; c < classes; c++) {
          scores[c] *= weight;
          outputBiasSlot.gradient[c] += scores[c];
        }
        for (let u = 0; u < activeCount; u++) {
          const unit = active[u];
          const base = unit * classes;
          const a = activation[unit];
          let error = 0;
          for (let c = 0; c < classes; c++) {
            error += outputWeights[base + c] * scores[c];
            outputSlot.gradient[base + c] += a * scores[c];
          }
          hiddenError[u] = error * keepScale[unit];
          hiddenBiasSlot.gradient[unit] += hiddenError[u];
        }
        const inputGradient = inputSlot.gradient;
        for (let k = start; k < end; k++) {
          const feature = indices[k];
          if (touched[feature] === 0) {
            touched[feature] = 1;
            touchedFeatures[touchedCount++] = feature;
          }
          const base = feature * hidden;
          const value = values[k];
          for (let u = 0; u < activeCount; u++) inputGradient[base + active[u]] += hiddenError[u] * value;
        }
      }
      steps++;
      const rate = (options.learningRate * Math.sqrt(1 - BETA2 ** steps)) / (1 - BETA1 ** steps);
      for (let t = 0; t < touchedCount; t++) {
        const feature = touchedFeatures[t];
        inputSlot.step(inputWeights, feature * hidden, feature * hidden + hidden, rate);
        touched[feature] = 0;
      }
      outputSlot.step(outputWeights, 0, outputWeights.length, rate);
      hiddenBiasSlot.step(hiddenBiases, 0, hidden, rate);
      outputBiasSlot.step(outputBiases, 0, classes, rate);
    }
    options.onEpoch?.(epoch);
  }
  return { features, hidden, classes, inputWeights, hiddenBiases, outputWeights, outputBiases };
}

/** Class probabilities for one sparse row (features beyond the model's range are ignored). */
export function predictSparseMlp(model: SparseMlpModel, row: SparseRow): Float64Array {
  const { hidden, classes, inputWeights, outputWeights } = model;
  const activation = Float64Array.from(model.hiddenBiases);
  for (let k = 0; k < row.indices.length; k++) {
    const feature = row.indices[k];
    if (feature >= model.features) continue;
    const base = feature * hidden;
    const value = row.values[k];
    for (let unit = 0; unit < hidden; unit++) activation[unit] += inputWeights[base + unit] * value;
  }
  const scores = Float64Array.from(model.outputBiases);
  for (let unit = 0; unit < hidden; unit++) {
    const a = activation[unit];
    if (a <= 0) continue;
    const base = unit * classes;
    for (let c = 0; c < classes; c++) scores[c] += outputWeights[base + c] * a;
  }
  softmaxInPlace(scores);
  return scores;
}
