/**
 * The widget's link to the chat server, separate from the view: picks Socket.IO or REST (falling
 * back to REST when Socket.IO is unavailable), holds messages until a session is confirmed and
 * hands each one to the transport exactly once.
 */
import { RestTransport, restChannelAvailable } from './rest-transport.js';
import { SocketTransport } from './socket-transport.js';
import type { ConnectionStatus, OutgoingMessage, Transport, TransportEvents, TransportKind } from './transport.js';

export type { ConnectionStatus, OutgoingMessage, TransportKind } from './transport.js';

/** `auto`: Socket.IO, or REST when Socket.IO cannot connect and REST answers. */
export type TransportChoice = 'auto' | TransportKind;

export interface ConnectionOptions {
  /** Absolute base URL of the chat server, e.g. `https://bot.example` (REST may add a path prefix). */
  serverUrl: string;
  /** @default '/socket.io/' */
  socketPath: string;
  /** @default 'auto' */
  transport: TransportChoice;
  /** @default 'user_uttered' */
  userMessageEvent: string;
  /** @default 'bot_uttered' */
  botMessageEvent: string;
}

/** What the connection tells the element. */
export interface ConnectionListener {
  status(status: ConnectionStatus, transport: TransportKind, reason: string | null): void;
  /** A session is confirmed. `isNew` when it is not the one the connection was started with. */
  session(sessionId: string, isNew: boolean): void;
  bot(payload: unknown): void;
  /** The message left for the server. */
  sent(messageId: string): void;
  failed(messageId: string, reason: string): void;
  turnEnd(messageId: string): void;
  /** The server announced what it accepts for upload (Socket.IO only). */
  uploads?(config: unknown): void;
}

export class ChatConnection {
  readonly #options: ConnectionOptions;
  readonly #listener: ConnectionListener;
  #transport: Transport;
  #sessionId: string | null = null;
  #ready = false;
  #queue: OutgoingMessage[] = [];
  #probing = false;
  #stopped = false;

  constructor(options: ConnectionOptions, listener: ConnectionListener) {
    this.#options = options;
    this.#listener = listener;
    this.#transport = this.#create(options.transport === 'rest' ? 'rest' : 'socketio');
  }

  /** The transport in use now. */
  get transport(): TransportKind {
    return this.#transport.kind;
  }

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Connect, continuing `sessionId` when given. */
  start(sessionId: string | null): void {
    this.#sessionId = sessionId;
    this.#transport.start(sessionId);
  }

  /**
   * Send a message now, or as soon as a session is confirmed. `first` puts it ahead of waiting
   * messages (the initial payload must open the conversation).
   */
  send(message: OutgoingMessage, options: { first?: boolean } = {}): void {
    if (options.first) this.#queue.unshift(message);
    else this.#queue.push(message);
    this.#flush();
  }

  /** Forget the conversation: unsent messages are dropped and the server starts a new session. */
  newConversation(): void {
    this.#queue = [];
    this.#ready = false;
    this.#sessionId = null;
    this.#transport.restart();
  }

  stop(): void {
    this.#stopped = true;
    this.#transport.stop();
  }

  #flush(): void {
    if (!this.#ready || this.#sessionId === null) return;
    const messages = this.#queue;
    this.#queue = [];
    for (const message of messages) {
      this.#transport.deliver(message, this.#sessionId);
      this.#listener.sent(message.id);
    }
  }

  #create(kind: TransportKind): Transport {
    const events: TransportEvents = {
      status: (status, reason) => {
        // A REST error answer leaves the channel usable (the next request may well succeed); a
        // socket in any state but online has no session to send in.
        if (status !== 'online' && (kind === 'socketio' || status !== 'error')) this.#ready = false;
        this.#listener.status(status, kind, reason);
      },
      session: (sessionId) => {
        const isNew = sessionId !== this.#sessionId;
        this.#sessionId = sessionId;
        this.#ready = true;
        this.#listener.session(sessionId, isNew);
        this.#flush();
      },
      bot: (payload) => this.#listener.bot(payload),
      turnEnd: (id) => this.#listener.turnEnd(id),
      failed: (id, reason) => this.#listener.failed(id, reason),
      uploads: (config) => this.#listener.uploads?.(config),
      unreachable: () => void this.#tryRest(),
    };
    if (kind === 'rest') return new RestTransport({ serverUrl: this.#options.serverUrl }, events);
    return new SocketTransport(
      {
        serverUrl: new URL(this.#options.serverUrl).origin,
        path: this.#options.socketPath,
        userMessageEvent: this.#options.userMessageEvent,
        botMessageEvent: this.#options.botMessageEvent,
      },
      events,
    );
  }

  /** In `auto` mode, switch to REST when Socket.IO cannot connect but the REST channel answers. */
  async #tryRest(): Promise<void> {
    if (this.#options.transport !== 'auto' || this.#transport.kind !== 'socketio' || this.#probing) return;
    this.#probing = true;
    const available = await restChannelAvailable(this.#options.serverUrl);
    this.#probing = false;
    if (!available || this.#stopped || this.#transport.kind !== 'socketio' || this.#ready) return;
    this.#transport.stop();
    this.#transport = this.#create('rest');
    this.#transport.start(this.#sessionId);
  }
}
