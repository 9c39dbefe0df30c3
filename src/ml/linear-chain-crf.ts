/**
 * Linear-chain CRF trained with L-BFGS on the full-batch regularised log-likelihood.
 *
 * The loss is convex, so training is deterministic and independent of any ordering. It is exact
 * but needs one pass over the data per iteration (plus line searches), each computing every
 * marginal; for large data sets `trainCrfPerceptron` (crf-perceptron.ts) needs a few cheap
 * Viterbi passes instead.
 * Inference (decoding, the model shape) lives in crf-inference.ts and is re-exported here.
 */
import type { CrfConstraints, CrfModel, CrfSequence, ParamView, Weights } from './crf-inference.js';
import { arcsOf, collectPairs, emissions, forwardBackward, maxLength, unconstrained, viewOf, Workspace } from './crf-inference.js';
import { lbfgsMemoryFor, minimizeLbfgs } from './softmax-regression.js';

export type { CrfConstraints, CrfDecoder, CrfDecoding, CrfModel, CrfSequence } from './crf-inference.js';
export { createCrfDecoder, decodeCrf, unconstrained } from './crf-inference.js';

export interface CrfTrainingOptions {
  /** L2 penalty, applied to the summed (not averaged) negative log-likelihood. @default 0.2 */
  l2?: number;
  /** @default 100 */
  maxIterations?: number;
  /** Relative loss improvement below which training stops. @default 1e-5 */
  tolerance?: number;
  /** @default every transition allowed */
  constraints?: CrfConstraints;
  onIteration?: (iteration: number, loss: number) => void;
}
/** The regularised negative log-likelihood over a data set, as L-BFGS minimises it. */
export interface CrfObjective {
  /** Number of parameters: pair weights, then transitions, start and end weights. */
  size: number;
  pairStart: Int32Array;
  pairLabel: Int32Array;
  evaluate(params: Float64Array, gradient: Float64Array): number;
}

export function createCrfObjective(
  sequences: readonly CrfSequence[],
  goldTags: readonly Int32Array[],
  labels: number,
  attributes: number,
  constraints: CrfConstraints,
  l2: number,
): CrfObjective {
  const { pairStart, pairLabel } = collectPairs(sequences, goldTags, labels, attributes);
  const pairs = pairLabel.length;
  const layout = { pairs, transition: pairs, start: pairs + labels * labels, end: pairs + labels * labels + labels };
  const size = layout.end + labels;
  const shape = { labels, attributes, pairStart, pairLabel, constraints };
  const arcs = arcsOf(constraints, labels);
  const workspace = new Workspace(labels, maxLength(sequences), arcs.arcParam.length);
  const empirical = empiricalCounts(sequences, goldTags, pairStart, pairLabel, attributes, labels, layout, size);

  // loss = Σ log Z − w·(gold counts) + l2/2 ‖w‖²; gradient = expected − gold counts + l2·w.
  const evaluate = (params: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    const view = viewOf(shape, splitParams(params, layout, size), arcs);
    let loss = 0;
    workspace.arcExpected.fill(0);
    for (const sequence of sequences) loss += addExpectedCounts(view, sequence, workspace, gradient, layout);
    for (let i = 0; i < arcs.arcParam.length; i++) gradient[layout.transition + arcs.arcParam[i]] += workspace.arcExpected[i];
    for (let i = 0; i < size; i++) {
      loss += 0.5 * l2 * params[i] * params[i] - params[i] * empirical[i];
      gradient[i] += l2 * params[i] - empirical[i];
    }
    return Number.isFinite(loss) ? loss : Infinity;
  };
  return { size, pairStart, pairLabel, evaluate };
}

function splitParams(params: Float64Array, layout: Layout, size: number): Weights {
  return {
    pairWeight: params.subarray(0, layout.pairs),
    transition: params.subarray(layout.transition, layout.start),
    start: params.subarray(layout.start, layout.end),
    end: params.subarray(layout.end, size),
  };
}

export function trainCrf(
  sequences: readonly CrfSequence[],
  goldTags: readonly Int32Array[],
  labels: number,
  attributes: number,
  options: CrfTrainingOptions = {},
): CrfModel {
  const constraints = options.constraints ?? unconstrained(labels);
  const objective = createCrfObjective(sequences, goldTags, labels, attributes, constraints, options.l2 ?? 0.2);
  const params = new Float64Array(objective.size);
  minimizeLbfgs(objective.evaluate, params, {
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 1e-5,
    memory: lbfgsMemoryFor(objective.size),
    onIteration: options.onIteration,
  });
  const pairs = objective.pairLabel.length;
  const weights = splitParams(params, { pairs, transition: pairs, start: pairs + labels * labels, end: pairs + labels * labels + labels }, objective.size);
  return {
    labels,
    attributes,
    pairStart: objective.pairStart,
    pairLabel: objective.pairLabel,
    pairWeight: Float32Array.from(weights.pairWeight),
    transition: Float32Array.from(weights.transition),
    start: Float32Array.from(weights.start),
    end: Float32Array.from(weights.end),
    constraints,
  };
}


interface Layout {
  pairs: number;
  transition: number;
  start: number;
  end: number;
}


/** Adds one sequence's expected feature counts to `gradient` and returns its log Z. */
function addExpectedCounts(view: ParamView, sequence: CrfSequence, work: Workspace, gradient: Float64Array, layout: Layout): number {
  const L = view.labels;
  const length = sequence.attributeStart.length - 1;
  if (length === 0) return 0;
  emissions(view, sequence, work.emission);
  const logZ = forwardBackward(view, length, work, true);
  const { alpha, beta, marginal } = work;
  for (let t = 0; t < length; t++) {
    const row = t * L;
    for (let y = 0; y < L; y++) marginal[y] = alpha[row + y] * beta[row + y];
    for (let k = sequence.attributeStart[t]; k < sequence.attributeStart[t + 1]; k++) {
      const attribute = sequence.attributes[k];
      if (attribute >= view.attributes) continue;
      const value = sequence.values[k];
      for (let p = view.pairStart[attribute]; p < view.pairStart[attribute + 1]; p++) {
        gradient[p] += value * marginal[view.pairLabel[p]];
      }
    }
  }
  const last = (length - 1) * L;
  for (let y = 0; y < L; y++) {
    gradient[layout.start + y] += alpha[y] * beta[y];
    gradient[layout.end + y] += alpha[last + y] * beta[last + y];
  }
  return logZ;
}

/** The gold (empirical) count of every parameter's feature; constant over training. */
function empiricalCounts(
  sequences: readonly CrfSequence[],
  goldTags: readonly Int32Array[],
  pairStart: Int32Array,
  pairLabel: Int32Array,
  attributes: number,
  labels: number,
  layout: Layout,
  size: number,
): Float64Array {
  const counts = new Float64Array(size);
  sequences.forEach((sequence, s) => {
    const gold = goldTags[s];
    for (let t = 0; t < gold.length; t++) {
      for (let k = sequence.attributeStart[t]; k < sequence.attributeStart[t + 1]; k++) {
        const attribute = sequence.attributes[k];
        if (attribute >= attributes) continue;
        for (let p = pairStart[attribute]; p < pairStart[attribute + 1]; p++) {
          if (pairLabel[p] === gold[t]) counts[p] += sequence.values[k];
        }
      }
      if (t > 0) counts[layout.transition + gold[t - 1] * labels + gold[t]] += 1;
    }
    if (gold.length > 0) {
      counts[layout.start + gold[0]] += 1;
      counts[layout.end + gold[gold.length - 1]] += 1;
    }
  });
  return counts;
}

