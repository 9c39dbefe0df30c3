/**
 * The conversation behind the widget, without DOM: transcript, session, connection state, unread
 * count, the typing indicator and the rule that the initial payload opens a new conversation once.
 * The element renders what this holds and forwards what the user does.
 */
import type { ConnectionListener, ConnectionStatus, OutgoingMessage, TransportKind } from './connection.js';
import type { ConversationStore } from './conversation-store.js';
import type { ParleyChatEventDetails } from './events.js';
import { randomHexId } from './ids.js';
import {
  addBotViews,
  addNotice,
  addUserItem,
  markChosen,
  setDeliveryStatus,
  type Attachment,
  type ChatItem,
  type UserItem,
} from './transcript.js';
import { toBotViews, type Choice } from './view-model.js';

/** What the conversation needs from a connection (ChatConnection, or a fake in tests). */
export interface ConnectionLike {
  start(sessionId: string | null): void;
  send(message: OutgoingMessage, options?: { first?: boolean }): void;
  newConversation(): void;
  stop(): void;
}

export interface ConversationOptions {
  store: ConversationStore;
  /** Create the connection; it reports to `listener`. */
  connect(listener: ConnectionListener): ConnectionLike;
  /** Relative URLs in bot messages resolve against this. */
  baseUrl: string;
  /** Read when needed, so attribute changes apply. */
  initialPayload(): string;
  metadata(): Record<string, unknown>;
  /** The server announced its upload settings (raw `parley_uploads` payload). */
  uploads?(config: unknown): void;
  /** Something the view shows changed. */
  changed(): void;
  /** An event for the page. */
  emit<K extends keyof ParleyChatEventDetails>(name: K, detail: ParleyChatEventDetails[K]): void;
}

/** Bot replies may take long (action servers); the indicator stops on its own after this. */
export const TYPING_TIMEOUT_MS = 30_000;

export class Conversation {
  readonly #options: ConversationOptions;
  #connection: ConnectionLike | null = null;
  #items: ChatItem[] = [];
  #status: ConnectionStatus = 'connecting';
  #statusReason: string | null = null;
  #sessionId: string | null = null;
  /** True while the session has no exchanged messages yet (or the server started a new one). */
  #fresh = false;
  #initialPayloadSentFor: string | null = null;
  #open = false;
  #unread = 0;
  /** Messages whose bot turn is still running. */
  readonly #awaitingTurn = new Set<string>();
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ConversationOptions) {
    this.#options = options;
  }

  get items(): readonly ChatItem[] {
    return this.#items;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Why the connection is not online, in words for people; null when there is nothing to say. */
  get statusReason(): string | null {
    return this.#statusReason;
  }

  get unread(): number {
    return this.#unread;
  }

  /** Whether the bot is working on a reply (shown only while online). */
  get typing(): boolean {
    return this.#awaitingTurn.size > 0 && this.#status === 'online';
  }

  /** Restore the stored conversation and connect. */
  start(): void {
    const stored = this.#options.store.load();
    this.#items = stored.items;
    this.#initialPayloadSentFor = stored.initialPayloadSentFor;
    this.#connection = this.#options.connect({
      status: (status, transport, reason) => this.#onStatus(status, transport, reason),
      session: (sessionId, isNew) => this.#onSession(sessionId, isNew),
      bot: (payload) => this.#onBotMessage(payload),
      sent: (id) => {
        this.#restartTypingTimeout();
        this.#setItems(setDeliveryStatus(this.#items, id, 'sent'));
      },
      failed: (id, reason) => {
        this.#endTurn(id);
        this.#setItems(setDeliveryStatus(this.#items, id, 'failed'));
        this.#options.emit('parley-error', { message: reason });
      },
      turnEnd: (id) => this.#endTurn(id),
      uploads: (config) => this.#options.uploads?.(config),
    });
    this.#connection.start(stored.sessionId);
    this.#options.changed();
  }

  stop(): void {
    clearTimeout(this.#typingTimer);
    this.#connection?.stop();
    this.#connection = null;
  }

  /** The panel opened or closed. Opening clears the unread count and may open the conversation. */
  setOpen(open: boolean): void {
    this.#open = open;
    if (!open) return;
    if (this.#unread > 0) {
      this.#unread = 0;
      this.#options.changed();
    }
    this.#maybeSendInitialPayload();
  }

  /** Send a user message; `payload` (a button's) goes to the bot while `text` is shown. */
  send(text: string, payload: string | null = null): void {
    const shown = text.trim();
    const message = payload ?? shown;
    if (message === '') return;
    const item: UserItem = { id: randomHexId(), from: 'user', text: shown, payload, status: 'pending', at: Date.now() };
    this.#setItems(addUserItem(this.#items, item));
    this.#deliver(item);
    this.#options.emit('parley-user-message', { text: shown, message });
  }

  /**
   * Send an uploaded file: the bot gets `payload` (or the file name) as the text and the file as
   * `metadata.attachment`.
   */
  sendAttachment(attachment: Attachment, payload: string | null = null): void {
    const item: UserItem = {
      id: randomHexId(),
      from: 'user',
      text: attachment.name,
      payload: payload?.trim() || null,
      status: 'pending',
      at: Date.now(),
      attachment,
    };
    this.#setItems(addUserItem(this.#items, item));
    this.#deliver(item);
    this.#options.emit('parley-user-message', { text: item.text, message: item.payload ?? item.text });
  }

  /** Show a line from the widget itself in the conversation (e.g. why an upload failed). */
  notify(text: string): void {
    this.#setItems(addNotice(this.#items, { id: randomHexId(), from: 'notice', text, at: Date.now() }));
  }

  /** The user picked a button of a bot message; only the first pick counts. */
  choose(itemId: string, key: string, choice: Choice): void {
    const item = this.#items.find((each) => each.id === itemId);
    if (item?.from !== 'bot' || item.chosen !== null || choice.payload === null) return;
    this.#setItems(markChosen(this.#items, itemId, key));
    this.send(choice.title, choice.payload);
  }

  /** Send a message that did not get through again (the user asked to). */
  retry(itemId: string): void {
    const item = this.#items.find((each) => each.id === itemId);
    if (item?.from !== 'user' || item.status !== 'failed') return;
    this.#setItems(setDeliveryStatus(this.#items, itemId, 'pending'));
    this.#deliver(item);
  }

  /** Forget this conversation (history and session) and start a new one. */
  reset(): void {
    this.#options.store.clear();
    this.#initialPayloadSentFor = null;
    this.#awaitingTurn.clear();
    this.#unread = 0;
    this.#setItems(addNotice([], { id: randomHexId(), from: 'notice', text: 'New conversation', at: Date.now() }));
    this.#connection?.newConversation();
  }

  #onStatus(status: ConnectionStatus, transport: TransportKind, reason: string | null): void {
    this.#status = status;
    this.#statusReason = reason;
    this.#options.emit('parley-status', { status, transport, reason });
    this.#options.changed();
  }

  #onSession(sessionId: string, isNew: boolean): void {
    this.#sessionId = sessionId;
    this.#options.store.saveSession(sessionId);
    const exchanged = this.#items.some((item) => item.from === 'bot' || (item.from === 'user' && item.status === 'sent'));
    this.#fresh = isNew || !exchanged;
    this.#options.emit('parley-session', { sessionId, isNew });
    this.#maybeSendInitialPayload();
  }

  /**
   * The initial payload opens a new conversation: once per session id (remembered in storage),
   * only while nothing was exchanged in it, and only once the user sees the chat.
   */
  #maybeSendInitialPayload(): void {
    const sessionId = this.#sessionId;
    const payload = this.#options.initialPayload().trim();
    if (!payload || !this.#open || sessionId === null || !this.#fresh) return;
    if (this.#initialPayloadSentFor === sessionId) return;
    this.#initialPayloadSentFor = sessionId;
    this.#options.store.markInitialPayloadSent(sessionId);
    const id = randomHexId();
    this.#startTurn(id);
    // Ahead of anything the user typed while the session was being set up.
    this.#connection?.send({ id, text: payload, metadata: this.#options.metadata() }, { first: true });
  }

  #onBotMessage(payload: unknown): void {
    const views = toBotViews(payload, { baseUrl: this.#options.baseUrl });
    this.#options.emit('parley-bot-message', { payload, views });
    for (const view of views) {
      if (view.kind === 'custom') this.#options.emit('parley-custom', { payload: view.payload });
    }
    const shown = views.filter((view) => view.kind !== 'custom').length;
    if (shown === 0) return;
    if (!this.#open) this.#unread += shown;
    this.#setItems(addBotViews(this.#items, views, randomHexId, Date.now()));
  }

  #deliver(item: UserItem): void {
    this.#startTurn(item.id);
    const metadata = this.#options.metadata();
    this.#connection?.send({
      id: item.id,
      text: item.payload ?? item.text,
      metadata: item.attachment ? { ...metadata, attachment: item.attachment } : metadata,
    });
  }

  #startTurn(id: string): void {
    this.#awaitingTurn.add(id);
    this.#restartTypingTimeout();
    this.#options.changed();
  }

  #restartTypingTimeout(): void {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => {
      this.#awaitingTurn.clear();
      this.#options.changed();
    }, TYPING_TIMEOUT_MS);
  }

  #endTurn(id: string): void {
    if (this.#awaitingTurn.delete(id)) this.#options.changed();
  }

  #setItems(items: ChatItem[]): void {
    this.#items = items;
    this.#options.store.saveItems(items);
    this.#options.changed();
  }
}
