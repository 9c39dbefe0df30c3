/**
 * MemoizationPolicy (dialogue-engine §8.2): remembers which action followed each exact history in
 * the stories. AugmentedMemoizationPolicy also retries with leading history forgotten, so a
 * story can be recalled in the middle of a longer conversation.
 */
import type { TrackerEvent } from '../../shared/events.js';
import type { PolicyOptions } from './policy-config.js';
import { ActionIndex, PredictionContext, prediction, type TrainedPolicy } from './policy.js';
import { hashedStateKey, stateKey } from './state-key.js';
import { ACTION_LISTEN, type DialogueState, type RuleOnlyData, type StateBuilder, type StateOptions } from './states.js';
import { historyBefore } from './training-examples.js';
import type { TrainingSet } from './training-set.js';
import type { PolicyPrediction, PolicyTracker } from './types.js';

export interface MemoizationPolicyData {
  type: 'MemoizationPolicy' | 'AugmentedMemoizationPolicy';
  priority: number;
  /** States per key; null = the whole conversation. */
  maxHistory: number | null;
  useNluConfidenceAsScore: boolean;
  /** Hashed state history → action. */
  lookup: Record<string, string>;
  /** The most states any key holds (longer histories cannot match when `maxHistory` is null). */
  longestKey: number;
}

/** Memorises story turns; conflicting histories (same key, two actions) are forgotten. */
export function trainMemoization(
  type: MemoizationPolicyData['type'],
  options: PolicyOptions,
  data: TrainingSet,
): MemoizationPolicyData {
  const maxHistory = options.maxHistory(null);
  const lookup = new Map<string, string>();
  const ambiguous = new Set<string>();
  let longestKey = 0;
  for (const examples of data.storyExamples()) {
    for (const label of examples.labels) {
      if (label.unpredictable) continue;
      const states = historyBefore(examples, label, maxHistory);
      const key = hashedStateKey(states);
      if (ambiguous.has(key)) continue;
      const known = lookup.get(key);
      if (known === undefined) {
        lookup.set(key, label.action);
        longestKey = Math.max(longestKey, states.length);
      } else if (known !== label.action) {
        ambiguous.add(key);
        lookup.delete(key);
      }
    }
  }
  return {
    type,
    priority: options.priority(),
    maxHistory,
    useNluConfidenceAsScore: options.boolean('use_nlu_confidence_as_score', false),
    lookup: Object.fromEntries(lookup),
    longestKey,
  };
}

/** Memoization and AugmentedMemoization at prediction time (the `type` of the data decides). */
export class MemoizationPolicy implements TrainedPolicy {
  readonly name: MemoizationPolicyData['type'];
  readonly priority: number;
  readonly #data: MemoizationPolicyData;
  readonly #lookup: ReadonlyMap<string, string>;
  readonly #actions: ActionIndex;
  readonly #builder: StateBuilder;
  readonly #ruleOnlyData: RuleOnlyData | null;

  constructor(data: MemoizationPolicyData, builder: StateBuilder, ruleOnlyData: RuleOnlyData | null) {
    this.name = data.type;
    this.priority = data.priority;
    this.#data = data;
    this.#lookup = new Map(Object.entries(data.lookup));
    this.#actions = new ActionIndex(builder.domain);
    this.#builder = builder;
    this.#ruleOnlyData = ruleOnlyData;
  }

  toData(): MemoizationPolicyData {
    return this.#data;
  }

  predict(tracker: PolicyTracker): PolicyPrediction {
    return this.predictInContext(new PredictionContext(tracker, this.#builder));
  }

  predictInContext(context: PredictionContext): PolicyPrediction {
    const scores = new Float64Array(this.#actions.size);
    const action = this.#recall(context);
    const index = action === null ? undefined : this.#actions.indexOf(action);
    if (index !== undefined) {
      scores[index] = this.#data.useNluConfidenceAsScore ? (context.tracker.latestMessage?.intent.confidence ?? 1) : 1;
    }
    return prediction(this, scores);
  }

  #stateOptions(tail: number): StateOptions {
    return { ignoreRuleOnlyTurns: true, ruleOnlyData: this.#ruleOnlyData, lastUserInput: 'intent', tail };
  }

  /** The window read from a conversation: `max_history` states, or one more than any key has. */
  get #window(): number {
    return this.#data.maxHistory ?? this.#data.longestKey + 1;
  }

  #recall(context: PredictionContext): string | null {
    const history = context.states(this.#stateOptions(this.#window));
    const direct = this.#lookupStates(history.states, history.total);
    if (direct !== null || this.#data.type !== 'AugmentedMemoizationPolicy') return direct;
    return this.#recallWithTruncation(context.tracker.appliedEvents, history.states);
  }

  #lookupStates(states: readonly DialogueState[], total: number): string | null {
    // With the whole conversation as key, a history longer than every story cannot match.
    if (this.#data.maxHistory === null && total > states.length) return null;
    return this.#lookup.get(hashedStateKey(states)) ?? null;
  }

  /**
   * AugmentedMemoization: forget the oldest turns one action at a time (slots set before the cut
   * are forgotten too) until a memorised history matches. Only cuts short enough to match a
   * stored key are tried, so the cost stays bounded by the longest story.
   */
  #recallWithTruncation(applied: readonly TrackerEvent[], current: readonly DialogueState[]): string | null {
    const events =
      this.#data.maxHistory === null
        ? applied.slice(startOfMatchableCuts(applied, this.#data.longestKey))
        : trimToMaxHistory(applied, this.#data.maxHistory);
    const actionPositions: number[] = [];
    const hiddenBefore: number[] = [0];
    events.forEach((event, index) => {
      if (event.event !== 'action') return;
      actionPositions.push(index);
      hiddenBefore.push(hiddenBefore[hiddenBefore.length - 1] + (event.hide_rule_turn ? 1 : 0));
    });
    const actions = actionPositions.length;
    let previousKey = stateKey(current);
    for (let cut = 0; cut < actions; cut++) {
      const remaining = actions - cut;
      const hidden = hiddenBefore[actions] - hiddenBefore[cut];
      if (this.#data.maxHistory === null && remaining - hidden >= this.#data.longestKey + 1) continue;
      const suffix = events.slice(actionPositions[cut]);
      const history = this.#builder.build(suffix, this.#stateOptions(this.#window));
      const key = stateKey(history.states);
      if (key === previousKey) continue;
      previousKey = key;
      const recalled = this.#lookupStates(history.states, history.total);
      if (recalled !== null) return recalled;
    }
    return null;
  }
}

/**
 * Where cuts that can still match begin without `max_history`: a cut keeping more than
 * `longestKey` visible (not rule-hidden) actions is longer than every stored key. Scanning from
 * the end keeps the cost bounded by the longest story, not the conversation.
 */
function startOfMatchableCuts(events: readonly TrackerEvent[], longestKey: number): number {
  let visible = 0;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.event !== 'action' || event.hide_rule_turn) continue;
    visible++;
    if (visible > longestKey) return index + 1;
  }
  return 0;
}

/** Rasa's `_trim_tracker_by_max_history`: keep events from the `action_listen` that starts the window. */
function trimToMaxHistory(events: readonly TrackerEvent[], maxHistory: number | null): readonly TrackerEvent[] {
  if (!maxHistory) return events;
  let actions = 0;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.event !== 'action') continue;
    actions++;
    if (actions > maxHistory && event.name === ACTION_LISTEN) return events.slice(index);
  }
  return events;
}
