/** What an action is, what it gets to run, and how it refuses to run. */
import { ParleyError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Domain } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';
import type { OutputChannel } from '../../shared/messages.js';
import type { NaturalLanguageGenerator } from '../nlg.js';
import type { DialogueStateTracker } from '../tracker.js';

/** Everything an action may use. Actions never change the tracker: they return events. */
export interface ActionContext {
  readonly tracker: DialogueStateTracker;
  readonly domain: Domain;
  readonly output: OutputChannel;
  readonly nlg: NaturalLanguageGenerator;
  readonly actions: ActionResolver;
  readonly logger: Logger;
}

/** Something the dialogue can do next (Rasa's `Action`). */
export interface Action {
  /** The action name; for an end-to-end bot text, the text itself. */
  readonly name: string;
  /** Set for end-to-end bot texts: the `action` event then records `action_text` and no name. */
  readonly actionText?: string;
  run(context: ActionContext): Promise<TrackerEvent[]>;
}

/** Finds actions by name (Rasa's `action_for_name_or_text`). */
export interface ActionResolver {
  /** @throws ParleyError `PARLEY_ERR_ACTION_UNKNOWN` when the domain has no such action. */
  actionFor(nameOrText: string): Action;
  /** The custom action `name` on the action server, whether or not the domain lists it. */
  remoteAction(name: string): Action;
}

/**
 * Thrown by an action that declines to run (a form that extracted nothing, an action server
 * answering 400). The processor logs `action_execution_rejected` and lets the policies choose again.
 */
export class ActionExecutionRejection extends ParleyError {
  readonly actionName: string;

  constructor(actionName: string, message?: string) {
    super('PARLEY_ERR_ACTION_REJECTED', message ?? `Custom action '${actionName}' rejected to run.`);
    this.name = 'ActionExecutionRejection';
    this.actionName = actionName;
  }
}

/** The same context, seen through another tracker (e.g. a temporary copy). */
export function withTracker(context: ActionContext, tracker: DialogueStateTracker): ActionContext {
  return { ...context, tracker };
}
