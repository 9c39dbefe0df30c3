/**
 * A real local action server for tests, speaking the Rasa SDK protocol over node:http on
 * 127.0.0.1 (`POST /webhook`, `GET /health`, `GET /actions`), with the formbot's
 * `validate_restaurant_form` implemented as `shared/fixtures/bots/README.md` describes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';

/** The request body Rasa sends (http-api §6.1). */
export interface SdkRequest {
  next_action: string;
  sender_id: string;
  tracker: {
    sender_id: string;
    slots: Record<string, unknown>;
    latest_message: Record<string, unknown>;
    events: Array<Record<string, unknown>>;
    active_loop: Record<string, unknown>;
    [key: string]: unknown;
  };
  domain?: Record<string, unknown>;
  version: string;
}

/** What an SDK action produces: like rasa-sdk's dispatcher messages and returned events. */
export interface SdkResult {
  events?: Array<Record<string, unknown>>;
  responses?: Array<Record<string, unknown>>;
}

/** An action returns a result, or a raw HTTP answer (status + body) to simulate failures. */
export type SdkAction = (request: SdkRequest) => SdkResult | { status: number; body: unknown } | Promise<SdkResult | { status: number; body: unknown }>;

export interface ReceivedRequest {
  body: SdkRequest;
  headers: http.IncomingHttpHeaders;
  url: string;
}

export interface ActionServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts an action server on a free loopback port. */
export async function startActionServer(actions: Record<string, SdkAction>): Promise<ActionServer> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(request, Buffer.concat(chunks)).then(({ status, body }) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
  });
  const answer = async (request: http.IncomingMessage, raw: Buffer): Promise<{ status: number; body: unknown }> => {
    if (request.method === 'GET' && request.url === '/health') return { status: 200, body: { status: 'ok' } };
    if (request.method === 'GET' && request.url === '/actions') {
      return { status: 200, body: Object.keys(actions).map((name) => ({ name })) };
    }
    let body: SdkRequest;
    try {
      const text = request.headers['content-encoding'] === 'deflate' ? inflateSync(raw).toString() : raw.toString();
      body = JSON.parse(text) as SdkRequest;
    } catch {
      return { status: 400, body: { error: 'Invalid body request' } };
    }
    requests.push({ body, headers: request.headers, url: request.url ?? '' });
    const action = actions[body.next_action];
    if (!action) {
      return {
        status: 404,
        body: { error: `No registered action found for name '${body.next_action}'.`, action_name: body.next_action },
      };
    }
    const result = await action(body);
    if ('status' in result) return result as { status: number; body: unknown };
    return { status: 200, body: { events: result.events ?? [], responses: result.responses ?? [] } };
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A rasa-sdk dispatcher message for a domain response. */
export function utterResponse(name: string): Record<string, unknown> {
  return { text: null, buttons: [], elements: [], custom: {}, template: null, response: name, image: null, attachment: null };
}

/** A rasa-sdk `SlotSet` event. */
export function sdkSlot(name: string, value: unknown): Record<string, unknown> {
  return { event: 'slot', timestamp: null, name, value };
}

/** rasa-sdk's `Tracker.slots_to_validate()`: the trailing `slot` events of the tracker. */
export function slotsToValidate(request: SdkRequest): Map<string, unknown> {
  const events = request.tracker.events;
  let count = 0;
  for (let index = events.length - 1; index >= 0 && events[index].event === 'slot'; index--) count++;
  const slots = new Map<string, unknown>();
  for (const event of events.slice(events.length - count)) slots.set(event.name as string, event.value);
  return slots;
}

type Validator = (value: unknown, responses: Array<Record<string, unknown>>) => unknown;

/**
 * A `FormValidationAction`: validates each candidate with `validators[slot]` (slots without a
 * validator are returned unchanged) and answers with one `slot` event per candidate.
 */
export function formValidationAction(validators: Record<string, Validator>): SdkAction {
  return (request) => {
    const responses: Array<Record<string, unknown>> = [];
    const events: Array<Record<string, unknown>> = [];
    for (const [slot, value] of slotsToValidate(request)) {
      const validator = validators[slot];
      events.push(sdkSlot(slot, validator ? validator(value, responses) : value));
    }
    return { events, responses };
  };
}

const CUISINES = ['caribbean', 'chinese', 'french', 'greek', 'indian', 'italian', 'mexican'];

/** The formbot's `validate_restaurant_form` (upstream `examples/formbot/actions/actions.py`). */
export const validateRestaurantForm: SdkAction = formValidationAction({
  cuisine(value, responses) {
    if (typeof value === 'string' && CUISINES.includes(value.toLowerCase())) return value;
    responses.push(utterResponse('utter_wrong_cuisine'));
    return null;
  },
  num_people(value, responses) {
    const number = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
    if (Number.isInteger(number) && String(value).trim() !== '' && number > 0) return value;
    responses.push(utterResponse('utter_wrong_num_people'));
    return null;
  },
  outdoor_seating(value, responses) {
    if (typeof value !== 'string') return value;
    if (value.includes('out')) return true;
    if (value.includes('in')) return false;
    responses.push(utterResponse('utter_wrong_outdoor_seating'));
    return null;
  },
});
