/**
 * Multinomial logistic regression over sparse features, trained full-batch with L-BFGS.
 * The loss is convex, so the result does not depend on initialisation or ordering: training is
 * deterministic and needs no learning-rate tuning.
 */
import type { SparseMatrix, SparseRow } from './sparse.js';

export interface SoftmaxTrainingOptions {
  /** L2 penalty on the weights (not on the biases). @default 0.01 */
  l2?: number;
  /** @default 200 */
  maxIterations?: number;
  /** Stop when the relative loss improvement falls below this. @default 1e-6 */
  tolerance?: number;
  /** L-BFGS history length. @default 10 */
  memory?: number;
  /** Weight each class by n / (classes * count), so rare classes are not drowned out. @default true */
  balanceClasses?: boolean;
  /** Called after each iteration (for progress reporting). */
  onIteration?: (iteration: number, loss: number) => void;
}

/** A trained model: `weights[feature * classes + class]`, then one bias per class. */
export interface SoftmaxModel {
  readonly features: number;
  readonly classes: number;
  readonly weights: Float32Array;
  readonly biases: Float32Array;
}

export function trainSoftmax(
  matrix: SparseMatrix,
  labels: Int32Array,
  classes: number,
  options: SoftmaxTrainingOptions = {},
): SoftmaxModel {
  const l2 = options.l2 ?? 0.01;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-6;
  const memory = options.memory ?? 10;
  const features = matrix.columns;
  const size = features * classes + classes;
  const sampleWeights = computeSampleWeights(labels, classes, options.balanceClasses ?? true);

  const objective = (params: Float64Array, gradient: Float64Array): number =>
    lossAndGradient(matrix, labels, sampleWeights, classes, l2, params, gradient);

  const params = new Float64Array(size);
  minimizeLbfgs(objective, params, { maxIterations, tolerance, memory, onIteration: options.onIteration });

  return {
    features,
    classes,
    weights: Float32Array.from(params.subarray(0, features * classes)),
    biases: Float32Array.from(params.subarray(features * classes)),
  };
}

/** Class probabilities for one sparse row (features beyond the model's range are ignored). */
export function predictSoftmax(model: SoftmaxModel, row: SparseRow): Float64Array {
  const { classes, weights, biases } = model;
  const scores = new Float64Array(classes);
  for (let c = 0; c < classes; c++) scores[c] = biases[c];
  for (let k = 0; k < row.indices.length; k++) {
    const feature = row.indices[k];
    if (feature >= model.features) continue;
    const value = row.values[k];
    const base = feature * classes;
    for (let c = 0; c < classes; c++) scores[c] += weights[base + c] * value;
  }
  softmaxInPlace(scores);
  return scores;
}

export function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c] > max) max = scores[c];
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp(scores[c] - max);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
}

function computeSampleWeights(labels: Int32Array, classes: number, balance: boolean): Float64Array {
  const weights = new Float64Array(labels.length).fill(1);
  if (!balance || labels.length === 0) return weights;
  const counts = new Float64Array(classes);
  for (const label of labels) counts[label]++;
  const present = counts.filter((count) => count > 0).length;
  for (let i = 0; i < labels.length; i++) {
    weights[i] = labels.length / (present * counts[labels[i]]);
  }
  return weights;
}

function lossAndGradient(
  matrix: SparseMatrix,
  labels: Int32Array,
  sampleWeights: Float64Array,
  classes: number,
  l2: number,
  params: Float64Array,
  gradient: Float64Array,
): number {
  const { rowStart, indices, values } = matrix;
  const biasOffset = matrix.columns * classes;
  gradient.fill(0);
  const scores = new Float64Array(classes);
  let loss = 0;
  let totalWeight = 0;
  for (let row = 0; row < matrix.rows; row++) {
    for (let c = 0; c < classes; c++) scores[c] = params[biasOffset + c];
    for (let k = rowStart[row]; k < rowStart[row + 1]; k++) {
      const base = indices[k] * classes;
      const value = values[k];
      for (let c = 0; c < classes; c++) scores[c] += params[base + c] * value;
    }
    softmaxInPlace(scores);
    const weight = sampleWeights[row];
    totalWeight += weight;
    const label = labels[row];
    loss -= weight * Math.log(Math.max(scores[label], 1e-300));
    scores[label] -= 1;
    for (let c = 0; c < classes; c++) gradient[biasOffset + c] += weight * scores[c];
    for (let k = rowStart[row]; k < rowStart[row + 1]; k++) {
      const base = indices[k] * classes;
      const value = values[k] * weight;
      for (let c = 0; c < classes; c++) gradient[base + c] += scores[c] * value;
    }
  }
  const scale = totalWeight > 0 ? 1 / totalWeight : 1;
  loss *= scale;
  for (let i = 0; i < gradient.length; i++) gradient[i] *= scale;
  for (let i = 0; i < biasOffset; i++) {
    loss += 0.5 * l2 * params[i] * params[i];
    gradient[i] += l2 * params[i];
  }
  return loss;
}

/**
 * An L-BFGS history length that keeps its 2·memory parameter-sized vectors within about 200 MB,
 * between 3 and 10 (big models get a shorter history rather than running out of memory).
 */
export function lbfgsMemoryFor(parameters: number): number {
  return Math.max(3, Math.min(10, Math.floor(12_500_000 / Math.max(1, parameters))));
}

interface LbfgsOptions {
  maxIterations: number;
  tolerance: number;
  memory: number;
  onIteration?: (iteration: number, loss: number) => void;
}

/** Minimises `objective` in place from `x` with L-BFGS and a backtracking Armijo line search. */
export function minimizeLbfgs(
  objective: (x: Float64Array, gradient: Float64Array) => number,
  x: Float64Array,
  options: LbfgsOptions,
): number {
  const n = x.length;
  let gradient = new Float64Array(n);
  let loss = objective(x, gradient);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(options.memory);
  const candidate = new Float64Array(n);
  let candidateGradient = new Float64Array(n);

  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    // Two-loop recursion: direction = -H * gradient.
    direction.set(gradient);
    for (let i = sHistory.length - 1; i >= 0; i--) {
      alpha[i] = rhoHistory[i] * dot(sHistory[i], direction);
      axpy(-alpha[i], yHistory[i], direction);
    }
    if (sHistory.length > 0) {
      const last = sHistory.length - 1;
      const gamma = dot(sHistory[last], yHistory[last]) / dot(yHistory[last], yHistory[last]);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    } else {
      const norm = Math.sqrt(dot(gradient, gradient));
      if (norm === 0) return loss;
      for (let i = 0; i < n; i++) direction[i] /= norm;
    }
    for (let i = 0; i < sHistory.length; i++) {
      const beta = rhoHistory[i] * dot(yHistory[i], direction);
      axpy(alpha[i] - beta, sHistory[i], direction);
    }
    for (let i = 0; i < n; i++) direction[i] = -direction[i];

    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -gradient[i];
      slope = dot(gradient, direction);
    }

    let step = 1;
    let newLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) candidate[i] = x[i] + step * direction[i];
      newLoss = objective(candidate, candidateGradient);
      if (newLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(newLoss < loss)) return loss;

    // Reuse the oldest pair's arrays once the history is full: no garbage per iteration.
    const full = sHistory.length === options.memory;
    const s = full ? (sHistory[0] as Float64Array) : new Float64Array(n);
    const y = full ? (yHistory[0] as Float64Array) : new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const si = candidate[i] - x[i];
      const yi = candidateGradient[i] - gradient[i];
      s[i] = si;
      y[i] = yi;
      sy += si * yi;
    }
    if (sy > 1e-12) {
      if (full) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    } else if (full) {
      // The oldest pair's arrays now hold the rejected step: drop that pair.
      sHistory.shift();
      yHistory.shift();
      rhoHistory.shift();
    }
    x.set(candidate);
    const swap = gradient;
    gradient = candidateGradient;
    candidateGradient = swap;
    const improvement = (loss - newLoss) / Math.max(Math.abs(loss), 1e-12);
    loss = newLoss;
    options.onIteration?.(iteration, loss);
    if (improvement < options.tolerance) break;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(scale: number, source: Float64Array, target: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += scale * source[i];
}
