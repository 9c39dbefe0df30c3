/**
 * Linear-chain CRF inference shared by the trainers: the model shape, emission scores over
 * sparse (attribute, label) pair weights, scaled forward-backward and constrained Viterbi.
 *
 * Only (attribute, label) pairs seen in the training data get a weight (as CRFsuite does by
 * default), which keeps the model small however many attributes there are. Transitions can be
 * restricted (e.g. to valid BILOU sequences): forbidden transitions are excluded from the
 * partition function and from decoding.
 */

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

// ── internals shared with the trainers in src/ml ─────────────────────

/**
 * A view of the parameters shared by training (Float64 params) and decoding. The exp and log
 * tables are derived at creation; a trainer that changes the weights afterwards calls
 * `refreshViterbiScores` (the perceptron) or makes a new view (L-BFGS).
 */
export interface ParamView {
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
  /**
   * The same scores in log space for Viterbi (start/end −∞ where forbidden). Plain Float64Arrays
   * whatever the weights' type, so the decoding loop stays monomorphic.
   */
  arcScore: Float64Array;
  startScore: Float64Array;
  endScore: Float64Array;
}

/**
 * The allowed transitions grouped by target label: the arcs into label y are
 * `arcStart[y]..arcStart[y+1]`, coming from `arcFrom[i]`, with weight `transition[arcParam[i]]`.
 * Contiguous arrays keep the forward/backward inner loops cache-friendly.
 */
export interface Arcs {
  arcStart: Int32Array;
  arcFrom: Int32Array;
  arcParam: Int32Array;
}

export class Workspace {
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

export function arcsOf(constraints: CrfConstraints, labels: number): Arcs {
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

export interface Shape {
  labels: number;
  attributes: number;
  pairStart: Int32Array;
  pairLabel: Int32Array;
  constraints: CrfConstraints;
}

export interface Weights {
  pairWeight: ArrayLike<number>;
  transition: ArrayLike<number>;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

export function viewOf(shape: Shape, weights: Weights, arcs?: Arcs): ParamView {
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
  const view: ParamView = {
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
    arcScore: new Float64Array(allowedArcs.arcParam.length),
    startScore: new Float64Array(L),
    endScore: new Float64Array(L),
  };
  refreshViterbiScores(view);
  return view;
}

/** Recomputes the log-space transition scores Viterbi reads, after the weights changed. */
export function refreshViterbiScores(view: ParamView): void {
  const { arcScore, startScore, endScore, transition, start, end } = view;
  const { arcParam } = view.arcs;
  const { allowedStart, allowedEnd } = view.constraints;
  for (let i = 0; i < arcParam.length; i++) arcScore[i] = transition[arcParam[i]];
  for (let y = 0; y < view.labels; y++) {
    startScore[y] = allowedStart[y] ? start[y] : -Infinity;
    endScore[y] = allowedEnd[y] ? end[y] : -Infinity;
  }
}

export function maxLength(sequences: readonly CrfSequence[]): number {
  let longest = 1;
  for (const sequence of sequences) longest = Math.max(longest, sequence.attributeStart.length - 1);
  return longest;
}

/** Every (attribute, gold label) pair in the data, grouped by attribute, labels ascending. */
export function collectPairs(
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

export function emissions(view: ParamView, sequence: CrfSequence, out: Float64Array): void {
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
export function forwardBackward(view: ParamView, length: number, work: Workspace, accumulateArcs = false): number {
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

export function viterbi(view: ParamView, length: number, work: Workspace, tags: Int32Array): void {
  const L = view.labels;
  const { emission, delta, backPointer } = work;
  const { arcScore, startScore, endScore } = view;
  const { arcStart, arcFrom } = view.arcs;
  for (let y = 0; y < L; y++) delta[y] = startScore[y] + emission[y];
  for (let t = 1; t < length; t++) {
    const row = t * L;
    const previous = row - L;
    for (let y = 0; y < L; y++) {
      const first = arcStart[y];
      const last = arcStart[y + 1];
      let best = -Infinity;
      let bestFrom = first < last ? arcFrom[first] : 0;
      for (let i = first; i < last; i++) {
        const score = delta[previous + arcFrom[i]] + arcScore[i];
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
    const score = delta[last + y] + endScore[y];
    if (score > best) {
      best = score;
      bestTag = y;
    }
  }
  tags[length - 1] = bestTag;
  for (let t = length - 1; t > 0; t--) tags[t - 1] = backPointer[t * L + tags[t]];
}
