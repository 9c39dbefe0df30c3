/**
 * The Socket.IO wire protocol of the `socketio` channel, as typed event maps (no I/O here, so
 * the web-chat widget can import it). credentials.yml may rename `user_uttered`/`bot_uttered`;
 * the payload types stay these.
 */
import type { SocketBotPayload } from './output.js';

export type { SocketBotMessage, SocketBotPayload, SocketQuickReply } from './output.js';

/** `session_request` payload; `session_id` null or missing asks the server for a new id. */
export interface SessionRequestPayload {
  session_id?: string | number | null;
}

/**
 * `user_uttered` payload. `session_id` is the conversation id when `session_persistence` is on;
 * the metadata field is named by `metadata_key` (default `metadata`; Rasa Webchat sends `customData`).
 */
export interface UserUtteredPayload {
  message?: string | null;
  session_id?: string | number;
  [metadataKey: string]: unknown;
}

/** Events a client emits. Each may carry an acknowledgement callback, called after the turn. */
export interface ClientToServerEvents {
  session_request(payload?: SessionRequestPayload | null, ack?: () => void): void;
  user_uttered(payload: UserUtteredPayload, ack?: () => void): void;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  /** The session id as a bare string, as Rasa sends it. */
  session_confirm(sessionId: string): void;
  /** One bot message (or custom payload) per event. */
  bot_uttered(message: SocketBotPayload): void;
}

/** Default event names (credentials.yml `user_message_evt` / `bot_message_evt`). */
export const DEFAULT_USER_MESSAGE_EVENT = 'user_uttered';
export const DEFAULT_BOT_MESSAGE_EVENT = 'bot_uttered';
