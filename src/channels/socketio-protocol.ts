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

/**
 * Argument of the `user_uttered` acknowledgement: none after a normal turn (as Rasa), `{error}`
 * when the message was refused and never reached the bot.
 */
export interface UserUtteredAck {
  error: ParleyErrorPayload;
}

/** Events a client emits. Each may carry an acknowledgement callback, called after the turn. */
export interface ClientToServerEvents {
  session_request(payload?: SessionRequestPayload | null, ack?: () => void): void;
  user_uttered(payload: UserUtteredPayload, ack?: (result?: UserUtteredAck) => void): void;
}

/** Why the server refused a user message (see `socketio-limits.ts`). */
export type ParleyErrorCode = 'rate_limited' | 'message_too_long' | 'metadata_too_large' | 'metadata_too_deep' | 'session_id_too_long';

/**
 * `parley_error` payload: a user message was refused and not delivered to the bot. The socket
 * stays connected. Rasa has no such event; clients that do not listen for it simply ignore it.
 */
export interface ParleyErrorPayload {
  code: ParleyErrorCode;
  /** A sentence for a person. */
  message: string;
  /** The limit that was exceeded (messages per minute, characters, bytes, nesting levels, or session id characters). */
  limit: number;
  /** With `rate_limited`: when a message will be accepted again. */
  retry_after_ms?: number;
}

/**
 * `parley_uploads` payload, sent after each `session_confirm` when credentials.yml turns uploads
 * on: files of these types up to `max_bytes` may be posted to `…/webhooks/socketio/uploads`.
 */
export interface UploadsAnnouncement {
  max_bytes: number;
  types: readonly string[];
}

/** Events the server emits. */
export interface ServerToClientEvents {
  /** This server takes file uploads (only when they are on). */
  parley_uploads(settings: UploadsAnnouncement): void;
  /** A user message was refused (rate or size limit); the socket stays connected. */
  parley_error(error: ParleyErrorPayload): void;
  /** The session id as a bare string, as Rasa sends it. */
  session_confirm(sessionId: string): void;
  /** One bot message (or custom payload) per event. */
  bot_uttered(message: SocketBotPayload): void;
}

/** Default event names (credentials.yml `user_message_evt` / `bot_message_evt`). */
export const DEFAULT_USER_MESSAGE_EVENT = 'user_uttered';
export const DEFAULT_BOT_MESSAGE_EVENT = 'bot_uttered';
