/**
 * `<parley-chat>`: a chat launcher and panel that talks to a Parley (or Rasa) server over its
 * `socketio` channel, falling back to the `rest` channel. Attributes configure it, CustomEvents
 * report what happens, CSS custom properties and parts theme it. The element only renders state;
 * the connection, view models, Markdown and storage live in their own modules.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ChatConnection, type TransportChoice } from './connection.js';
import { Conversation } from './conversation.js';
import { browserStorage, ConversationStore, type StorageKind } from './conversation-store.js';
import type { ParleyChatEventDetails } from './events.js';
import { attachIcon, chatIcon, closeIcon, newConversationIcon, sendIcon } from './icons.js';
import { parseMarkdown, type BlockNode } from './markdown.js';
import { styles } from './styles.js';
import { renderItem, type ItemContext } from './templates.js';
import { MAX_ITEMS } from './transcript.js';
import { fileProblem, uploadConfigFrom, uploadFile, type UploadConfig } from './uploads.js';
import { safeUrl } from './urls.js';

export type { ParleyChatEventDetails } from './events.js';

/** Within this distance of the bottom, new messages keep the log scrolled down. */
const STICKY_SCROLL_PX = 48;
/** Parsed Markdown kept per text: more than the transcript can show at once. */
const MARKDOWN_CACHE_SIZE = 2 * MAX_ITEMS;

const booleanDefaultTrue = {
  fromAttribute: (value: string | null): boolean => value === null || value.toLowerCase() !== 'false',
  toAttribute: (value: boolean): string => String(value),
};

/**
 * A chat widget for a Parley or Rasa bot.
 *
 * @fires parley-open - The panel opened.
 * @fires parley-close - The panel closed.
 * @fires parley-user-message - The user sent a message (typed or a button).
 * @fires parley-bot-message - A bot message arrived (raw payload and its view models).
 * @fires parley-custom - A bot payload the widget does not render (Rasa custom data).
 * @fires parley-status - The connection state changed (`connecting`, `online`, `offline`, `error`).
 * @fires parley-session - The server confirmed a session id.
 * @fires parley-error - A message could not be delivered.
 *
 * @cssprop --parley-accent - Launcher, header, user bubbles and buttons (#1d4ed8).
 * @cssprop --parley-accent-text - Text on the accent colour (#ffffff).
 * @cssprop --parley-font - Font family.
 * @cssprop --parley-bg - Panel background (#ffffff).
 * @cssprop --parley-text - Panel text (#1f2328).
 * @cssprop --parley-muted - Secondary text (#57606a).
 * @cssprop --parley-border - Lines and borders (#d0d7de).
 * @cssprop --parley-bubble-bot-bg - Bot bubble background (#f1f3f5).
 * @cssprop --parley-bubble-bot-text - Bot bubble text (#1f2328).
 * @cssprop --parley-bubble-user-bg - User bubble background (the accent).
 * @cssprop --parley-bubble-user-text - User bubble text (the accent text).
 * @cssprop --parley-header-bg - Header background (the accent).
 * @cssprop --parley-header-text - Header text (the accent text).
 * @cssprop --parley-link - Links in bot text (#0b4fc4).
 * @cssprop --parley-radius - Bubble and panel corner radius (16px).
 * @cssprop --parley-offset - Distance from the viewport corner (20px).
 * @cssprop --parley-launcher-size - Launcher diameter (60px).
 * @cssprop --parley-panel-width - Panel width on wide screens (380px).
 * @cssprop --parley-panel-height - Panel height on tall screens (600px).
 * @cssprop --parley-z-index - Stacking order (2147483000).
 *
 * @csspart launcher - The round button that opens and closes the chat.
 * @csspart badge - The unread counter on the launcher.
 * @csspart panel - The chat window.
 * @csspart header - Title bar.
 * @csspart avatar - The bot's picture in the header.
 * @csspart title - The title text.
 * @csspart status - The connection banner (offline, error).
 * @csspart log - The message list.
 * @csspart message - Each message row (also `message-user`, `message-bot`).
 * @csspart bubble - Each speech bubble (also `bubble-user`, `bubble-bot`).
 * @csspart choices - A group of buttons (also `buttons`, `quick-replies`).
 * @csspart choice - One button or quick reply.
 * @csspart image - A bot image. Also `video`, `audio`, `file`, `carousel`, `card`, `notice`, `delivery`.
 * @csspart typing - The typing indicator.
 * @csspart composer - The message form. Also `input`, `send`, `attach`, `new-conversation`, `close`.
 * @csspart attachment - The user's uploaded file in the log (with `image` or `bubble`).
 */
export class ParleyChat extends LitElement {
  static override styles = styles;

  static override properties = {
    serverUrl: { type: String, attribute: 'server-url' },
    socketPath: { type: String, attribute: 'socket-path' },
    transport: { type: String },
    storage: { type: String },
    sessionPersistence: { attribute: 'session-persistence', converter: booleanDefaultTrue },
    chatTitle: { type: String, attribute: 'chat-title' },
    avatar: { type: String },
    initialPayload: { type: String, attribute: 'initial-payload' },
    open: { type: Boolean, reflect: true },
    placeholder: { type: String },
    accentColor: { type: String, attribute: 'accent-color' },
    linkTarget: { type: String, attribute: 'link-target' },
    userMessageEvent: { type: String, attribute: 'user-message-event' },
    botMessageEvent: { type: String, attribute: 'bot-message-event' },
    customData: { attribute: false },
    attachmentPayload: { type: String, attribute: 'attachment-payload' },
  };

  /** Base URL of the chat server; empty means the page's own origin. */
  declare serverUrl: string;
  /** Engine.IO path of the `socketio` channel (credentials.yml `socketio_path`). */
  declare socketPath: string;
  /** `auto` (Socket.IO, REST when Socket.IO is unavailable), `socketio` or `rest`. */
  declare transport: TransportChoice;
  /** Where the session id and history are kept: `local`, `session` or `none`. */
  declare storage: StorageKind;
  /** `session-persistence="false"` starts a new conversation on every page load. */
  declare sessionPersistence: boolean;
  /** The header title (named `chat-title` because `title` would show a tooltip over the widget). */
  declare chatTitle: string;
  /** URL of the bot's picture shown in the header. */
  declare avatar: string;
  /** Sent once when a new conversation is first opened, e.g. `/greet`. Not shown. */
  declare initialPayload: string;
  /** Whether the panel is open; set the attribute to open on load. */
  declare open: boolean;
  declare placeholder: string;
  /** Shortcut for `--parley-accent`. */
  declare accentColor: string;
  declare linkTarget: string;
  declare userMessageEvent: string;
  declare botMessageEvent: string;
  /** Sent with every message as metadata (`customData`, as Rasa Webchat does). */
  declare customData: Record<string, unknown>;
  /**
   * The text the bot gets with an uploaded file (e.g. `/send_file`); empty sends the file name.
   * The file itself is in the message metadata as `attachment: {url, type, name, size}`. The attach
   * button shows only when the server offers uploads (credentials.yml `socketio: uploads:`).
   */
  declare attachmentPayload: string;

  #conversation: Conversation | null = null;
  /** What the server accepts for upload; null while unknown or when it takes none. */
  #uploads: UploadConfig | null = null;
  #uploading = false;
  #stickToBottom = true;
  #focusAfterUpdate: 'input' | 'launcher' | null = null;
  readonly #markdown = new Map<string, readonly BlockNode[]>();
  readonly #onPageShow = (event: PageTransitionEvent): void => {
    // Back/forward cache restores a frozen page with a dead socket; start over cleanly.
    if (event.persisted) this.#startConversation();
  };

  constructor() {
    super();
    this.serverUrl = '';
    this.socketPath = '/socket.io/';
    this.transport = 'auto';
    this.storage = 'local';
    this.sessionPersistence = true;
    this.chatTitle = 'Chat';
    this.avatar = '';
    this.initialPayload = '';
    this.open = false;
    this.placeholder = 'Type a message…';
    this.accentColor = '';
    this.linkTarget = '_blank';
    this.userMessageEvent = 'user_uttered';
    this.botMessageEvent = 'bot_uttered';
    this.customData = {};
    this.attachmentPayload = '';
  }

  // ── public API ────────────────────────────────────────────────────────────────────

  /** Open the panel and move focus into it. */
  show(): void {
    this.#focusAfterUpdate = 'input';
    this.open = true;
  }

  /** Close the panel; focus returns to the launcher if it was inside the panel. */
  close(): void {
    if (this.shadowRoot?.activeElement) this.#focusAfterUpdate = 'launcher';
    this.open = false;
  }

  toggle(): void {
    if (this.open) this.close();
    else this.show();
  }

  /** Send `text` as if the user typed it. */
  send(text: string): void {
    this.#stickToBottom = true;
    this.#conversation?.send(text);
  }

  /** Forget this conversation (history and session) and start a new one. */
  newConversation(): void {
    this.#focusAfterUpdate = 'input';
    this.#conversation?.reset();
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.#onPageShow);
    if (this.hasUpdated && !this.#conversation) this.#startConversation();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#conversation?.stop();
    this.#conversation = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && changed.get('open') !== undefined) {
      this.dispatchEvent(this.#event(this.open ? 'parley-open' : 'parley-close', {}));
    }
    if (changed.has('open')) {
      if (this.open) this.#stickToBottom = true;
      this.#conversation?.setOpen(this.open);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const connectionSettings: Array<keyof ParleyChat> = [
      'serverUrl',
      'socketPath',
      'transport',
      'storage',
      'sessionPersistence',
      'userMessageEvent',
      'botMessageEvent',
    ];
    const settingsChanged = connectionSettings.some((name) => changed.has(name) && changed.get(name) !== undefined);
    if (this.isConnected && (!this.#conversation || settingsChanged)) this.#startConversation();
    if (changed.has('accentColor')) {
      // Set through the CSSOM: a style attribute would need 'unsafe-inline' in a page's CSP.
      const root = this.renderRoot.querySelector<HTMLElement>('.root');
      if (this.accentColor) root?.style.setProperty('--parley-accent', this.accentColor);
      else root?.style.removeProperty('--parley-accent');
    }
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    if (log && this.#stickToBottom) log.scrollTop = log.scrollHeight;
    const focus = this.#focusAfterUpdate;
    this.#focusAfterUpdate = null;
    if (focus === 'input' && this.open) this.renderRoot.querySelector<HTMLElement>('textarea')?.focus();
    if (focus === 'launcher') this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
  }

  // ── conversation ──────────────────────────────────────────────────────────────────

  #baseUrl(): string {
    return new URL(this.serverUrl || '/', document.baseURI).href;
  }

  #startConversation(): void {
    this.#conversation?.stop();
    this.#markdown.clear();
    const serverUrl = this.#baseUrl().replace(/\/+$/, '');
    const storage: StorageKind = this.storage === 'session' || this.storage === 'none' ? this.storage : 'local';
    const settings = {
      serverUrl,
      socketPath: this.socketPath,
      transport: (['socketio', 'rest'].includes(this.transport) ? this.transport : 'auto') as TransportChoice,
      userMessageEvent: this.userMessageEvent,
      botMessageEvent: this.botMessageEvent,
    };
    const conversation = new Conversation({
      store: new ConversationStore(browserStorage(this.sessionPersistence ? storage : 'none'), serverUrl),
      connect: (listener) => new ChatConnection(settings, listener),
      baseUrl: this.#baseUrl(),
      initialPayload: () => this.initialPayload,
      metadata: () => (typeof this.customData === 'object' && this.customData !== null ? this.customData : {}),
      uploads: (config) => {
        this.#uploads = uploadConfigFrom(config);
        this.requestUpdate();
      },
      changed: () => this.requestUpdate(),
      emit: (name, detail) => this.dispatchEvent(this.#event(name, detail)),
    });
    this.#conversation = conversation;
    conversation.setOpen(this.open);
    this.#uploads = null;
    conversation.start();
  }

  async #onFileChosen(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const config = this.#uploads;
    const conversation = this.#conversation;
    if (!file || !config || !conversation) return;
    const problem = fileProblem(file, config);
    this.#stickToBottom = true;
    if (problem) {
      conversation.notify(`${file.name} was not sent: ${problem}`);
      return;
    }
    this.#uploading = true;
    this.requestUpdate();
    try {
      const attachment = await uploadFile(this.#baseUrl().replace(/\/+$/, ''), file);
      conversation.sendAttachment(attachment, this.attachmentPayload || null);
    } catch (error) {
      const message = (error as Error).message;
      conversation.notify(`${file.name} was not sent: ${message}`);
      this.dispatchEvent(this.#event('parley-error', { message }));
    } finally {
      this.#uploading = false;
      this.#focusAfterUpdate = 'input';
      this.requestUpdate();
    }
  }

  // ── user actions ──────────────────────────────────────────────────────────────────

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    if (!input || input.value.trim() === '') return;
    this.send(input.value);
    input.value = '';
    this.#resizeInput(input);
  }

  #onInputKeydown(event: KeyboardEvent): void {
    // Enter sends, Shift+Enter adds a line; an IME composition's Enter only confirms the word.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  #resizeInput(input: HTMLTextAreaElement): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
  }

  #onPanelKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.close();
    }
  }

  #onLogScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    this.#stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_SCROLL_PX;
  }

  #event<K extends keyof ParleyChatEventDetails>(name: K, detail: ParleyChatEventDetails[K]): CustomEvent {
    return new CustomEvent(name, { detail, bubbles: true, composed: true });
  }

  // ── rendering ─────────────────────────────────────────────────────────────────────

  #itemContext(): ItemContext {
    return {
      botName: this.chatTitle || 'Bot',
      linkTarget: this.linkTarget || '_blank',
      pageOrigin: location.origin,
      markdown: (text) => this.#parsed(text),
      choose: (item, key, choice) => {
        this.#stickToBottom = true;
        // The clicked button becomes disabled; keep the keyboard user where typing continues.
        this.#focusAfterUpdate = 'input';
        this.#conversation?.choose(item.id, key, choice);
      },
      retry: (item) => this.#conversation?.retry(item.id),
      mediaLoaded: () => {
        const log = this.renderRoot.querySelector<HTMLElement>('.log');
        if (log && this.#stickToBottom) log.scrollTop = log.scrollHeight;
      },
    };
  }

  /** Parsed once per text; the cache is bounded like the transcript it serves. */
  #parsed(text: string): readonly BlockNode[] {
    let blocks = this.#markdown.get(text);
    if (!blocks) {
      blocks = parseMarkdown(text, { baseUrl: this.#baseUrl() });
      if (this.#markdown.size >= MARKDOWN_CACHE_SIZE) {
        this.#markdown.delete(this.#markdown.keys().next().value as string);
      }
      this.#markdown.set(text, blocks);
    }
    return blocks;
  }

  #statusText(): string {
    const status = this.#conversation?.status ?? 'connecting';
    if (status === 'online') return 'Online';
    if (status === 'connecting') return 'Connecting…';
    if (status === 'offline') return 'Offline';
    return 'Connection problem';
  }

  protected override render(): TemplateResult {
    const conversation = this.#conversation;
    const status = conversation?.status ?? 'connecting';
    const unread = conversation?.unread ?? 0;
    const typing = conversation?.typing ?? false;
    const avatar = safeUrl(this.avatar, 'image', document.baseURI);
    const unreadLabel = unread === 1 ? '1 unread message' : `${unread} unread messages`;
    const showBanner = status === 'offline' || status === 'error';
    const context = this.#itemContext();
    return html`<div class="root">
      <section
        id="panel"
        class="panel"
        part="panel"
        role="dialog"
        aria-modal="false"
        aria-labelledby="title"
        ?hidden=${!this.open}
        @keydown=${this.#onPanelKeydown}
      >
        <header part="header">
          ${avatar ? html`<img class="avatar" part="avatar" src=${avatar} alt="" />` : nothing}
          <div class="heading">
            <h2 id="title" class="title" part="title" dir="auto">${this.chatTitle}</h2>
            <p class="presence">${this.#statusText()}</p>
          </div>
          <button
            type="button"
            class="icon-button"
            part="new-conversation"
            aria-label="Start a new conversation"
            title="Start a new conversation"
            @click=${() => this.newConversation()}
          >
            ${newConversationIcon}
          </button>
          <button type="button" class="icon-button" part="close" aria-label="Close chat" title="Close chat" @click=${() => this.close()}>
            ${closeIcon}
          </button>
        </header>
        <p class="banner ${status}" part="status" role="status" ?hidden=${!showBanner}>
          ${showBanner ? (conversation?.statusReason ?? this.#statusText()) : ''}
        </p>
        <div class="log" part="log" role="log" aria-label="Conversation" tabindex="0" @scroll=${this.#onLogScroll}>
          <ol class="messages">
            ${repeat(conversation?.items ?? [], (item) => item.id, (item) => renderItem(item, context))}
          </ol>
        </div>
        <div class="typing" part="typing" role="status" ?hidden=${!typing}>
          ${typing ? html`<span></span><span></span><span></span><em class="sr-only">${this.chatTitle} is typing</em>` : nothing}
        </div>
        <form class="composer" part="composer" @submit=${this.#onSubmit}>
          ${this.#uploads
            ? html`<input id="file" type="file" hidden accept=${this.#uploads.types.join(',')} @change=${this.#onFileChosen} />
                <button
                  type="button"
                  class="icon-button attach"
                  part="attach"
                  aria-label=${this.#uploading ? 'Uploading a file' : 'Attach a file'}
                  title="Attach a file"
                  ?disabled=${this.#uploading}
                  @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')?.click()}
                >
                  ${attachIcon}
                </button>`
            : nothing}
          <label class="sr-only" for="input">Message</label>
          <textarea
            id="input"
            part="input"
            rows="1"
            dir="auto"
            autocomplete="off"
            enterkeyhint="send"
            placeholder=${this.placeholder}
            @keydown=${this.#onInputKeydown}
            @input=${(event: Event) => this.#resizeInput(event.target as HTMLTextAreaElement)}
          ></textarea>
          <button type="submit" class="send" part="send" aria-label="Send">${sendIcon}</button>
        </form>
      </section>
      <button
        type="button"
        class="launcher"
        part="launcher"
        aria-controls="panel"
        aria-expanded=${String(this.open)}
        aria-label=${this.open ? 'Close chat' : unread > 0 ? `Open chat, ${unreadLabel}` : 'Open chat'}
        @click=${() => this.toggle()}
      >
        ${this.open ? closeIcon : chatIcon}
        ${unread > 0 && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${unread}</span>` : nothing}
      </button>
      <p class="sr-only" role="status">${unread > 0 && !this.open ? unreadLabel : ''}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}
