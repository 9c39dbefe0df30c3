/** A training tracker: one complete path through the stories or one rule, as tracker events. */
import type { SourceRef } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';

/** A story or rule that contributed events to a training tracker. */
export interface TrainingOrigin {
  kind: 'story' | 'rule';
  name: string;
  source?: SourceRef;
}

export interface TrainingTracker {
  kind: 'story' | 'rule';
  /** Names of the joined stories, `a > b` (Rasa's sender id of a training tracker). */
  name: string;
  /** Every story or rule the events came from, in order. */
  origins: TrainingOrigin[];
  /** Explicit events: implicit `action_listen`s, entity slots and rule markers included. */
  events: TrackerEvent[];
  /**
   * Actions no policy learns to predict: the opening action of a story that starts with an
   * action (nothing precedes it), and the rule snippet `...` at a rule's start.
   */
  unpredictable: ReadonlySet<TrackerEvent>;
  /** Where each event was written (the story step), when known. */
  eventSources: ReadonlyMap<TrackerEvent, SourceRef>;
}

/** The first origin's location, for messages that point at a tracker. */
export function trackerLocation(tracker: TrainingTracker): SourceRef | undefined {
  return tracker.origins.find((origin) => origin.source)?.source;
}

/** `'name' (file:line:column)` for messages. */
export function describeOrigin(name: string, source: SourceRef | undefined): string {
  return source ? `'${name}' (${source.file}:${source.line}:${source.column})` : `'${name}'`;
}
