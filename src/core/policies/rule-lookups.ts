/**
 * What RulePolicy memorises from training data: rule keys → actions, the loop unhappy-path
 * conditions (from rules and stories), and which slots and loops only rules mention.
 */
import { RuleTable } from './rule-table.js';
import {
  DO_NOT_PREDICT_LOOP_ACTION,
  LOOP_WAS_INTERRUPTED,
  keyAfterSnippet,
  type UnhappyPathCondition,
} from './rule-policy.js';
import {
  ACTION_LISTEN,
  RULE_SNIPPET_ACTION,
  SHOULD_NOT_BE_SET,
  activeLoopOfState,
  prevActionName,
  type DialogueState,
  type RuleOnlyData,
} from './states.js';
import type { TrackerExamples } from './training-examples.js';

/**
 * Rule key → action. A key seen with two different actions is dropped (the contradiction check
 * then reports the rules); keys predicting `...` are removed.
 */
export function ruleLookup(ruleExamples: readonly TrackerExamples[]): RuleTable<string> {
  const lookup = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const examples of ruleExamples) {
    for (const label of examples.labels) {
      if (label.unpredictable) continue;
      const key = keyAfterSnippet(examples.states.slice(0, label.stateCount));
      if (key === null || ambiguous.has(key)) continue;
      const known = lookup.get(key);
      if (known === undefined) lookup.set(key, label.action);
      else if (known !== label.action) {
        ambiguous.add(key);
        lookup.delete(key);
      }
    }
  }
  return new RuleTable([...lookup].filter(([, action]) => action !== RULE_SNIPPET_ACTION));
}

/**
 * Inside an active loop, keyed by the newest state and the previous action: a loop predicted
 * right after the user spoke marks a return from an unhappy path (skip validation once); another
 * action predicted after a bot action means the loop must not be predicted there.
 */
export function loopUnhappyLookup(examples: readonly TrackerExamples[]): RuleTable<UnhappyPathCondition> {
  const lookup = new Map<string, UnhappyPathCondition>();
  for (const tracker of examples) {
    for (const label of tracker.labels) {
      if (label.unpredictable) continue;
      const states = tracker.states.slice(0, label.stateCount);
      const newest = states[states.length - 1];
      const loop = activeLoopOfState(newest);
      if (!loop) continue;
      const key = keyAfterSnippet(unhappyPathStates(states));
      if (key === null) continue;
      const afterUser = prevActionName(newest.prev_action) === ACTION_LISTEN;
      if (afterUser && label.action === loop) lookup.set(key, LOOP_WAS_INTERRUPTED);
      else if (!afterUser && label.action !== loop) lookup.set(key, DO_NOT_PREDICT_LOOP_ACTION);
    }
  }
  return new RuleTable(lookup);
}

/** The newest state plus the action before it (the older user input does not matter). */
function unhappyPathStates(states: readonly DialogueState[]): DialogueState[] {
  const newest = states[states.length - 1];
  const previous = states[states.length - 2];
  if (!previous?.prev_action) return [newest];
  return [{ prev_action: previous.prev_action }, newest];
}

/** Slots and loops that appear in rule states but never in story states. */
export function ruleOnlyData(
  ruleExamples: readonly TrackerExamples[],
  storyExamples: readonly TrackerExamples[],
): RuleOnlyData {
  const rules = slotsAndLoops(ruleExamples);
  const stories = slotsAndLoops(storyExamples);
  return {
    slots: [...rules.slots].filter((slot) => !stories.slots.has(slot) && slot !== SHOULD_NOT_BE_SET).sort(),
    loops: [...rules.loops].filter((loop) => !stories.loops.has(loop) && loop !== SHOULD_NOT_BE_SET).sort(),
  };
}

function slotsAndLoops(examples: readonly TrackerExamples[]): { slots: Set<string>; loops: Set<string> } {
  const slots = new Set<string>();
  const loops = new Set<string>();
  for (const tracker of examples) {
    for (const state of tracker.states) {
      for (const slot of Object.keys(state.slots ?? {})) slots.add(slot);
      if (state.active_loop?.name) loops.add(state.active_loop.name);
    }
  }
  return { slots, loops };
}
