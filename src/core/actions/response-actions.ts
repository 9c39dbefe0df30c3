/** Actions that only say something: `utter_*` responses, retrieval responses, end-to-end bot texts. */
import type { TrackerEvent } from '../../shared/events.js';
import { createBotUtterance } from '../nlg.js';
import type { Action, ActionContext } from './action.js';

/** Utters the domain response of the same name (Rasa's `ActionBotResponse`). */
export class ResponseAction implements Action {
  readonly name: string;
  protected responseName: string;
  readonly #silentFail: boolean;

  /**
   * @param responseName the response to utter (defaults to the action name).
   * @param silentFail log nothing when the response is missing (default actions such as
   *   `action_restart` utter `utter_restart` only if the domain has it).
   */
  constructor(name: string, options: { responseName?: string; silentFail?: boolean } = {}) {
    this.name = name;
    this.responseName = options.responseName ?? name;
    this.#silentFail = options.silentFail ?? false;
  }

  async run(context: ActionContext): Promise<TrackerEvent[]> {
    return utterResponse(context, this.responseName, this.#silentFail);
  }
}

/** Generates `responseName` on the context's channel; `[]` when there is nothing to say. */
export async function utterResponse(
  context: ActionContext,
  responseName: string,
  silentFail: boolean,
): Promise<TrackerEvent[]> {
  const message = await context.nlg.generate(responseName, context.tracker, context.output.name);
  if (message === null) {
    if (!silentFail) {
      context.logger.error(
        { event: 'action.response.missing', response: responseName },
        `Couldn't create a message for the response '${responseName}': it is not in the domain or no variation fits.`,
      );
    }
    return [];
  }
  message.utter_action = responseName;
  return [createBotUtterance(message)];
}

/**
 * `utter_<retrieval intent>`: utters the full response the response selector picked for the
 * latest message (e.g. `utter_chitchat/ask_name`).
 */
export class RetrievalResponseAction implements Action {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** The retrieval intent an action name refers to (`utter_chitchat` → `chitchat`). */
  static intentOf(actionName: string): string {
    return actionName.split('utter_')[1] ?? '';
  }

  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const selector = context.tracker.latestMessage?.response_selector as Record<string, unknown> | undefined;
    const intent = RetrievalResponseAction.intentOf(this.name);
    const key = selector && intent in selector ? intent : selector && 'default' in selector ? 'default' : null;
    if (!selector || key === null) {
      context.logger.error(
        { event: 'action.retrieval.missing', action: this.name },
        `Couldn't create a message for the response action '${this.name}': the latest message has no response selector output for it.`,
      );
      return [];
    }
    const selected = selector[key] as { response?: { utter_action?: string } } | undefined;
    const responseName = selected?.response?.utter_action;
    if (typeof responseName !== 'string') return [];
    return utterResponse(context, responseName, false);
  }
}

/** Sends an end-to-end bot text from the stories (the action "name" is the text). */
export class EndToEndResponseAction implements Action {
  readonly name: string;
  readonly actionText: string;

  constructor(text: string) {
    this.name = text;
    this.actionText = text;
  }

  async run(): Promise<TrackerEvent[]> {
    return [createBotUtterance({ text: this.actionText })];
  }
}
