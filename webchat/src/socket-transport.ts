/**
 * The Socket.IO transport: Rasa's `socketio` channel protocol (`session_request` →
 * `session_confirm`, `user_uttered`, `bot_uttered`), WebSocket first with HTTP long-polling as
 * the fallback, and automatic reconnection that never repeats a message.
 */
import { io, type Socket } from 'socket.io-client';
import type { SessionRequestPayload, UserUtteredPayload } from '../../src/channels/socketio-protocol.js';
import type { OutgoingMessage, Transport, TransportEvents } from './transport.js';

export interface SocketTransportOptions {
  /** The chat server's origin, e.g. `https://bot.example`. */
  serverUrl: string;
  /** @default '/socket.io/' */
  path: string;
  /** credentials.yml `user_message_evt`. @default 'user_uttered' */
  userMessageEvent: string;
  /** credentials.yml `bot_message_evt`. @default 'bot_uttered' */
  botMessageEvent: string;
}

/** How long one connection attempt may take (Socket.IO's default is 20 s). */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long the server may take to answer `session_request` before the widget says so. */
const SESSION_CONFIRM_TIMEOUT_MS = 10_000;
/** Pause before reconnecting after the server closed or refused the connection. */
const SERVER_CLOSED_RETRY_MS = 5_000;
const REFUSED_RETRY_MS = 15_000;

/** `session_confirm` carries a bare string (Rasa); Rasa Webchat also accepts `{session_id}`. */
function confirmedId(argument: unknown): string | null {
  const id = typeof argument === 'object' && argument !== null ? (argument as { session_id?: unknown }).session_id : argument;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export class SocketTransport implements Transport {
  readonly kind = 'socketio';
  readonly #options: SocketTransportOptions;
  readonly #events: TransportEvents;
  #socket: Socket | null = null;
  #sessionId: string | null = null;
  #confirmedOnce = false;
  #failedAttempts = 0;
  /** Messages whose turn has not been acknowledged yet; all end when the connection drops. */
  readonly #awaitingTurn = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SocketTransportOptions, events: TransportEvents) {
    this.#options = options;
    this.#events = events;
  }

  start(sessionId: string | null): void {
    this.#sessionId = sessionId;
    // Event names can be renamed in credentials.yml, so the socket is used untyped; the payload
    // types come from the server's protocol module.
    const socket: Socket = io(this.#options.serverUrl, {
      path: this.#options.path,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 5_000,
      // Also bounds how long a silently dropped WebSocket blocks the next attempt.
      timeout: CONNECT_TIMEOUT_MS,
      autoConnect: false,
      // Its own connection manager: the transport order below is changed per widget.
      forceNew: true,
    });
    this.#socket = socket;
    socket.on('connect', () => this.#requestSession());
    socket.on('session_confirm', (argument: unknown) => this.#confirm(argument));
    socket.on(this.#options.botMessageEvent, (...payload: unknown[]) => {
      // Rasa emits a custom payload without `data` as an event without argument.
      this.#events.bot(payload.length === 0 ? null : payload[0]);
    });
    socket.on('parley_uploads', (config: unknown) => this.#events.uploads?.(config));
    socket.on('disconnect', (reason) => this.#disconnected(reason));
    socket.on('connect_error', (error: Error) => this.#connectFailed(socket, error));
    this.#events.status('connecting', null);
    socket.connect();
  }

  deliver(message: OutgoingMessage, sessionId: string): void {
    const socket = this.#socket;
    if (!socket) return;
    // `customData` is what Rasa Webchat sends (and what `metadata_key: customData` reads); the
    // same object under `metadata` reaches servers left on the default `metadata_key`.
    const payload: UserUtteredPayload = {
      message: message.text,
      session_id: sessionId,
      customData: message.metadata,
      metadata: message.metadata,
    };
    this.#awaitingTurn.add(message.id);
    socket.emit(this.#options.userMessageEvent, payload, (result?: unknown) => this.#acknowledged(message.id, result));
  }

  restart(): void {
    this.#sessionId = null;
    const socket = this.#socket;
    if (!socket) return;
    // Reconnecting leaves the old session's room, so its messages stop arriving here.
    this.#endAllTurns();
    socket.disconnect();
    this.#events.status('connecting', null);
    socket.connect();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#endAllTurns();
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
  }

  #requestSession(): void {
    const request: SessionRequestPayload = { session_id: this.#sessionId };
    this.#socket?.emit('session_request', request);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#events.status('error', 'The chat server did not start a session. Retrying…');
      this.#socket?.disconnect().connect();
    }, SESSION_CONFIRM_TIMEOUT_MS);
  }

  #confirm(argument: unknown): void {
    const id = confirmedId(argument);
    if (id === null) return;
    clearTimeout(this.#timer);
    this.#sessionId = id;
    this.#confirmedOnce = true;
    this.#events.status('online', null);
    this.#events.session(id);
  }

  #disconnected(reason: Socket.DisconnectReason): void {
    clearTimeout(this.#timer);
    this.#endAllTurns();
    if (reason === 'io client disconnect') return;
    if (reason === 'io server disconnect') {
      // The server ended the connection on purpose; Socket.IO does not reconnect by itself then.
      this.#events.status('error', 'The chat server closed the connection. Reconnecting soon…');
      this.#timer = setTimeout(() => this.#socket?.connect(), SERVER_CLOSED_RETRY_MS);
      return;
    }
    this.#events.status('offline', 'Connection lost. Reconnecting…');
  }

  #connectFailed(socket: Socket, error: Error): void {
    this.#failedAttempts += 1;
    // One failure may be a dropped WebSocket that the next, polling-first attempt gets past.
    if (!this.#confirmedOnce && this.#failedAttempts >= 2) this.#events.unreachable(error.message);
    // Engine.IO tries the second transport only when the first one errors. A WebSocket that a proxy
    // accepts and then drops just times out, so attempts alternate which transport goes first:
    // polling-first gets through such proxies, WebSocket-first serves deployments without sticky
    // sessions (where polling cannot work). The order that connected is kept for reconnections.
    const first = socket.io.opts.transports?.[0];
    socket.io.opts.transports = first === 'polling' ? ['websocket', 'polling'] : ['polling', 'websocket'];
    if (socket.active) {
      this.#events.status('offline', 'Cannot reach the chat server. Retrying…');
      return;
    }
    // Refused by the server (for example a required token is missing); retry slowly.
    this.#events.status('error', 'The chat server refused the connection.');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#socket?.connect(), REFUSED_RETRY_MS);
  }

  /** Parley acknowledges a message it refused (rate or size limit) with `{error: {message}}`. */
  #acknowledged(messageId: string, result: unknown): void {
    const error = (result as { error?: { message?: unknown } } | undefined)?.error;
    if (typeof error?.message === 'string' && this.#awaitingTurn.delete(messageId)) {
      this.#events.failed(messageId, error.message);
      return;
    }
    this.#turnEnded(messageId);
  }

  #turnEnded(messageId: string): void {
    if (this.#awaitingTurn.delete(messageId)) this.#events.turnEnd(messageId);
  }

  #endAllTurns(): void {
    for (const id of [...this.#awaitingTurn]) this.#turnEnded(id);
  }
}
