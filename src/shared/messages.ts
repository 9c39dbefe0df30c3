/** The envelope of one user message and the output side every channel implements. */
import type { Button } from './events.js';
import type { ParseResult } from './nlu.js';

/**
 * A bot utterance as handed to channels: Rasa's `BotUttered.message()` — `text`, the data keys
 * (`buttons`, `quick_replies`, `image`, `attachment`, `elements`, `custom`) and the response
 * metadata keys (e.g. `utter_action`) merged flat. Null or missing keys mean "not present".
 */
export interface BotMessage {
  text?: string | null;
  buttons?: Button[] | null;
  quick_replies?: Button[] | null;
  image?: string | null;
  attachment?: unknown;
  elements?: unknown[] | null;
  custom?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** Where the bot's answers go. Each channel turns a BotMessage into its own wire shape. */
export interface OutputChannel {
  /** The name response variations match with `channel:` (`collector`, `socketio`, `callback`…). */
  readonly name: string;
  sendResponse(recipientId: string, message: BotMessage): Promise<void>;
}

export interface UserMessage {
  /** User text, already trimmed; null for a message without text. */
  text: string | null;
  senderId: string;
  /** Name recorded on the user event (`rest`, `socketio`, `callback`, or an override). */
  inputChannel: string;
  output: OutputChannel;
  metadata?: unknown;
  messageId?: string;
  /** Pre-parsed NLU result (skips the NLU pipeline), as `/conversations/{id}/messages` may give. */
  parseData?: ParseResult;
}

/** What channels call. Messages of one sender are handled one at a time, in arrival order. */
export interface MessageHandler {
  handleMessage(message: UserMessage): Promise<void>;
}

/**
 * Longest conversation id (REST/callback `sender`, socket.io `session_id`, the HTTP API's
 * `/conversations/<id>`) Parley accepts, in characters: every id a channel accepts can also be
 * read back through the API, and one client cannot fill the stores with megabyte-long ids.
 */
export const MAX_CONVERSATION_ID_LENGTH = 2048;
