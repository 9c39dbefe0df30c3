/** Rasa's built-in default actions (dialogue-engine §5), except slot extraction and loops. */
import { REQUESTED_SLOT } from '../../shared/domain.js';
import type { TrackerEvent, UserUtteredEvent } from '../../shared/events.js';
import { actionExecuted, activeLoop, simpleEvent, slotSet } from '../events.js';
import { createBotUtterance } from '../nlg.js';
import { ACTION_LISTEN } from '../tracker.js';
import type { Action, ActionContext } from './action.js';
import { utterResponse } from './response-actions.js';

export const NLU_FALLBACK_INTENT = 'nlu_fallback';
export const OUT_OF_SCOPE_INTENT = 'out_of_scope';

/** Waits for the user: no events; the prediction loop stops after it. */
export class ListenAction implements Action {
  readonly name = ACTION_LISTEN;
  async run(): Promise<TrackerEvent[]> {
    return [];
  }
}

/** Utters `utter_restart` if the domain has it, then `restart` (the next action is a session start). */
export class RestartAction implements Action {
  readonly name = 'action_restart';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    return [...(await utterResponse(context, 'utter_restart', true)), simpleEvent('restart')];
  }
}

/**
 * Starts a session: `session_started`, the slot events of the previous session when
 * `carry_over_slots_to_new_session` is on, then `action_listen`.
 */
export class SessionStartAction implements Action {
  readonly name = 'action_session_start';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const events: TrackerEvent[] = [simpleEvent('session_started')];
    if (context.domain.sessionConfig.carryOverSlots) {
      for (const event of context.tracker.appliedEvents) {
        if (event.event === 'slot') events.push(slotSet(event.name, event.value, event.metadata));
      }
    }
    events.push(actionExecuted(ACTION_LISTEN));
    return events;
  }
}

/** Utters `utter_default` if present and rewinds the user message it could not handle. */
export class DefaultFallbackAction implements Action {
  readonly name = 'action_default_fallback';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    return [...(await utterResponse(context, 'utter_default', true)), simpleEvent('rewind')];
  }
}

/** Ends the active loop (form) explicitly. */
export class DeactivateLoopAction implements Action {
  readonly name = 'action_deactivate_loop';
  async run(): Promise<TrackerEvent[]> {
    return [activeLoop(null), slotSet(REQUESTED_SLOT, null)];
  }
}

/** Utters `utter_back` if present and rewinds two user turns. */
export class BackAction implements Action {
  readonly name = 'action_back';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    return [...(await utterResponse(context, 'utter_back', true)), simpleEvent('rewind'), simpleEvent('rewind')];
  }
}

/** Predicted by UnexpecTEDIntentPolicy to mark an unlikely intent; does nothing itself. */
export class UnlikelyIntentAction implements Action {
  readonly name = 'action_unlikely_intent';
  async run(): Promise<TrackerEvent[]> {
    return [];
  }
}

/** Utters `utter_ask_rephrase` if present. */
export class AskRephraseAction implements Action {
  readonly name = 'action_default_ask_rephrase';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    return utterResponse(context, 'utter_ask_rephrase', true);
  }
}

/**
 * Asks `Did you mean '<intent>'?` with Yes/No buttons. The intent is the latest one, or the
 * runner-up when the latest is `nlu_fallback`.
 */
export class AskAffirmationAction implements Action {
  readonly name = 'action_default_ask_affirmation';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const latest = context.tracker.latestMessage;
    if (!latest) throw new Error('Cannot ask to affirm an intent: the conversation has no user message yet.');
    let intent = latest.intent?.name ?? null;
    const ranking = latest.intent_ranking ?? [];
    if (intent === NLU_FALLBACK_INTENT && ranking.length > 1) intent = ranking[1].name;
    return [
      createBotUtterance({
        text: `Did you mean '${intent}'?`,
        buttons: [
          { title: 'Yes', payload: `/${intent}` },
          { title: 'No', payload: `/${OUT_OF_SCOPE_INTENT}` },
        ],
        utter_action: this.name,
      }),
    ];
  }
}

/**
 * Legacy (2.x two-stage fallback policy): after a successful rephrase or affirmation, removes the
 * fallback detour and re-logs the clarified user message.
 */
export class RevertFallbackEventsAction implements Action {
  readonly name = 'action_revert_fallback_events';
  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const tracker = context.tracker;
    if (tracker.lastExecutedActionHas('action_default_ask_rephrase')) {
      return [...revertRephrasing(), ...clarifiedLastMessage(context)];
    }
    if (tracker.lastExecutedActionHas('action_default_ask_affirmation')) {
      const events: TrackerEvent[] = [simpleEvent('rewind'), simpleEvent('rewind'), actionExecuted(ACTION_LISTEN)];
      if (tracker.lastExecutedActionHas('action_default_ask_rephrase', 1)) events.push(...revertRephrasing());
      return [...events, ...clarifiedLastMessage(context, 1)];
    }
    return [];
  }
}

function revertRephrasing(): TrackerEvent[] {
  return [simpleEvent('rewind'), simpleEvent('rewind'), simpleEvent('rewind'), actionExecuted(ACTION_LISTEN)];
}

function clarifiedLastMessage(context: ActionContext, confidence?: number): TrackerEvent[] {
  const last = context.tracker.latestUserEvent;
  if (!last) throw new Error('Cannot find the last user message to revert to.');
  return [withIntentConfidence(last, confidence)];
}

/** A deep copy of a user event, optionally with its intent confidence replaced. */
export function withIntentConfidence(event: UserUtteredEvent, confidence?: number): UserUtteredEvent {
  const copy = structuredClone(event);
  if (confidence !== undefined) copy.parse_data.intent = { ...copy.parse_data.intent, confidence };
  return copy;
}
