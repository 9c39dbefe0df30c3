/**
 * Training trackers as (states, next action) pairs: the input every policy learns from. States
 * and labels both come from the tracker's applied events (loop happy paths collapsed), exactly as
 * a live conversation is seen at prediction time.
 */
import type { SourceRef } from '../../shared/domain.js';
import type { ActionExecutedEvent, TrackerEvent } from '../../shared/events.js';
import { computeAppliedEvents } from '../applied-events.js';
import type { TrainingTracker } from '../training/training-tracker.js';
import type { DialogueState, StateBuilder, StateOptions } from './states.js';

export interface TrainingLabel {
  /** The action's name, or its text for end-to-end bot actions. */
  action: string;
  /** How many states precede the action: its history is `states.slice(0, stateCount)`. */
  stateCount: number;
  /** The opening action of a story: nothing to learn it from. */
  unpredictable: boolean;
  event: ActionExecutedEvent;
  source?: SourceRef;
}

export interface TrackerExamples {
  tracker: TrainingTracker;
  appliedEvents: TrackerEvent[];
  /** One state before each action, plus the state after the last one. */
  states: DialogueState[];
  labels: TrainingLabel[];
}

/** States and labels of one training tracker. */
export function trackerExamples(
  tracker: TrainingTracker,
  builder: StateBuilder,
  options: Pick<StateOptions, 'omitUnsetSlots'> = {},
): TrackerExamples {
  const appliedEvents = computeAppliedEvents(tracker.events);
  const { states } = builder.build(appliedEvents, { omitUnsetSlots: options.omitUnsetSlots });
  const labels: TrainingLabel[] = [];
  for (const event of appliedEvents) {
    if (event.event !== 'action') continue;
    const action = event.name ?? event.action_text;
    labels.push({
      action: action ?? '',
      stateCount: labels.length + 1,
      unpredictable: tracker.unpredictable.has(event) || action === null,
      event,
      source: tracker.eventSources.get(event),
    });
  }
  return { tracker, appliedEvents, states, labels };
}

/** The newest `maxHistory` states before a label (all of them when `maxHistory` is null). */
export function historyBefore(
  examples: TrackerExamples,
  label: TrainingLabel,
  maxHistory: number | null,
): DialogueState[] {
  const start = maxHistory === null ? 0 : Math.max(0, label.stateCount - maxHistory);
  return examples.states.slice(start, label.stateCount);
}
