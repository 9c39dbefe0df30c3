/**
 * `/conversations/{id}/<endpoint>` where the id may itself contain `/` (Rasa's `path` matcher):
 * the endpoint is the known suffix, the id is everything before it. Ids are checked once here:
 * not empty, not absurdly long, no control characters (they would end up in logs and stores).
 */
import { ParleyError } from '../errors.js';

export type ConversationEndpoint =
  | 'tracker'
  | 'story'
  | 'tracker/events'
  | 'trigger_intent'
  | 'predict'
  | 'messages'
  | 'execute';

export type ConversationMethod = 'GET' | 'POST' | 'PUT';

/** Endpoints per method, longest suffix first so `a/tracker/events` is never read as `a/tracker` + `events`. */
export const CONVERSATION_ENDPOINTS: Readonly<Record<ConversationMethod, readonly ConversationEndpoint[]>> = {
  GET: ['tracker', 'story'],
  POST: ['tracker/events', 'trigger_intent', 'predict', 'messages', 'execute'],
  PUT: ['tracker/events'],
};

export interface ConversationPath {
  conversationId: string;
  endpoint: ConversationEndpoint;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Splits the part after `/conversations/` (already URL-decoded) into id and endpoint.
 * Returns null when no endpoint of this method matches (→ 404).
 * @throws ParleyError 400 for an unusable id.
 */
export function parseConversationPath(method: ConversationMethod, rest: string, maxIdLength: number): ConversationPath | null {
  const withoutSlash = rest.replace(/\/+$/, '');
  for (const endpoint of CONVERSATION_ENDPOINTS[method]) {
    const suffix = `/${endpoint}`;
    if (!withoutSlash.endsWith(suffix)) continue;
    const conversationId = withoutSlash.slice(0, -suffix.length);
    if (conversationId === '') return null;
    checkConversationId(conversationId, maxIdLength);
    return { conversationId, endpoint };
  }
  return null;
}

export function checkConversationId(conversationId: string, maxIdLength: number): void {
  if (conversationId.length > maxIdLength) {
    throw new ParleyError(
      'PARLEY_ERR_BAD_REQUEST',
      `The conversation id is ${conversationId.length} characters long; this server accepts at most ${maxIdLength}.`,
      { details: { parameter: 'conversation_id', in: 'path' } },
    );
  }
  if (CONTROL_CHARACTERS.test(conversationId)) {
    throw new ParleyError(
      'PARLEY_ERR_BAD_REQUEST',
      'The conversation id contains control characters (such as a line break or NUL); use printable characters only.',
      { details: { parameter: 'conversation_id', in: 'path' } },
    );
  }
}
