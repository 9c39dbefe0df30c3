/**
 * RulePolicy's training-time checks (project-format §9.4): at most one user message per rule,
 * incomplete rules, and contradictions between rules and stories (found by running RulePolicy
 * over every training tracker). The contradiction run also finds the rules no story uses.
 */
import { ParleyError } from '../../errors.js';
import type { Domain, SourceRef } from '../../shared/domain.js';
import { computeAppliedEvents } from '../applied-events.js';
import { describeOrigin, trackerLocation, type TrainingTracker } from '../training/training-tracker.js';
import { PredictionContext, argmax } from './policy.js';
import { ReplayTracker } from './replay-tracker.js';
import {
  DEFAULT_ACTION_MAPPINGS,
  DEFAULT_RULES,
  LOOP_RULES,
  LOOP_RULES_SEPARATOR,
  activeLoopName,
  type RulePolicy,
} from './rule-policy.js';
import { slotFeatureDimension } from './slot-features.js';
import { ACTION_LISTEN, RULE_SNIPPET_ACTION, SHOULD_NOT_BE_SET, prevActionName, type StateBuilder } from './states.js';
import { trackerExamples } from './training-examples.js';

const RULES_DOCS = 'You can find more information about the usage of rules at https://rasa.com/docs/rasa/rules.';

function invalidRule(message: string, location: SourceRef | undefined, details: Record<string, unknown>): ParleyError {
  return new ParleyError('PARLEY_ERR_INVALID_RULE', `${message}\n${RULES_DOCS}`, {
    location: location ? { file: location.file, line: location.line, column: location.column } : undefined,
    details,
  });
}

/** `restrict_rules`: a rule may contain at most one user message. */
export function checkRuleRestriction(ruleTrackers: readonly TrainingTracker[]): void {
  const offending = new Map<string, TrainingTracker>();
  for (const tracker of ruleTrackers) {
    const userMessages = tracker.events.filter((event) => event.event === 'user').length;
    if (userMessages > 1 && !offending.has(tracker.name)) offending.set(tracker.name, tracker);
  }
  if (offending.size === 0) return;
  const rules = [...offending.values()];
  throw invalidRule(
    `Found rules ${rules.map((rule) => describeOrigin(rule.name, trackerLocation(rule))).join(', ')} that contain more than 1 user message. Rules are not meant to hardcode a state machine. Please use stories for these cases.`,
    trackerLocation(rules[0]),
    { rules: rules.map((rule) => rule.name) },
  );
}

interface ActionFingerprint {
  slots: Set<string>;
  activeLoops: Set<string>;
}

/**
 * Incomplete rules: an action that sets featurised slots or an active loop in one rule must do
 * so in every rule where it is followed by another action.
 */
export function checkIncompleteRules(ruleTrackers: readonly TrainingTracker[], builder: StateBuilder): void {
  const fingerprints = actionFingerprints(ruleTrackers, builder.domain);
  if (fingerprints.size === 0) return;
  const messages: string[] = [];
  let location: SourceRef | undefined;
  for (const tracker of ruleTrackers) {
    const { states } = trackerExamples(tracker, builder);
    states.forEach((state, index) => {
      const previous = prevActionName(state.prev_action);
      const next = index + 1 < states.length ? prevActionName(states[index + 1].prev_action) : ACTION_LISTEN;
      const fingerprint = previous ? fingerprints.get(previous) : undefined;
      if (!previous || !fingerprint || next === RULE_SNIPPET_ACTION || previous === RULE_SNIPPET_ACTION) return;
      const missingSlots = [...fingerprint.slots].filter((slot) => !(slot in (state.slots ?? {})));
      const loop = state.active_loop?.name;
      const missingLoops = loop !== undefined && fingerprint.activeLoops.has(loop) ? [] : [...fingerprint.activeLoops];
      const where = describeOrigin(tracker.name, trackerLocation(tracker));
      if (missingSlots.length > 0) {
        messages.push(
          `- the action '${previous}' in rule ${where} does not set some of the slots that it sets in other rules. Slots not set in rule '${tracker.name}': '${missingSlots.join(', ')}'. Please update the rule with an appropriate slot or if it is the last action add 'wait_for_user_input: false' after this action.`,
        );
        location ??= trackerLocation(tracker);
      }
      if (missingLoops.length > 0) {
        const shown = new Set(missingLoops.map((name) => (name === SHOULD_NOT_BE_SET ? 'null' : name)));
        shown.add(previous);
        messages.push(
          `- the form '${previous}' in rule ${where} does not set the 'active_loop', that it sets in other rules: '${[...shown].join(', ')}'. Please update the rule with the appropriate 'active loop' property or if it is the last action add 'wait_for_user_input: false' after this action.`,
        );
        location ??= trackerLocation(tracker);
      }
    });
  }
  if (messages.length === 0) return;
  throw invalidRule(
    `Incomplete rules found🚨\n\n${unique(messages).join('\n')}\nPlease note that if some slots or active loops should not be set during prediction you need to explicitly set them to 'null' in the rules.`,
    location,
    { problems: unique(messages) },
  );
}

/** Per action: the featurised slots and loops set right after it in some rule. */
function actionFingerprints(ruleTrackers: readonly TrainingTracker[], domain: Domain): Map<string, ActionFingerprint> {
  const featurized = new Set(domain.slots.filter((slot) => slotFeatureDimension(slot) > 0).map((slot) => slot.name));
  const fingerprints = new Map<string, ActionFingerprint>();
  for (const tracker of ruleTrackers) {
    let action: string | null = null;
    for (const event of tracker.events) {
      if (event.event === 'action') {
        action = event.name ?? event.action_text;
        continue;
      }
      // Slots filled from a user message's entities are not the previous action's doing.
      if (event.event === 'user') {
        action = null;
        continue;
      }
      if (!action) continue;
      const fingerprint = fingerprints.get(action) ?? { slots: new Set<string>(), activeLoops: new Set<string>() };
      if (event.event === 'slot' && featurized.has(event.name)) fingerprint.slots.add(event.name);
      if (event.event === 'active_loop' && event.name !== null) fingerprint.activeLoops.add(event.name);
      fingerprints.set(action, fingerprint);
    }
  }
  return fingerprints;
}

interface SourceEntry {
  name: string;
  location?: SourceRef;
  action: string;
}

/**
 * Runs RulePolicy over every training tracker. Throws `PARLEY_ERR_INVALID_RULE` when a rule or
 * story contradicts a rule; returns the prediction sources no story confirmed (their turns are
 * hidden from story-trained policies).
 */
export function analyzeRules(
  policy: RulePolicy,
  ruleTrackers: readonly TrainingTracker[],
  storyTrackers: readonly TrainingTracker[],
  builder: StateBuilder,
): string[] {
  const analysis = new RuleAnalysis(policy, builder);
  for (const tracker of ruleTrackers) analysis.run(tracker, 'collect');
  for (const tracker of [...storyTrackers, ...ruleTrackers]) analysis.run(tracker, 'check');
  if (analysis.errors.length > 0) {
    throw invalidRule(
      `Contradicting rules or stories found 🚨\n\n${unique(analysis.errors).join('\n')}\nPlease update your stories and rules so that they don't contradict each other.`,
      analysis.firstLocation,
      { problems: unique(analysis.errors) },
    );
  }
  const all = new Set([
    ...analysis.sources.keys(),
    ...Object.keys(DEFAULT_ACTION_MAPPINGS).map((intent) => DEFAULT_RULES + intent),
    ...Object.keys(builder.domain.forms).flatMap((form) => [
      LOOP_RULES + form,
      `${LOOP_RULES}${form}${LOOP_RULES_SEPARATOR}${ACTION_LISTEN}`,
    ]),
  ]);
  return [...all].filter((source) => !analysis.usedInStories.has(source));
}

class RuleAnalysis {
  readonly sources = new Map<string, SourceEntry[]>();
  readonly usedInStories = new Set<string>();
  readonly errors: string[] = [];
  firstLocation: SourceRef | undefined;
  readonly #policy: RulePolicy;
  readonly #builder: StateBuilder;

  constructor(policy: RulePolicy, builder: StateBuilder) {
    this.#policy = policy;
    this.#builder = builder;
  }

  run(tracker: TrainingTracker, mode: 'collect' | 'check'): void {
    const running = new ReplayTracker(tracker.name, this.#builder.domain);
    // The first action has no history to be predicted from.
    let nextIsUnpredictable = true;
    for (const event of computeAppliedEvents(tracker.events)) {
      if (event.event !== 'action') {
        running.update(event);
        continue;
      }
      const gold = event.name ?? event.action_text;
      if (event.name === RULE_SNIPPET_ACTION || nextIsUnpredictable || tracker.unpredictable.has(event) || gold === null) {
        nextIsUnpredictable = event.name === RULE_SNIPPET_ACTION;
        running.update(event);
        continue;
      }
      const { predicted, source } = this.#predict(running, gold, tracker.kind === 'rule');
      if (mode === 'collect') {
        if (source !== null) this.#collect(tracker, predicted, gold, source);
      } else {
        if (tracker.kind === 'story' && predicted === gold && source !== null) this.usedInStories.add(source);
        this.#check(tracker, predicted, gold, source, tracker.eventSources.get(event));
      }
      running.update(event);
    }
  }

  #predict(running: ReplayTracker, gold: string, isRule: boolean): { predicted: string | null; source: string | null } {
    let decision = this.#policy.decide(new PredictionContext(running, this.#builder), true);
    const loop = activeLoopName(running);
    // Inside an unhappy path the loop may not be what the data wants: emulate its rejection.
    if (loop && decision.action === loop && gold !== loop) {
      running.update({ event: 'action_execution_rejected', timestamp: 0, name: loop, policy: null, confidence: null });
      decision = this.#policy.decide(new PredictionContext(running, this.#builder), true);
    }
    let predicted = decision.action;
    // Rules must always predict something: with no rule, that is what the scores say (the fallback).
    if (predicted === null && isRule) predicted = this.#builder.domain.actionNames[argmax(this.#policy.defaultScores())] ?? null;
    return { predicted, source: decision.source };
  }

  #collect(tracker: TrainingTracker, predicted: string | null, gold: string, source: string): void {
    let entry: SourceEntry = { name: tracker.name, location: trackerLocation(tracker), action: gold };
    // Built-in behaviour (default intents, loops) is its own "rule".
    if (source.startsWith(DEFAULT_RULES) || source.startsWith(LOOP_RULES)) {
      entry = { name: source, action: predicted ?? gold };
    }
    const list = this.sources.get(source) ?? [];
    list.push(entry);
    this.sources.set(source, list);
  }

  #check(
    tracker: TrainingTracker,
    predicted: string | null,
    gold: string,
    source: string | null,
    stepSource: SourceRef | undefined,
  ): void {
    if (predicted === null || source === null || predicted === gold) return;
    if (this.#shouldDelete(source, tracker, predicted)) {
      this.#policy.rules.delete(source);
      return;
    }
    const contradicting = uniqueEntries((this.sources.get(source) ?? []).filter((entry) => entry.action !== gold));
    if (contradicting.length === 0) return;
    const where = describeOrigin(tracker.name, stepSource ?? trackerLocation(tracker));
    let message = `- the prediction of the action '${gold}' in ${tracker.kind} ${where} is contradicting with rule(s) ${contradicting
      .map((entry) => describeOrigin(entry.name, entry.location))
      .join(', ')}`;
    // Naming the fallback as "predicted" would only confuse.
    if (predicted !== this.#policy.options.coreFallbackActionName) message += ` which predicted action '${predicted}'`;
    this.errors.push(`${message}.`);
    this.firstLocation ??= stepSource ?? trackerLocation(tracker);
  }

  /**
   * A story going on after an action where a one-state rule predicts `action_listen` does not
   * contradict that rule when a longer rule starts the same way: Rasa drops the short rule.
   */
  #shouldDelete(source: string, tracker: TrainingTracker, predicted: string): boolean {
    if (tracker.kind === 'rule' || predicted !== ACTION_LISTEN) return false;
    if (source.split('prev_action').length - 1 > 1) return false;
    const prefix = source.slice(0, -2);
    return this.#policy.rules.keys().some((key) => key.startsWith(prefix) && key !== source);
  }
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

function uniqueEntries(entries: readonly SourceEntry[]): SourceEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.name)) return false;
    seen.add(entry.name);
    return true;
  });
}
