/**
 * What the REST-style webhooks (rest, callback) share: the JSON body read regardless of
 * Content-Type, the `sender`/`message` fields, the health route and the 405 answer.
 */
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../errors.js';
import { MAX_CONVERSATION_ID_LENGTH } from '../shared/messages.js';
import { jsonTextNestsDeeperThan, MAX_JSON_NESTING } from './json-nesting.js';

/**
 * Make every body of this plugin's routes arrive as raw text, whatever its Content-Type, as
 * Sanic's `request.json` reads it (so `text/plain`, which needs no CORS preflight, works).
 * Encapsulated: other plugins keep fastify's parsers.
 */
export function acceptAnyContentType(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

/** Rasa's log line when a message arrives while no model is loaded. */
export const NO_MODEL = 'Ignoring message as there is no agent to handle it.';

const EXAMPLE = 'Send a JSON object such as {"sender": "user-1", "message": "hi"}.';

/** The request body as a JSON object; 400 for an empty body, bad JSON or a non-object. */
export function readJsonObject(body: unknown): Record<string, unknown> {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '') {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `The request body is empty. ${EXAMPLE}`);
  }
  if (jsonTextNestsDeeperThan(text)) {
    throw new ParleyError(
      'PARLEY_ERR_BAD_REQUEST',
      `The request body nests arrays and objects more than ${MAX_JSON_NESTING} levels deep; this server does not accept that. ${EXAMPLE}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_BAD_REQUEST',
      `Failed when parsing body as json: ${(error as Error).message}. ${EXAMPLE}`,
      { cause: error },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `The request body is ${kind}, not a JSON object. ${EXAMPLE}`);
  }
  return parsed as Record<string, unknown>;
}

/** Python's `str()` of a JSON scalar, which is how Rasa turns a non-string sender into an id. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** `sender`: the conversation id; missing or null → `"default"`, numbers stringified. */
export function senderOf(body: Record<string, unknown>): string {
  const sender = body.sender;
  const id = sender === undefined || sender === null ? 'default' : pythonStr(sender);
  if (id.length > MAX_CONVERSATION_ID_LENGTH) {
    throw new ParleyError(
      'PARLEY_ERR_BAD_REQUEST',
      `\`sender\` has ${id.length} characters; this server accepts conversation ids of at most ${MAX_CONVERSATION_ID_LENGTH}. ${EXAMPLE}`,
    );
  }
  return id;
}

/** `message`, trimmed; missing/null → null (a message without text); undefined when not text. */
export function messageTextOf(body: Record<string, unknown>): string | null | undefined {
  const message = body.message;
  if (message === undefined || message === null) return null;
  return typeof message === 'string' ? message.trim() : undefined;
}

/**
 * `GET <prefix>/` → `{"status":"ok"}`, the health route every channel has — except a channel
 * mounted at the root, where `GET /` is the server's greeting.
 */
export function registerHealthRoute(app: FastifyInstance): void {
  if (app.prefix === '') return;
  app.get('/', async () => ({ status: 'ok' }));
}

/** Answer 405 (with `Allow`) for the other methods on a POST-only route. */
export function registerMethodNotAllowed(app: FastifyInstance, url: string, allowed: string[]): void {
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'].filter((method) => !allowed.includes(method)),
    url,
    handler: async (request, reply) => {
      reply.header('allow', [...allowed, 'OPTIONS'].join(', '));
      throw new ParleyError(
        'PARLEY_ERR_METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${request.url.split('?')[0]}; use ${allowed.join(' or ')}.`,
      );
    },
  });
}
