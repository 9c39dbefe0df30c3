/**
 * Linear-chain conditional random field over sparse token attributes, trained with L-BFGS.
 *
 * Only (attribute, label) pairs seen in the training data get a weight (as CRFsuite does by
 * default), which keeps the model small however many attributes there are. Transitions can be
 * restricted (e.g. to valid BILOU sequences): forbidden transitions are excluded both from
 * training (the partition function only sums over allowed paths) and from decoding.
 * The loss is convex, so training is deterministic and independent of any ordering.
 */
import { lbfgsMemoryFor, minimizeLbfgs } from './softmax-regression.js';

/** One token sequence: token t's attributes span `attributeStart[t]..attributeStart[t+1]`. */
export interface CrfSequence {
  readonly attributeStart: Int32Array;
  readonly attributes: Int32Array;
  readonly values: Float32Array;
}

/** Which label may follow which (`allowed[from * labels + to]`), and which may start or end. */
export interface CrfConstraints {
  readonly allowed: Uint8Array;
  readonly allowedStart: Uint8Array;
  readonly allowedEnd: Uint8Array;
}

export interface CrfModel {
  readonly labels: number;
  /** Attribute ids at or above this have no weights (never seen in training). */
  readonly attributes: number;
  /** The weighted labels of attribute a are `pairLabel[pairStart[a]..pairStart[a+1]]`. */
  readonly pairStart: Int32Array;
  readonly pairLabel: Int32Array;
  readonly pairWeight: Float32Array;
  /** `transition[from * labels + to]`. */
  readonly transition: Float32Array;
  readonly start: Float32Array;
  readonly end: Float32Array;
  readonly constraints: CrfConstraints;
}

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

/** The decoded tags of one sequence and the marginal probability of each chosen tag. */
export interface CrfDecoding {
  tags: Int32Array;
  confidences: Float64Array;
}

export function unconstrained(labels: number): CrfConstraints {
  return {
    allowed: new Uint8Array(labels * labels).fill(1),
    allowedStart: new Uint8Array(labels).fill(1),
    allowedEnd: new Uint8Array(labels).fill(1),
  };
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

/** A model made ready for decoding (transition tables precomputed once, at load). */
export interface CrfDecoder {
  readonly model: CrfModel;
  readonly view: ParamView;
}

export function createCrfDecoder(model: CrfModel): CrfDecoder {
  return { model, view: viewOf(model, model) };
}

/** Most likely tag sequence (Viterbi) plus each chosen tag's marginal probability. */
export function decodeCrf(decoder: CrfDecoder, sequence: CrfSequence): CrfDecoding {
  const { model, view } = decoder;
  const length = sequence.attributeStart.length - 1;
  const tags = new Int32Array(length);
  const confidences = new Float64Array(length);
  if (length === 0) return { tags, confidences };
  const workspace = new Workspace(model.labels, length);
  emissions(view, sequence, workspace.emission);
  viterbi(view, length, workspace, tags);
  forwardBackward(view, length, workspace);
  const L = model.labels;
  for (let t = 0; t < length; t++) confidences[t] = workspace.alpha[t * L + tags[t]] * workspace.beta[t * L + tags[t]];
  return { tags, confidences };
}

// ── internals ────────────────────────────────────────────────────────

/** Read-only view of the parameters, shared by training (Float64 params) and decoding. */
interface ParamView {
  labels: number;
  attributes: number;
  pairStart: Int32Array;
  pairLabel: Int32Array;
  pairWeight: ArrayLike<number>;
  transition: ArrayLike<number>;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
  constraints: CrfConstraints;
  arcs: Arcs;
  /** exp(weight) of each allowed transition, in `arcs` order. */
  arcWeight: Float64Array;
  /** exp(start) and exp(end), 0 where forbidden. */
  expStart: Float64Array;
  expEnd: Float64Array;
}

/**
 * The allowed transitions grouped by target label: the arcs into label y are
 * `arcStart[y]..arcStart[y+1]`, coming from `arcFrom[i]`, with weight `transition[arcParam[i]]`.
 * Contiguous arrays keep the forward/backward inner loops cache-friendly.
 */
interface Arcs {
  arcStart: Int32Array;
  arcFrom: Int32Array;
  arcParam: Int32Array;
}

interface Layout {
  pairs: number;
  transition: number;
  start: number;
  end: number;
}

class Workspace {
  emission: Float64Array;
  psi: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  scale: Float64Array;
  backPointer: Int32Array;
  delta: Float64Array;
  /** Expected count of each allowed transition, summed over a training pass. */
  arcExpected: Float64Array;
  /** Marginals of one token. */
  marginal: Float64Array;

  constructor(labels: number, length: number, arcs = 0) {
    const cells = Math.max(1, length) * labels;
    this.emission = new Float64Array(cells);
    this.psi = new Float64Array(cells);
    this.alpha = new Float64Array(cells);
    this.beta = new Float64Array(cells);
    this.scale = new Float64Array(Math.max(1, length) + 1);
    this.backPointer = new Int32Array(cells);
    this.delta = new Float64Array(cells);
    this.arcExpected = new Float64Array(arcs);
    this.marginal = new Float64Array(labels);
  }
}

function arcsOf(constraints: CrfConstraints, labels: number): Arcs {
  const arcStart = new Int32Array(labels + 1);
  const from: number[] = [];
  const param: number[] = [];
  for (let to = 0; to < labels; to++) {
    for (let f = 0; f < labels; f++) {
      if (!constraints.allowed[f * labels + to]) continue;
      from.push(f);
      param.push(f * labels + to);
    }
    arcStart[to + 1] = from.length;
  }
  return { arcStart, arcFrom: Int32Array.from(from), arcParam: Int32Array.from(param) };
}

interface Shape {
  labels: number;
  attributes: number;
  pairStart: Int32Array;
  pairLabel: Int32Array;
  constraints: CrfConstraints;
}

interface Weights {
  pairWeight: ArrayLike<number>;
  transition: ArrayLike<number>;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

function viewOf(shape: Shape, weights: Weights, arcs?: Arcs): ParamView {
  const L = shape.labels;
  const { allowedStart, allowedEnd } = shape.constraints;
  const allowedArcs = arcs ?? arcsOf(shape.constraints, L);
  const arcWeight = Float64Array.from(allowedArcs.arcParam, (param) => Math.exp(weights.transition[param]));
  const expStart = new Float64Array(L);
  const expEnd = new Float64Array(L);
  for (let y = 0; y < L; y++) {
    expStart[y] = allowedStart[y] ? Math.exp(weights.start[y]) : 0;
    expEnd[y] = allowedEnd[y] ? Math.exp(weights.end[y]) : 0;
  }
  return {
    labels: L,
    attributes: shape.attributes,
    pairStart: shape.pairStart,
    pairLabel: shape.pairLabel,
    constraints: shape.constraints,
    ...weights,
    arcs: allowedArcs,
    arcWeight,
    expStart,
    expEnd,
  };
}

function maxLength(sequences: readonly CrfSequence[]): number {
  let longest = 1;
  for (const sequence of sequences) longest = Math.max(longest, sequence.attributeStart.length - 1);
  return longest;
}

/** Every (attribute, gold label) pair in the data, grouped by attribute, labels ascending. */
function collectPairs(
  sequences: readonly CrfSequence[],
  goldTags: readonly Int32Array[],
  labels: number,
  attributes: number,
): { pairStart: Int32Array; pairLabel: Int32Array } {
  const seen = new Set<number>();
  sequences.forEach((sequence, s) => {
    const tags = goldTags[s];
    for (let t = 0; t < tags.length; t++) {
      for (let k = sequence.attributeStart[t]; k < sequence.attributeStart[t + 1]; k++) {
        const attribute = sequence.attributes[k];
        if (attribute < attributes) seen.add(attribute * labels + tags[t]);
      }
    }
  });
  const keys = Float64Array.from(seen).sort();
  const pairStart = new Int32Array(attributes + 1);
  const pairLabel = new Int32Array(keys.length);
  keys.forEach((key, index) => {
    const attribute = Math.floor(key / labels);
    pairLabel[index] = key - attribute * labels;
    pairStart[attribute + 1]++;
  });
  for (let a = 0; a < attributes; a++) pairStart[a + 1] += pairStart[a];
  return { pairStart, pairLabel };
}

function emissions(view: ParamView, sequence: CrfSequence, out: Float64Array): void {
  const L = view.labels;
  const length = sequence.attributeStart.length - 1;
  out.fill(0, 0, length * L);
  for (let t = 0; t < length; t++) {
    const row = t * L;
    for (let k = sequence.attributeStart[t]; k < sequence.attributeStart[t + 1]; k++) {
      const attribute = sequence.attributes[k];
      if (attribute >= view.attributes) continue;
      const value = sequence.values[k];
      for (let p = view.pairStart[attribute]; p < view.pairStart[attribute + 1]; p++) {
        out[row + view.pairLabel[p]] += view.pairWeight[p] * value;
      }
    }
  }
}

/**
 * Scaled forward-backward: afterwards `alpha[t,y] * beta[t,y]` is the marginal of tag y at t,
 * and the return value is log Z.
 */
function forwardBackward(view: ParamView, length: number, work: Workspace, accumulateArcs = false): number {
  const L = view.labels;
  const { emission, psi, alpha, beta, scale } = work;
  const { expStart, expEnd, arcWeight } = view;
  const { arcStart, arcFrom } = view.arcs;
  let logZ = 0;
  for (let t = 0; t < length; t++) {
    const row = t * L;
    let max = -Infinity;
    for (let y = 0; y < L; y++) if (emission[row + y] > max) max = emission[row + y];
    for (let y = 0; y < L; y++) psi[row + y] = Math.exp(emission[row + y] - max);
    logZ += max;
  }
  // forward
  let sum = 0;
  for (let y = 0; y < L; y++) {
    const value = expStart[y] * psi[y];
    alpha[y] = value;
    sum += value;
  }
  scale[0] = sum;
  for (let y = 0; y < L; y++) alpha[y] /= sum;
  for (let t = 1; t < length; t++) {
    const row = t * L;
    const previous = row - L;
    sum = 0;
    for (let y = 0; y < L; y++) {
      let total = 0;
      for (let i = arcStart[y]; i < arcStart[y + 1]; i++) total += alpha[previous + arcFrom[i]] * arcWeight[i];
      const value = total * psi[row + y];
      alpha[row + y] = value;
      sum += value;
    }
    scale[t] = sum;
    for (let y = 0; y < L; y++) alpha[row + y] /= sum;
  }
  const last = (length - 1) * L;
  let endSum = 0;
  for (let y = 0; y < L; y++) endSum += alpha[last + y] * expEnd[y];
  scale[length] = endSum;
  for (let t = 0; t <= length; t++) logZ += Math.log(scale[t]);
  // backward; in training the same loop also sums the expected count of every transition
  const arcExpected = work.arcExpected;
  for (let y = 0; y < L; y++) beta[last + y] = expEnd[y] / endSum;
  for (let t = length - 2; t >= 0; t--) {
    const row = t * L;
    const next = row + L;
    beta.fill(0, row, row + L);
    for (let y = 0; y < L; y++) {
      const carried = (psi[next + y] * beta[next + y]) / scale[t + 1];
      if (carried === 0) continue;
      if (accumulateArcs) {
        for (let i = arcStart[y]; i < arcStart[y + 1]; i++) {
          const from = row + arcFrom[i];
          const flow = arcWeight[i] * carried;
          beta[from] += flow;
          arcExpected[i] += alpha[from] * flow;
        }
      } else {
        for (let i = arcStart[y]; i < arcStart[y + 1]; i++) beta[row + arcFrom[i]] += arcWeight[i] * carried;
      }
    }
  }
  return logZ;
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

function viterbi(view: ParamView, length: number, work: Workspace, tags: Int32Array): void {
  const L = view.labels;
  const { emission, delta, backPointer } = work;
  const { allowedStart, allowedEnd } = view.constraints;
  const { arcStart, arcFrom, arcParam } = view.arcs;
  for (let y = 0; y < L; y++) delta[y] = allowedStart[y] ? view.start[y] + emission[y] : -Infinity;
  for (let t = 1; t < length; t++) {
    const row = t * L;
    const previous = row - L;
    for (let y = 0; y < L; y++) {
      let best = -Infinity;
      let bestFrom = arcStart[y] < arcStart[y + 1] ? arcFrom[arcStart[y]] : 0;
      for (let i = arcStart[y]; i < arcStart[y + 1]; i++) {
        const score = delta[previous + arcFrom[i]] + view.transition[arcParam[i]];
        if (score > best) {
          best = score;
          bestFrom = arcFrom[i];
        }
      }
      delta[row + y] = best + emission[row + y];
      backPointer[row + y] = bestFrom;
    }
  }
  const last = (length - 1) * L;
  let best = -Infinity;
  let bestTag = 0;
  for (let y = 0; y < L; y++) {
    const score = allowedEnd[y] ? delta[last + y] + view.end[y] : -Infinity;
    if (score > best) {
      best = score;
      bestTag = y;
    }
  }
  tags[length - 1] = bestTag;
  for (let t = length - 1; t > 0; t--) tags[t - 1] = backPointer[t * L + tags[t]];
}
