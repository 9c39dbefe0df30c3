/** What every trained policy shares: the prediction context, score vectors and the internal interface. */
import type { Domain } from '../../shared/domain.js';
import type { Policy, PolicyPrediction, PolicyTracker } from './types.js';
import type { StateBuilder, StateHistory, StateOptions } from './states.js';
import type { PolicyData } from './model-data.js';

/**
 * One prediction's view of the tracker. Policies ask it for states; states built with the same
 * options are built once per prediction, however many policies ask.
 */
export class PredictionContext {
  readonly tracker: PolicyTracker;
  readonly domain: Domain;
  readonly builder: StateBuilder;
  readonly #cache = new Map<string, StateHistory>();
  readonly #counts = new Map<boolean, number>();

  constructor(tracker: PolicyTracker, builder: StateBuilder) {
    this.tracker = tracker;
    this.domain = builder.domain;
    this.builder = builder;
  }

  states(options: StateOptions): StateHistory {
    const key = `${options.omitUnsetSlots === true ? 1 : 0}${options.ignoreRuleOnlyTurns === true ? 1 : 0}${options.lastUserInput ?? ''}|${options.tail ?? ''}`;
    let history = this.#cache.get(key);
    if (!history) {
      const { tail } = options;
      if (tail !== undefined && this.tracker.appliedEventsGeneration !== undefined) {
        history = this.builder.buildFor(this.tracker, { ...options, tail });
      } else {
        const events = this.tracker.appliedEvents;
        const hidden = options.ignoreRuleOnlyTurns === true;
        let total = this.#counts.get(hidden);
        if (total === undefined && tail !== undefined) {
          total = this.builder.countStates(events, options);
          this.#counts.set(hidden, total);
        }
        history = this.builder.build(events, options, total);
      }
      this.#cache.set(key, history);
    }
    return history;
  }
}

/** A policy as the ensemble runs it: predicts within a shared context and serialises itself. */
export interface TrainedPolicy extends Policy {
  predictInContext(context: PredictionContext): PolicyPrediction;
  toData(): PolicyData;
}

/** Maps action names to their index in `domain.actionNames`. */
export class ActionIndex {
  readonly names: readonly string[];
  readonly #index: Map<string, number>;

  constructor(domain: Domain) {
    this.names = domain.actionNames;
    this.#index = new Map();
    domain.actionNames.forEach((name, index) => {
      if (!this.#index.has(name)) this.#index.set(name, index);
    });
  }

  get size(): number {
    return this.names.length;
  }

  indexOf(name: string): number | undefined {
    return this.#index.get(name);
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }
}

/** A prediction with the given scores and no flags or events. */
export function prediction(
  policy: Pick<Policy, 'name' | 'priority'>,
  probabilities: Float64Array,
  extra: Partial<Omit<PolicyPrediction, 'probabilities' | 'policyName' | 'priority'>> = {},
): PolicyPrediction {
  return {
    probabilities,
    policyName: policy.name,
    priority: policy.priority,
    events: [],
    optionalEvents: [],
    isEndToEndPrediction: false,
    isNoUserPrediction: false,
    hideRuleTurn: false,
    ...extra,
  };
}

/** Index of the first maximum (ties go to the lowest index; all-zero → 0 = `action_listen`). */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < scores.length; index++) if (scores[index] > scores[best]) best = index;
  return best;
}

/** The highest score (0 for an empty vector). */
export function maxScore(scores: ArrayLike<number>): number {
  let best = scores.length > 0 ? scores[0] : 0;
  for (let index = 1; index < scores.length; index++) if (scores[index] > best) best = scores[index];
  return best;
}
