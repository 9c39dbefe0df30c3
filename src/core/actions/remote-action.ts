/**
 * A custom action run by the action server: builds the request of http-api §6.1 and turns the
 * reply's `responses` and `events` into tracker events (§6.2–6.3).
 */
import { ParleyError } from '../../errors.js';
import type { TrackerEvent } from '../../shared/events.js';
import { RASA_COMPATIBLE_VERSION } from '../../version.js';
import { parseEvents } from '../events.js';
import { createBotUtterance, type GeneratedMessage } from '../nlg.js';
import { pythonTruthy } from '../python-values.js';
import type { Action, ActionContext } from './action.js';
import { callActionServer, type ActionEndpointConfig } from './action-server.js';

export class RemoteAction implements Action {
  readonly name: string;
  readonly #endpoint: ActionEndpointConfig | null;

  constructor(name: string, endpoint: ActionEndpointConfig | null) {
    this.name = name;
    this.#endpoint = endpoint;
  }

  async run(context: ActionContext): Promise<TrackerEvent[]> {
    if (!this.#endpoint) {
      throw new ParleyError(
        'PARLEY_ERR_ACTION_SERVER',
        `Failed to execute custom action '${this.name}' because no action server is configured. Set 'action_endpoint.url' in endpoints.yml.`,
        { details: { action: this.name } },
      );
    }
    context.logger.debug({ event: 'action.remote.call', action: this.name }, `Calling the action server to run '${this.name}'.`);
    const reply = await callActionServer(this.#endpoint, this.name, this.#requestBody(context));
    let events: TrackerEvent[];
    try {
      events = parseEvents(reply.events, 'events');
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_ACTION_SERVER',
        `Failed to execute custom action '${this.name}': the action server returned invalid events (${(error as Error).message})`,
        { cause: error, details: { action: this.name } },
      );
    }
    const messages = await botEventsFromResponses(reply.responses, context);
    return [...messages, ...events];
  }

  #requestBody(context: ActionContext): Record<string, unknown> {
    const body: Record<string, unknown> = {
      next_action: this.name,
      sender_id: context.tracker.senderId,
      tracker: context.tracker.currentState('ALL'),
    };
    if (this.#sendsDomain(context)) body.domain = context.domain.serialized;
    body.version = RASA_COMPATIBLE_VERSION;
    return body;
  }

  #sendsDomain(context: ActionContext): boolean {
    if (!this.#endpoint?.enableSelectiveDomain) return true;
    return this.name.startsWith('validate_') || context.domain.actionsSendingDomain.includes(this.name);
  }
}

/**
 * Turns the reply's `responses` into `bot` events: a `response` key asks the NLG for that domain
 * response (the item's other keys are template variables; a missing response skips the item),
 * extra `buttons` are appended, and other non-empty keys overwrite the generated message.
 */
export async function botEventsFromResponses(
  responses: ReadonlyArray<Record<string, unknown>>,
  context: ActionContext,
): Promise<TrackerEvent[]> {
  const events: TrackerEvent[] = [];
  for (const item of responses) {
    const { response: responseName, ...rest } = item;
    let message: GeneratedMessage;
    if (pythonTruthy(responseName)) {
      const generated = await context.nlg.generate(String(responseName), context.tracker, context.output.name, rest);
      if (!generated) continue;
      message = { ...generated, utter_action: responseName };
    } else {
      message = {};
    }
    const { buttons, ...others } = rest;
    if (pythonTruthy(buttons) && Array.isArray(buttons)) {
      message.buttons = [...((message.buttons as unknown[] | null | undefined) ?? []), ...buttons];
    }
    for (const [key, value] of Object.entries(others)) {
      if (pythonTruthy(value)) message[key] = value;
    }
    events.push(createBotUtterance(message));
  }
  return events;
}
