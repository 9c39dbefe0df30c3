/** The contract between the connection (which picks a transport) and the two transports. */

export type TransportKind = 'socketio' | 'rest';

/** What the widget shows about the connection. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'error';

/** One user message on its way to the bot. */
export interface OutgoingMessage {
  id: string;
  text: string;
  /** The page's `customData`, delivered as message metadata. */
  metadata: Record<string, unknown>;
}

/** What a transport reports. `reason` texts are shown to people. */
export interface TransportEvents {
  status(status: ConnectionStatus, reason: string | null): void;
  /** The server confirmed this session id; messages may be delivered from now on. */
  session(sessionId: string): void;
  bot(payload: unknown): void;
  /** The server finished the bot's turn for this message. */
  turnEnd(messageId: string): void;
  /** This message did not reach the bot (it is not retried). */
  failed(messageId: string, reason: string): void;
  /** The server offers file uploads (Parley's `parley_uploads` event; raw payload, checked later). */
  uploads?(config: unknown): void;
  /** Socket.IO could not connect before its first session; `auto` mode then tries REST. */
  unreachable(reason: string): void;
}

export interface Transport {
  readonly kind: TransportKind;
  /** Connect and continue `sessionId`, or start a new session when it is null. */
  start(sessionId: string | null): void;
  /** Send one message; only called after `session`. Delivered once, never repeated. */
  deliver(message: OutgoingMessage, sessionId: string): void;
  /** Leave the current conversation and start a new session. */
  restart(): void;
  stop(): void;
}

/** The REST channel's health route, also used to decide whether REST can stand in for Socket.IO. */
export function restHealthUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/webhooks/rest/`;
}

export function restWebhookUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/webhooks/rest/webhook`;
}
