/**
 * RulePolicy at prediction time (dialogue-engine §8.3): text rules, Rasa's default intents, the
 * loop happy path, intent rules with the loop's unhappy-path conditions, then the core fallback.
 */
import type { TrackerEvent } from '../../shared/events.js';
import { now } from '../../shared/events.js';
import { ActionIndex, PredictionContext, prediction, type TrainedPolicy } from './policy.js';
import { RuleTable, type RuleEntry } from './rule-table.js';
import { WindowMemory } from './state-memo.js';
import { stateKey } from './state-key.js';
import {
  ACTION_LISTEN,
  RULE_SNIPPET_ACTION,
  SHOULD_NOT_BE_SET,
  activeLoopOfState,
  prevActionName,
  type DialogueState,
  type StateBuilder,
} from './states.js';
import type { PolicyPrediction, PolicyTracker } from './types.js';

export const LOOP_WAS_INTERRUPTED = 'loop_was_interrupted';
export const DO_NOT_PREDICT_LOOP_ACTION = 'do_not_predict_loop_action';
export type UnhappyPathCondition = typeof LOOP_WAS_INTERRUPTED | typeof DO_NOT_PREDICT_LOOP_ACTION;

/** Prediction sources that are not rule keys (Rasa's wording, shown in contradiction errors). */
export const DEFAULT_RULES = 'predicting default action with intent ';
export const LOOP_RULES = 'handling active loops and forms - ';
export const LOOP_RULES_SEPARATOR = ' - ';

/** Rasa's built-in intent → action mappings; they overrule everything except text rules. */
export const DEFAULT_ACTION_MAPPINGS: Readonly<Record<string, string>> = {
  restart: 'action_restart',
  back: 'action_back',
  session_start: 'action_session_start',
};

export interface RulePolicyOptions {
  priority: number;
  coreFallbackThreshold: number;
  coreFallbackActionName: string;
  enableFallbackPrediction: boolean;
  useNluConfidenceAsScore: boolean;
}

export interface RulePolicyData extends RulePolicyOptions {
  type: 'RulePolicy';
  /** Rule key (states after the `...` snippet, as Python-style JSON) → action. */
  rules: Array<[string, string]>;
  /** Two-state keys inside an active loop → what data says about the loop there. */
  loopUnhappyRules: Array<[string, UnhappyPathCondition]>;
  /** Prediction sources never used by a story: their turns are hidden from story-trained policies. */
  rulesNotInStories: string[];
}

/** What the rules decided, before it becomes a score vector. */
export interface RuleDecision {
  action: string | null;
  /** Which rule (key) or built-in behaviour decided; a state key when nothing did. */
  source: string | null;
  returningFromUnhappyPath: boolean;
  isEndToEndPrediction: boolean;
  isNoUserPrediction: boolean;
}

interface WindowMatch {
  best: RuleEntry<string> | undefined;
  /** The loop unhappy-path conditions that apply. */
  conditions: UnhappyPathCondition[];
  /** The best rule's key, or the window's key when no rule matches (null: an empty window). */
  source: string | null;
}

/** How many windows' rule matches a RulePolicy remembers before starting over. */
const REMEMBERED_WINDOWS = 4096;

/** RulePolicy at prediction time; training checks also drive it through {@link RulePolicy.decide}. */
export class RulePolicy implements TrainedPolicy {
  readonly name = 'RulePolicy';
  readonly priority: number;
  readonly options: RulePolicyOptions;
  readonly rules: RuleTable<string>;
  readonly loopUnhappyRules: RuleTable<UnhappyPathCondition>;
  rulesNotInStories: ReadonlySet<string>;
  readonly #actions: ActionIndex;
  readonly #builder: StateBuilder;
  /** Rule matches of recent windows of shared states. */
  readonly #recent = new WindowMemory<WindowMatch>(REMEMBERED_WINDOWS);
  #recentVersion = -1;

  constructor(
    options: RulePolicyOptions,
    lookups: { rules: RuleTable<string>; loopUnhappyRules: RuleTable<UnhappyPathCondition>; rulesNotInStories: Iterable<string> },
    builder: StateBuilder,
  ) {
    this.options = options;
    this.priority = options.priority;
    this.rules = lookups.rules;
    this.loopUnhappyRules = lookups.loopUnhappyRules;
    this.rulesNotInStories = new Set(lookups.rulesNotInStories);
    this.#builder = builder;
    this.#actions = new ActionIndex(builder.domain);
  }

  static fromData(data: RulePolicyData, builder: StateBuilder): RulePolicy {
    return new RulePolicy(
      data,
      {
        rules: new RuleTable(data.rules),
        loopUnhappyRules: new RuleTable(data.loopUnhappyRules),
        rulesNotInStories: data.rulesNotInStories,
      },
      builder,
    );
  }

  toData(): RulePolicyData {
    return {
      type: 'RulePolicy',
      ...this.options,
      rules: this.rules.entries(),
      loopUnhappyRules: this.loopUnhappyRules.entries(),
      rulesNotInStories: [...this.rulesNotInStories],
    };
  }

  predict(tracker: PolicyTracker): PolicyPrediction {
    return this.predictInContext(new PredictionContext(tracker, this.#builder));
  }

  predictInContext(context: PredictionContext): PolicyPrediction {
    const decision = this.decide(context);
    return prediction(this, this.scores(decision.action, context.tracker), {
      events: decision.returningFromUnhappyPath ? [loopInterrupted()] : [],
      isEndToEndPrediction: decision.isEndToEndPrediction,
      isNoUserPrediction: decision.isNoUserPrediction,
      hideRuleTurn: decision.source !== null && this.rulesNotInStories.has(decision.source),
    });
  }

  /**
   * The rule decision for a conversation. `fullHistory` compares all states instead of the
   * newest few (training checks need the whole history as the "no rule" source).
   */
  decide(context: PredictionContext, fullHistory = false): RuleDecision {
    const tracker = context.tracker;
    const latest = latestActionName(tracker.appliedEvents);
    const fromText = latest === ACTION_LISTEN ? this.#fromRules(context, 'text', fullHistory) : NO_RULE;

    const defaultAction = this.#fromDefaultActions(tracker, latest);
    if (defaultAction && !fromText.action) {
      return { ...NO_DECISION, action: defaultAction.action, source: defaultAction.source };
    }
    const happyPath = fromLoopHappyPath(tracker, latest);
    if (happyPath) return { ...NO_DECISION, ...happyPath, isNoUserPrediction: true };
    if (fromText.action) return { ...NO_DECISION, ...fromText, isEndToEndPrediction: true };

    const fromIntent = this.#fromRules(context, 'intent', fullHistory);
    return {
      ...NO_DECISION,
      action: fromIntent.action,
      source: fromIntent.source,
      returningFromUnhappyPath: fromText.returningFromUnhappyPath || fromIntent.returningFromUnhappyPath,
    };
  }

  /** Scores for `action` (or none): the core fallback keeps its threshold whenever enabled. */
  scores(action: string | null, tracker: PolicyTracker): Float64Array {
    const scores = this.defaultScores();
    if (action === null) return scores;
    const index = this.#actions.indexOf(action);
    if (index === undefined) return scores;
    const confidence = this.options.useNluConfidenceAsScore ? (tracker.latestMessage?.intent.confidence ?? 1) : 1;
    scores[index] = confidence;
    return scores;
  }

  /** All zeros, except the core fallback action at `core_fallback_threshold`. */
  defaultScores(): Float64Array {
    const scores = new Float64Array(this.#actions.size);
    if (this.options.enableFallbackPrediction) {
      const index = this.#actions.indexOf(this.options.coreFallbackActionName);
      if (index !== undefined) scores[index] = this.options.coreFallbackThreshold;
    }
    return scores;
  }

  #fromRules(context: PredictionContext, mode: 'intent' | 'text', fullHistory: boolean): RuleMatch {
    const longest = Math.max(this.rules.longest, this.loopUnhappyRules.longest, 1);
    const { states } = context.states({ lastUserInput: mode, tail: fullHistory ? undefined : longest });
    const { best, conditions, source } = fullHistory ? this.#matchStates(states) : this.#matchWindow(states);
    let action = best ? best.value : null;
    let returningFromUnhappyPath = false;

    const loop = activeLoopName(context.tracker);
    if (loop) {
      // A general rule ending in `action_listen` inside a loop hands control back to the loop.
      const listenFromGeneralRule =
        best !== undefined && action === ACTION_LISTEN && activeLoopOfState(best.states[best.states.length - 1]) === null;
      if (listenFromGeneralRule) {
        if (!conditions.includes(DO_NOT_PREDICT_LOOP_ACTION)) {
          return { action: loop, source: best.key, returningFromUnhappyPath };
        }
        action = null;
      }
      if (conditions.includes(LOOP_WAS_INTERRUPTED)) returningFromUnhappyPath = true;
    }
    return { action, source, returningFromUnhappyPath };
  }

  /** What the rule tables say about a window of states (a function of the states alone). */
  #matchStates(states: readonly DialogueState[]): WindowMatch {
    const best = this.rules.best(states);
    return {
      best,
      conditions: this.loopUnhappyRules.applicable(states).map((entry) => entry.value),
      source: best ? best.key : keyAfterSnippet(states),
    };
  }

  /** {@link #matchStates}, remembered for recent windows of shared states while the tables are unchanged. */
  #matchWindow(states: readonly DialogueState[]): WindowMatch {
    const version = this.rules.changes + this.loopUnhappyRules.changes;
    if (version !== this.#recentVersion) {
      this.#recent.clear();
      this.#recentVersion = version;
    }
    return this.#recent.recall(states, () => this.#matchStates(states));
  }

  #fromDefaultActions(tracker: PolicyTracker, latest: string | null): { action: string; source: string } | null {
    if (latest !== ACTION_LISTEN || !tracker.latestMessage) return null;
    const intent = tracker.latestMessage.intent?.name;
    if (!intent) return null;
    const action = DEFAULT_ACTION_MAPPINGS[intent];
    return action ? { action, source: DEFAULT_RULES + intent } : null;
  }
}

interface RuleMatch {
  action: string | null;
  source: string | null;
  returningFromUnhappyPath: boolean;
}

const NO_RULE: RuleMatch = { action: null, source: null, returningFromUnhappyPath: false };

const NO_DECISION: RuleDecision = {
  action: null,
  source: null,
  returningFromUnhappyPath: false,
  isEndToEndPrediction: false,
  isNoUserPrediction: false,
};

/** A loop that is active and not rejected runs until it is done; after it ran, listen. */
function fromLoopHappyPath(tracker: PolicyTracker, latest: string | null): { action: string; source: string } | null {
  const loop = activeLoopName(tracker);
  if (!loop || tracker.activeLoop?.rejected) return null;
  if (latest === null) return null;
  if (latest !== loop) return { action: loop, source: LOOP_RULES + loop };
  return { action: ACTION_LISTEN, source: `${LOOP_RULES}${loop}${LOOP_RULES_SEPARATOR}${ACTION_LISTEN}` };
}

/** The active loop's name (rule data's `should_not_be_set` counts as none). */
export function activeLoopName(tracker: PolicyTracker): string | null {
  const name = tracker.activeLoop?.name ?? null;
  return name && name !== SHOULD_NOT_BE_SET ? name : null;
}

/**
 * Rasa's `latest_action_name`: the newest action's name, or its text for an end-to-end bot
 * action. Reads back from the end, so it costs only the events since that action.
 */
export function latestActionName(events: readonly TrackerEvent[]): string | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.event === 'action') return event.name ?? event.action_text ?? null;
    if (event.event === 'restart' || event.event === 'session_started') return null;
  }
  return null;
}

/** RulePolicy's key of a state list: only the states after the last `...` count. */
export function keyAfterSnippet(states: readonly DialogueState[]): string | null {
  let start = states.length;
  while (start > 0 && prevActionName(states[start - 1].prev_action) !== RULE_SNIPPET_ACTION) start--;
  const kept = states.slice(start);
  return kept.length > 0 ? stateKey(kept) : null;
}

function loopInterrupted(): TrackerEvent {
  return { event: 'loop_interrupted', timestamp: now(), is_interrupted: true };
}
