/**
 * `action_two_stage_fallback` (dialogue-engine §14): asks the user to affirm the guessed intent,
 * then to rephrase, and either replaces the unclear message with the clarified one or gives up
 * with `action_default_fallback`.
 */
import type { TrackerEvent } from '../../shared/events.js';
import { actionExecuted, restamped, simpleEvent } from '../events.js';
import { ACTION_LISTEN, type DialogueStateTracker } from '../tracker.js';
import type { ActionContext } from './action.js';
import { NLU_FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, withIntentConfidence } from './default-actions.js';
import { LoopAction } from './loop-action.js';

export class TwoStageFallbackAction extends LoopAction {
  readonly name = 'action_two_stage_fallback';

  protected async do(context: ActionContext, eventsSoFar: readonly TrackerEvent[]): Promise<TrackerEvent[]> {
    const justActivated = eventsSoFar.some((event) => event.event === 'active_loop');
    const next =
      justActivated || context.tracker.latestIntentName === NLU_FALLBACK_INTENT
        ? 'action_default_ask_affirmation'
        : 'action_default_ask_rephrase';
    return context.actions.actionFor(next).run(context);
  }

  protected async isDone(context: ActionContext): Promise<boolean> {
    const intent = context.tracker.latestIntentName;
    const clarified = intent !== NLU_FALLBACK_INTENT && intent !== OUT_OF_SCOPE_INTENT;
    return clarified || gaveUp(context.tracker);
  }

  protected override async deactivate(context: ActionContext): Promise<TrackerEvent[]> {
    if (gaveUp(context.tracker)) return context.actions.actionFor('action_default_fallback').run(context);
    const latest = context.tracker.latestUserEvent;
    if (!latest) return [simpleEvent('rewind')];
    // The clarified message replaces the unclear one, with full confidence.
    return [simpleEvent('rewind'), actionExecuted(ACTION_LISTEN), restamped(withIntentConfidence(latest, 1))];
  }
}

/** Two fallbacks in a row, or a second affirmation that failed. */
function gaveUp(tracker: DialogueStateTracker): boolean {
  const lastTwo = lastIntentNames(tracker, 2);
  if (lastTwo.length === 2 && lastTwo.every((intent) => intent === NLU_FALLBACK_INTENT)) return true;
  const lastThree = lastIntentNames(tracker, 3);
  return (
    lastThree.length === 3 &&
    lastThree[0] === OUT_OF_SCOPE_INTENT &&
    lastThree[1] === NLU_FALLBACK_INTENT &&
    lastThree[2] === OUT_OF_SCOPE_INTENT
  );
}

/**
 * Intents of the last `count` user-or-rewind events after the latest restart, newest first
 * (rewinds take a place but add no intent, as in Rasa).
 */
function lastIntentNames(tracker: DialogueStateTracker, count: number): Array<string | null> {
  const names: Array<string | null> = [];
  const events = tracker.events;
  let seen = 0;
  for (let index = events.length - 1; index >= tracker.latestRestartIndex && seen < count; index--) {
    const event = events[index];
    if (event.event === 'rewind') seen++;
    else if (event.event === 'user') {
      seen++;
      names.push(event.parse_data.intent?.name ?? null);
    }
  }
  return names;
}
