/**
 * Rasa's `applied_events()`: the events that still shape the conversation once restarts, session
 * starts, rewinds, undos and form happy paths are resolved. Kept incrementally, one event at a time.
 */
import type { TrackerEvent } from '../shared/events.js';

/** The applied-events list of one tracker, updated as events arrive. */
export class AppliedEvents {
  #list: TrackerEvent[] = [];
  /** Names seen in `active_loop` events: executions of these actions may collapse. */
  #loopNames = new Set<string>();
  /** How often each action name was executed (all events), to detect late loop names cheaply. */
  #actionCounts = new Map<string, number>();
  #generation = 0;

  get list(): readonly TrackerEvent[] {
    return this.#list;
  }

  /**
   * Changes whenever the list is rewritten (cut, popped, collapsed or recomputed) instead of
   * only appended to, so a reader that remembers its position knows when it must start over.
   */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Adds the next event. `allEvents` (which already ends with `event`) is only read when a loop
   * name turns up whose action ran more than once before: Rasa derives loop names from the
   * whole history, so earlier executions must then be re-judged.
   */
  push(event: TrackerEvent, allEvents: readonly TrackerEvent[]): void {
    if (event.event === 'action' && event.name !== null) {
      this.#actionCounts.set(event.name, (this.#actionCounts.get(event.name) ?? 0) + 1);
    }
    if (event.event === 'active_loop' && event.name !== null && !this.#loopNames.has(event.name)) {
      this.#loopNames.add(event.name);
      if ((this.#actionCounts.get(event.name) ?? 0) > 1) {
        this.#list = computeAppliedEvents(allEvents, this.#loopNames);
        this.#generation++;
        return;
      }
    }
    if (!applyStep(this.#list, event, this.#loopNames)) this.#generation++;
  }

  /**
   * Removes the newest `count` events, which must have been appended (not rewritten) by the
   * latest pushes of non-action events. Counts as a rewrite: readers start over.
   */
  dropNewest(count: number): void {
    if (count <= 0) return;
    this.#list.length = Math.max(0, this.#list.length - count);
    this.#generation++;
  }

  /** Registers loop names up front (when replaying a known history). */
  addLoopNames(names: Iterable<string>): void {
    for (const name of names) this.#loopNames.add(name);
  }

  copy(): AppliedEvents {
    const copy = new AppliedEvents();
    copy.#list = [...this.#list];
    copy.#loopNames = new Set(this.#loopNames);
    copy.#actionCounts = new Map(this.#actionCounts);
    copy.#generation = this.#generation;
    return copy;
  }
}

/** Loop names of a history: every non-null `active_loop` name. */
export function loopNamesOf(events: readonly TrackerEvent[]): Set<string> {
  const names = new Set<string>();
  for (const event of events) {
    if (event.event === 'active_loop' && event.name !== null) names.add(event.name);
  }
  return names;
}

/** The applied events of a whole history (batch form of {@link AppliedEvents}). */
export function computeAppliedEvents(
  events: readonly TrackerEvent[],
  loopNames: ReadonlySet<string> = loopNamesOf(events),
): TrackerEvent[] {
  const list: TrackerEvent[] = [];
  for (const event of events) applyStep(list, event, loopNames);
  return list;
}

/** Applies one event; false when it rewrote the list instead of appending to it. */
function applyStep(list: TrackerEvent[], event: TrackerEvent, loopNames: ReadonlySet<string>): boolean {
  switch (event.event) {
    case 'restart':
    case 'session_started':
      list.length = 0;
      return false;
    case 'undo':
      undoTillPrevious(list, 'action');
      return false;
    case 'rewind':
      // A user message implies the `action_listen` before it: drop both.
      undoTillPrevious(list, 'user');
      undoTillPrevious(list, 'action');
      return false;
    case 'action':
      if (event.name !== null && loopNames.has(event.name) && !isFirstRunOrUnhappyPath(event.name, list)) {
        undoTillPreviousLoopExecution(event.name, list);
        return false;
      }
      break;
    default:
      break;
  }
  list.push(event);
  return true;
}

/** Pops events up to and including the last one of `type`. */
function undoTillPrevious(list: TrackerEvent[], type: 'action' | 'user'): void {
  while (list.length > 0) {
    const removed = list.pop() as TrackerEvent;
    if (removed.event === type) return;
  }
}

function isFirstRunOrUnhappyPath(loopName: string, list: readonly TrackerEvent[]): boolean {
  let nextAction: string | null = null;
  for (let index = list.length - 1; index >= 0; index--) {
    const event = list[index];
    // A deactivation means earlier executions belonged to another activation.
    if (event.event === 'active_loop' && event.name === null) return true;
    if (event.event === 'action_execution_rejected' && event.name === loopName) return true;
    // Training data has no rejections: another action right after a user message marks the detour.
    if (event.event === 'user' && nextAction !== null && nextAction !== loopName) return true;
    if (event.event === 'action') {
      if (event.name === loopName) return false;
      nextAction = event.name;
    }
  }
  return true;
}

/** Drops the user turns and actions since the loop's previous execution, keeping e.g. slot events. */
function undoTillPreviousLoopExecution(loopName: string, list: TrackerEvent[]): void {
  for (let index = list.length - 1; index >= 0; index--) {
    const event = list[index];
    if (event.event === 'action' && event.name === loopName) return;
    if (event.event === 'action' || event.event === 'user' || event.event === 'user_featurization') {
      list.splice(index, 1);
    }
  }
}
