/** The life cycle shared by loops (forms, two-stage fallback): activate, do, deactivate when done. */
import type { TrackerEvent } from '../../shared/events.js';
import { activeLoop } from '../events.js';
import type { Action, ActionContext } from './action.js';

/**
 * A loop action. On each run: activates itself unless it is already the active loop, does its
 * work unless done, and deactivates once done (`active_loop` events mark both ends).
 */
export abstract class LoopAction implements Action {
  abstract readonly name: string;

  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const events: TrackerEvent[] = [];
    if (context.tracker.activeLoopName !== this.name) events.push(...(await this.activateLoop(context)));
    if (!(await this.isDone(context, events))) events.push(...(await this.do(context, events)));
    if (await this.isDone(context, events)) {
      events.push(activeLoop(null), ...(await this.deactivate(context, events)));
    }
    return events;
  }

  /** `active_loop(<name>)` followed by the loop's own activation events. */
  protected async activateLoop(context: ActionContext): Promise<TrackerEvent[]> {
    return [activeLoop(this.name), ...(await this.activate(context))];
  }

  protected async activate(_context: ActionContext): Promise<TrackerEvent[]> {
    return [];
  }

  protected abstract do(context: ActionContext, eventsSoFar: readonly TrackerEvent[]): Promise<TrackerEvent[]>;

  protected abstract isDone(context: ActionContext, eventsSoFar: readonly TrackerEvent[]): Promise<boolean>;

  protected async deactivate(_context: ActionContext, _eventsSoFar: readonly TrackerEvent[]): Promise<TrackerEvent[]> {
    return [];
  }
}
