/** Where a conversation's latest session starts: the last `action` event named `action_session_start`. */
import type { TrackerEvent } from '../shared/events.js';

export const SESSION_START_ACTION = 'action_session_start';

/** True for the event that opens a session in stored history. */
export function isSessionStart(event: TrackerEvent): boolean {
  return event.event === 'action' && event.name === SESSION_START_ACTION;
}

/** Index of the last session start in `events`, or -1 when there is none. */
export function lastSessionStartIndex(events: readonly TrackerEvent[]): number {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    if (isSessionStart(events[index])) return index;
  }
  return -1;
}

/** The events of the latest session (all of them when no session was ever started). */
export function latestSessionEvents(events: readonly TrackerEvent[]): TrackerEvent[] {
  const start = lastSessionStartIndex(events);
  return events.slice(Math.max(start, 0));
}
