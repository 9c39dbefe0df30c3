/**
 * The policy Parley trains under Rasa's name `TEDPolicy`: multinomial logistic regression over the
 * features of the newest `max_history` dialogue states (default 5), trained on the stories. It
 * generalises to conversations the stories do not contain literally, which is TED's job in the
 * ensemble. It is deliberately small; a stronger model can replace it by registering another
 * `TEDPolicy` trainer/loader pair with a new data `model` tag (see `registry.ts`).
 */
import { packRows, type SparseRow } from '../../ml/sparse.js';
import { predictSoftmax, trainSoftmax, type SoftmaxModel } from '../../ml/softmax-regression.js';
import {
  decodeFloat32Array,
  encodeFloat32Array,
  type EncodedFloat32Array,
} from './model-data.js';
import type { PolicyOptions } from './policy-config.js';
import { ActionIndex, PredictionContext, prediction, type TrainedPolicy } from './policy.js';
import { FeatureVocabulary, HistoryFeaturizer, historyTokens } from './state-features.js';
import { stateKey } from './state-key.js';
import { WindowMemory } from './state-memo.js';
import type { DialogueState, RuleOnlyData, StateBuilder } from './states.js';
import { historyBefore } from './training-examples.js';
import type { TrainingSet } from './training-set.js';
import type { PolicyPrediction, PolicyTracker } from './types.js';

export const TED_DEFAULT_MAX_HISTORY = 5;

export interface TedPolicyData {
  type: 'TEDPolicy';
  /** Which model implements the policy (lets a stronger model replace this one). */
  model: 'softmax-regression';
  priority: number;
  maxHistory: number;
  /** Feature names, one per weight row. */
  vocabulary: string[];
  /** Action (name or bot text) per class. */
  classes: string[];
  weights: EncodedFloat32Array;
  biases: EncodedFloat32Array;
}

export interface TedTrainingHooks {
  onIteration?: (iteration: number, maxIterations: number) => void;
}

const MAX_ITERATIONS = 200;

/**
 * Trains on every distinct (history window → action) pair of the stories and of stories glued
 * together (augmentation); `epochs` and TED's network options are accepted and ignored.
 */
export function trainTed(options: PolicyOptions, data: TrainingSet, hooks: TedTrainingHooks = {}): TedPolicyData {
  const maxHistory = options.maxHistory(TED_DEFAULT_MAX_HISTORY) ?? TED_DEFAULT_MAX_HISTORY;
  const vocabulary = new FeatureVocabulary();
  const classIndex = new Map<string, number>();
  const rows: SparseRow[] = [];
  const labels: number[] = [];
  const seen = new Set<string>();
  for (const examples of data.augmentedStoryExamples()) {
    for (const label of examples.labels) {
      if (label.unpredictable) continue;
      const states = historyBefore(examples, label, maxHistory);
      // Rasa trains each distinct (history, action) pair once.
      const signature = `${stateKey(states)}→${label.action}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      let target = classIndex.get(label.action);
      if (target === undefined) {
        target = classIndex.size;
        classIndex.set(label.action, target);
      }
      rows.push(vocabulary.row(historyTokens(states, maxHistory), true));
      labels.push(target);
    }
  }
  const classes = [...classIndex.keys()];
  const model: SoftmaxModel =
    rows.length === 0
      ? { features: 0, classes: 0, weights: new Float32Array(0), biases: new Float32Array(0) }
      : trainSoftmax(packRows(rows, vocabulary.size), Int32Array.from(labels), classes.length, {
          l2: 0.001,
          maxIterations: MAX_ITERATIONS,
          balanceClasses: false,
          onIteration: (iteration) => hooks.onIteration?.(iteration, MAX_ITERATIONS),
        });
  return {
    type: 'TEDPolicy',
    model: 'softmax-regression',
    priority: options.priority(),
    maxHistory,
    vocabulary: vocabulary.tokens(),
    classes,
    weights: encodeFloat32Array(model.weights),
    biases: encodeFloat32Array(model.biases),
  };
}

/** How many windows' scores a TEDPolicy remembers before starting over. */
const REMEMBERED_WINDOWS = 4096;

/** `TEDPolicy` at prediction time: the softmax over the newest `max_history` states. */
export class TedPolicy implements TrainedPolicy {
  readonly name = 'TEDPolicy';
  readonly priority: number;
  readonly #data: TedPolicyData;
  readonly #model: SoftmaxModel;
  readonly #featurizer: HistoryFeaturizer;
  /** Domain action index per class (-1 when the domain no longer has that action). */
  readonly #classActions: Int32Array;
  readonly #actions: ActionIndex;
  readonly #builder: StateBuilder;
  readonly #ruleOnlyData: RuleOnlyData | null;
  /** Scores of recent windows of shared states. */
  readonly #recent = new WindowMemory<Float64Array>(REMEMBERED_WINDOWS);

  constructor(data: TedPolicyData, builder: StateBuilder, ruleOnlyData: RuleOnlyData | null) {
    this.priority = data.priority;
    this.#data = data;
    this.#featurizer = new HistoryFeaturizer(new FeatureVocabulary(data.vocabulary), data.maxHistory);
    this.#model = {
      features: data.vocabulary.length,
      classes: data.classes.length,
      weights: decodeFloat32Array(data.weights),
      biases: decodeFloat32Array(data.biases),
    };
    this.#actions = new ActionIndex(builder.domain);
    this.#classActions = Int32Array.from(data.classes, (action) => this.#actions.indexOf(action) ?? -1);
    this.#builder = builder;
    this.#ruleOnlyData = ruleOnlyData;
  }

  toData(): TedPolicyData {
    return this.#data;
  }

  predict(tracker: PolicyTracker): PolicyPrediction {
    return this.predictInContext(new PredictionContext(tracker, this.#builder));
  }

  predictInContext(context: PredictionContext): PolicyPrediction {
    const scores = new Float64Array(this.#actions.size);
    if (this.#model.classes === 0) return prediction(this, scores);
    const { states } = context.states({
      ignoreRuleOnlyTurns: true,
      ruleOnlyData: this.#ruleOnlyData,
      lastUserInput: 'intent',
      tail: this.#data.maxHistory,
    });
    // Remembered arrays are copied out, never handed out: callers may change their scores.
    scores.set(this.#recent.recall(states, () => this.#scoresOf(states)));
    return prediction(this, scores);
  }

  #scoresOf(states: readonly DialogueState[]): Float64Array {
    const scores = new Float64Array(this.#actions.size);
    const probabilities = predictSoftmax(this.#model, this.#featurizer.row(states));
    for (let cls = 0; cls < probabilities.length; cls++) {
      const index = this.#classActions[cls];
      if (index >= 0) scores[index] = probabilities[cls];
    }
    return scores;
  }
}
