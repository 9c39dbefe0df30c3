/**
 * `<parley-review>`: the review page. Lists conversations (newest first, with search and
 * filters), shows one conversation turn by turn with what the model predicted and why, saves the
 * reviewer's corrections and downloads them as Rasa training data. The element holds state and
 * wires events; the API client, view models and templates live in their own modules.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { EXPORT_FILES, ReviewApi, ReviewApiError, type ExportKind } from './api.js';
import { draftRequest, markPicked, moveCursor, removeEntity, startDraft, togglePick, type CorrectionDraft } from './correction-draft.js';
import { forgetToken, saveToken, takeToken, type CredentialHost } from './credentials.js';
import { domainOptions, EMPTY_DOMAIN_OPTIONS, optionsFromConversation, withSeen, type DomainOptions } from './domain-options.js';
import { DEFAULT_LOW_CONFIDENCE, EMPTY_FILTERS, formatLocation, parseLocation, type FilterState, type PageLocation } from './filters.js';
import { count } from './format.js';
import { renderFilters, renderList, type ListContext, type ListState } from './list-templates.js';
import { renderShareLinks, type ShareLinksState } from './share-links.js';
import { styles } from './styles.js';
import { renderTurns, type TranscriptContext } from './transcript-templates.js';
import { conversationView, type TurnView } from './turn-view.js';
import type { ConversationDetail, ShareLink } from './types.js';

/** Conversations fetched per page of the list. */
const PAGE_SIZE = 50;
/** Typing in the search box waits this long before asking the server. */
const SEARCH_DELAY_MS = 300;

/** Where downloads are saved: the names `parley export` writes, so they never replace the project's own nlu.yml. */
export const DOWNLOAD_NAMES: Record<ExportKind, string> = { nlu: 'review_nlu.yml', stories: 'review_stories.yml' };

interface DetailState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: ConversationDetail | null;
  turns: TurnView[];
  error: string | null;
}

/**
 * The review page element. Put it in a page served by Parley (`GET /review`); it reads the API
 * token from `?token=` or asks for it.
 */
export class ParleyReview extends LitElement {
  static override styles = styles;

  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    botName: { type: String, attribute: 'bot-name' },
  };

  /** The Parley server's origin; empty means the page's own. */
  declare apiBase: string;
  /** The bot's name, shown in the title. */
  declare botName: string;

  #api: ReviewApi | null = null;
  /** Why sign-in is shown: null when signed in, '' when there simply is no token yet. */
  #signInProblem: string | null = '';
  #location: PageLocation = { filters: { ...EMPTY_FILTERS }, conversation: null };
  #list: ListState = { status: 'idle', items: [], total: 0, error: null };
  #detail: DetailState = { status: 'idle', data: null, turns: [], error: null };
  #domain: DomainOptions = EMPTY_DOMAIN_OPTIONS;
  #domainProblem: string | null = null;
  #draft: CorrectionDraft | null = null;
  #notice = '';
  #exportOpen = false;
  #exportSummary = '';
  #shareOpen = false;
  #shares: ShareLinksState = { status: 'loading', links: [], error: null };
  #listRequest = 0;
  #detailRequest = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** A selector to focus once the next render is done. */
  #focusAfterUpdate: string | null = null;
  readonly #onHashChange = (): void => this.#applyLocation(parseLocation(window.location.hash));

  constructor() {
    super();
    this.apiBase = '';
    this.botName = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
    this.#location = parseLocation(window.location.hash);
    const token = takeToken(this.#host());
    if (token !== null) this.#signIn(token);
    else void this.#probe();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onHashChange);
    clearTimeout(this.#searchTimer);
    super.disconnectedCallback();
  }

  protected override updated(): void {
    if (this.#focusAfterUpdate === null) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focusAfterUpdate);
    this.#focusAfterUpdate = null;
    target?.focus();
  }

  #host(): CredentialHost {
    let storage: Storage | null = null;
    try {
      storage = window.sessionStorage;
    } catch {
      // Blocked storage: the token lives as long as the page.
    }
    return { location: window.location, history: window.history, sessionStorage: storage };
  }

  // ── loading ───────────────────────────────────────────────────────────────────────

  #signIn(token: string): void {
    this.#api = new ReviewApi({ baseUrl: this.apiBase || window.location.origin, token });
    this.#signInProblem = null;
    this.requestUpdate();
    void this.#loadDomain();
    void this.#loadList();
    if (this.#location.conversation !== null) void this.#loadDetail(this.#location.conversation);
  }

  /**
   * Without a token, ask once anyway: a server without any API auth has review off and says how
   * to turn it on, which is worth showing before the reviewer hunts for a token that does not exist.
   */
  async #probe(): Promise<void> {
    const api = new ReviewApi({ baseUrl: this.apiBase || window.location.origin, token: '' });
    try {
      await api.listConversations(EMPTY_FILTERS, 0, 1);
    } catch (error) {
      if (error instanceof ReviewApiError && error.status === 403 && this.#signInProblem === '') {
        this.#signInProblem = error.message;
        this.requestUpdate();
      }
    }
  }

  /** A 401/403 sends the reviewer back to sign-in with the server's words; anything else is the caller's. */
  #handleAuth(error: unknown): boolean {
    if (!(error instanceof ReviewApiError) || error.kind !== 'auth') return false;
    forgetToken(this.#host());
    this.#api = null;
    this.#signInProblem =
      error.status === 401 ? `The server did not accept this token: ${error.message}` : error.message;
    this.#focusAfterUpdate = '#token';
    this.requestUpdate();
    return true;
  }

  async #loadDomain(): Promise<void> {
    if (!this.#api) return;
    try {
      this.#domain = domainOptions(await this.#api.domain());
      this.#domainProblem = null;
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#domainProblem =
        `The model's domain could not be read (${messageOf(error)}), so the choices below come from this conversation.`;
    }
    this.requestUpdate();
  }

  async #loadList(append = false): Promise<void> {
    if (!this.#api) return;
    const request = ++this.#listRequest;
    const offset = append ? this.#list.items.length : 0;
    // The rows on screen stay while the next ones load, so the list does not jump.
    this.#list = { ...this.#list, status: 'loading', error: null };
    this.requestUpdate();
    try {
      const page = await this.#api.listConversations(this.#location.filters, offset, PAGE_SIZE);
      if (request !== this.#listRequest) return;
      this.#list = { status: 'ready', items: append ? [...this.#list.items, ...page.conversations] : page.conversations, total: page.total, error: null };
    } catch (error) {
      if (request !== this.#listRequest || this.#handleAuth(error)) return;
      this.#list = { status: 'error', items: [], total: 0, error: messageOf(error) };
    }
    this.requestUpdate();
  }

  async #loadDetail(senderId: string, quiet = false): Promise<void> {
    if (!this.#api) return;
    const request = ++this.#detailRequest;
    if (!quiet) this.#detail = { status: 'loading', data: null, turns: [], error: null };
    this.requestUpdate();
    try {
      const data = await this.#api.getConversation(senderId);
      if (request !== this.#detailRequest) return;
      this.#detail = { status: 'ready', data, turns: conversationView(data, this.#threshold()), error: null };
    } catch (error) {
      if (request !== this.#detailRequest || this.#handleAuth(error)) return;
      const missing = error instanceof ReviewApiError && error.status === 404;
      this.#detail = {
        status: 'error',
        data: null,
        turns: [],
        error: missing ? `There is no conversation “${senderId}” on this server.` : messageOf(error),
      };
    }
    this.requestUpdate();
  }

  /** The domain's choices, or the conversation's when the domain could not be read. */
  #choices(): DomainOptions {
    if (this.#domainProblem === null || this.#detail.data === null) return this.#domain;
    return optionsFromConversation(this.#detail.data);
  }

  #threshold(): number {
    return this.#location.filters.maxConfidence ?? DEFAULT_LOW_CONFIDENCE;
  }

  // ── navigation ────────────────────────────────────────────────────────────────────

  #applyLocation(next: PageLocation): void {
    const previous = this.#location;
    this.#location = next;
    if (formatLocation({ ...previous, conversation: null }) !== formatLocation({ ...next, conversation: null })) {
      void this.#loadList();
      if (this.#detail.data) this.#detail = { ...this.#detail, turns: conversationView(this.#detail.data, this.#threshold()) };
    }
    if (next.conversation !== previous.conversation) {
      this.#draft = null;
      this.#notice = '';
      if (next.conversation === null) {
        this.#detail = { status: 'idle', data: null, turns: [], error: null };
        if (previous.conversation !== null) this.#focusAfterUpdate = `a[href="${cssString(this.#hrefFor(previous.conversation))}"]`;
      } else {
        void this.#loadDetail(next.conversation);
        this.#focusAfterUpdate = '#conversation-title';
      }
    }
    this.requestUpdate();
  }

  #hrefFor(senderId: string): string {
    return formatLocation({ filters: this.#location.filters, conversation: senderId }) || '#';
  }

  /** Filter changes replace the history entry: back should leave the page, not undo each keystroke. */
  #changeFilter(change: Partial<FilterState>, debounce = false): void {
    clearTimeout(this.#searchTimer);
    const apply = () => {
      const next: PageLocation = { ...this.#location, filters: { ...this.#location.filters, ...change } };
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${formatLocation(next) || '#'}`);
      this.#applyLocation(next);
    };
    if (debounce) this.#searchTimer = setTimeout(apply, SEARCH_DELAY_MS);
    else apply();
  }

  // ── corrections ───────────────────────────────────────────────────────────────────

  #openCorrection(eventIndex: number): void {
    const turn = this.#detail.data?.turns.find((candidate) => candidate.event_index === eventIndex);
    if (!turn) return;
    this.#draft = startDraft(turn, this.#choices().entities[0]?.name ?? '');
    this.#focusAfterUpdate = `#intent-${eventIndex}`;
    this.requestUpdate();
  }

  #closeCorrection(): void {
    if (this.#draft) this.#focusAfterUpdate = `#correct-${this.#draft.eventIndex}`;
    this.#draft = null;
    this.requestUpdate();
  }

  async #saveCorrection(): Promise<void> {
    const draft = this.#draft;
    const detail = this.#detail.data;
    if (!draft || !detail || !this.#api || draft.saving) return;
    this.#draft = { ...draft, saving: true, problem: null };
    this.requestUpdate();
    const replaced = detail.turns.find((turn) => turn.event_index === draft.eventIndex)?.corrections ?? [];
    try {
      const saved = await this.#api.createCorrection(draftRequest(detail.sender_id, draft));
      // One correction per message: the server replaces the old one; any it kept would only confuse.
      for (const old of replaced) if (old.id !== saved.id) await this.#api.deleteCorrection(old.id, { missingOk: true });
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#draft = { ...draft, saving: false, problem: `Not saved: ${messageOf(error)}` };
      this.requestUpdate();
      return;
    }
    this.#notice = `Correction saved for “${draft.text}”.`;
    this.#draft = null;
    this.#focusAfterUpdate = `#correct-${draft.eventIndex}`;
    await Promise.all([this.#loadDetail(detail.sender_id, true), this.#loadList()]);
  }

  async #deleteCorrection(id: string): Promise<void> {
    const detail = this.#detail.data;
    if (!detail || !this.#api) return;
    try {
      await this.#api.deleteCorrection(id);
      this.#notice = 'Correction deleted.';
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#notice = `The correction was not deleted: ${messageOf(error)}`;
    }
    const turn = detail.turns.find((candidate) => candidate.corrections.some((correction) => correction.id === id));
    if (turn) this.#focusAfterUpdate = `#correct-${turn.event_index}`;
    await Promise.all([this.#loadDetail(detail.sender_id, true), this.#loadList()]);
  }

  // ── export ────────────────────────────────────────────────────────────────────────

  async #toggleExport(): Promise<void> {
    this.#exportOpen = !this.#exportOpen;
    this.#exportSummary = '';
    this.requestUpdate();
    if (!this.#exportOpen || !this.#api) return;
    this.#focusAfterUpdate = '#download-nlu';
    try {
      const corrections = (await this.#api.listCorrections()).length;
      this.#exportSummary =
        corrections === 0
          ? 'No corrections saved yet: the files would be empty. Correct a message first.'
          : `${count(corrections, 'correction')} will be exported.`;
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#exportSummary = messageOf(error);
    }
    this.requestUpdate();
  }

  // ── invite links ──────────────────────────────────────────────────────────────────

  #toggleShare(): void {
    this.#shareOpen = !this.#shareOpen;
    if (this.#shareOpen) {
      this.#focusAfterUpdate = '#share-label';
      void this.#loadShares();
    }
    this.requestUpdate();
  }

  async #loadShares(change?: (api: ReviewApi) => Promise<unknown>, done?: string): Promise<void> {
    if (!this.#api) return;
    const api = this.#api;
    this.#shares = { ...this.#shares, status: 'loading', error: null };
    this.requestUpdate();
    try {
      if (change) await change(api);
      this.#shares = { status: 'ready', links: await api.listShareLinks(), error: null };
      if (done) this.#notice = done;
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#shares = { ...this.#shares, status: 'error', error: messageOf(error) };
    }
    this.requestUpdate();
  }

  async #copyShare(link: ShareLink): Promise<void> {
    try {
      await navigator.clipboard.writeText(link.url);
      this.#notice = `Copied the address of ${link.label ?? 'the invite link'}.`;
    } catch {
      this.#notice = 'The browser did not allow copying; select the address and copy it yourself.';
    }
    this.requestUpdate();
  }

  async #download(kind: ExportKind): Promise<void> {
    if (!this.#api) return;
    try {
      const blob = await this.#api.exportFile(kind);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = DOWNLOAD_NAMES[kind];
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.#notice = `Downloaded ${DOWNLOAD_NAMES[kind]}.`;
    } catch (error) {
      if (this.#handleAuth(error)) return;
      this.#notice = `${EXPORT_FILES[kind]} could not be exported: ${messageOf(error)}`;
    }
    this.requestUpdate();
  }

  #signOut(): void {
    forgetToken(this.#host());
    this.#api = null;
    this.#signInProblem = '';
    this.#list = { status: 'idle', items: [], total: 0, error: null };
    this.#detail = { status: 'idle', data: null, turns: [], error: null };
    this.#focusAfterUpdate = '#token';
    this.requestUpdate();
  }

  // ── rendering ─────────────────────────────────────────────────────────────────────

  override render(): TemplateResult {
    const signedIn = this.#signInProblem === null;
    return html`<div class="page" @keydown=${this.#onKeydown}>
      <header class="bar">
        <h1>Review conversations${this.botName ? html` <span class="bot-name">· ${this.botName}</span>` : nothing}</h1>
        ${signedIn
          ? html`<div class="actions">
              <button type="button" id="share-toggle" aria-expanded=${this.#shareOpen ? 'true' : 'false'} aria-controls="share-panel"
                @click=${() => this.#toggleShare()}>Invite testers</button>
              <button type="button" id="export-toggle" aria-expanded=${this.#exportOpen ? 'true' : 'false'} aria-controls="export-panel"
                @click=${() => void this.#toggleExport()}>Export</button>
              <button type="button" @click=${() => this.#refresh()}>Refresh</button>
              <button type="button" @click=${() => this.#signOut()}>Sign out</button>
            </div>`
          : nothing}
      </header>
      ${signedIn && this.#shareOpen
        ? renderShareLinks(this.#shares, {
            create: (label) => void this.#loadShares((api) => api.createShareLink(label), 'A new invite link is ready.'),
            revoke: (link) => void this.#loadShares((api) => api.revokeShareLink(link.id), `${link.label ?? 'The invite link'} no longer works.`),
            copy: (link) => void this.#copyShare(link),
          })
        : nothing}
      ${signedIn && this.#exportOpen ? this.#renderExport() : nothing}
      <p class="status" role="status" aria-live="polite">${this.#notice}</p>
      ${signedIn ? this.#renderLayout() : this.#renderSignIn()}
    </div>`;
  }

  /** Escape closes an open correction form wherever the focus is (a save may have moved it). */
  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || this.#draft === null || event.defaultPrevented) return;
    event.preventDefault();
    this.#closeCorrection();
  };

  #refresh(): void {
    void this.#loadList();
    if (this.#location.conversation !== null) void this.#loadDetail(this.#location.conversation, true);
  }

  #renderExport(): TemplateResult {
    return html`<section class="export-panel" id="export-panel" aria-label="Export corrections">
      <p>Download the corrections as Rasa training data, put the files in your project's <code>data/</code> folder and run
        <code>parley train</code>. (<code>parley export</code> writes the same files without the server.)</p>
      <div class="buttons">
        <button type="button" class="primary" id="download-nlu" @click=${() => void this.#download('nlu')}>Download ${DOWNLOAD_NAMES.nlu}</button>
        <button type="button" class="primary" id="download-stories" @click=${() => void this.#download('stories')}>Download ${DOWNLOAD_NAMES.stories}</button>
      </div>
      <p class="meta" aria-live="polite">${this.#exportSummary}</p>
    </section>`;
  }

  #renderSignIn(): TemplateResult {
    const problem = this.#signInProblem;
    return html`<section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in to review conversations</h2>
      ${problem ? html`<p class="problem" role="alert">${problem}</p>` : nothing}
      <p>Reviewing needs the server's API token. Open the <strong>Review</strong> link that <code>parley run --share</code>
        prints (it carries the token), or start the server with <code>parley run --auth-token &lt;secret&gt;</code> and
        enter that secret here. A server started with <code>--jwt-secret</code> takes a JWT whose user role is
        <code>admin</code>.</p>
      <form @submit=${(event: Event) => {
        event.preventDefault();
        const input = (event.currentTarget as HTMLFormElement).querySelector('input');
        const token = input?.value.trim() ?? '';
        if (token === '') return;
        saveToken(this.#host(), token);
        this.#signIn(token);
      }}>
        <label for="token">API token</label>
        <div class="row">
          <input id="token" type="password" autocomplete="off" required>
          <button type="submit" class="primary">Open review</button>
        </div>
      </form>
    </section>`;
  }

  #renderLayout(): TemplateResult {
    const showing = this.#location.conversation === null ? 'showing-list' : 'showing-detail';
    const listContext: ListContext = {
      filters: this.#location.filters,
      intents: withSeen(this.#domain.intents, this.#list.items.flatMap((item) => item.intents)),
      actions: this.#domain.actions,
      selected: this.#location.conversation,
      threshold: this.#threshold(),
      hrefFor: (senderId) => this.#hrefFor(senderId),
      changeFilter: (change, debounce) => this.#changeFilter(change, debounce),
      clearFilters: () => {
        this.#changeFilter({ ...EMPTY_FILTERS });
        this.#focusAfterUpdate = '#q';
      },
      loadMore: () => void this.#loadList(true),
      reload: () => void this.#loadList(),
    };
    return html`<div class=${`layout ${showing}`}>
      <nav class="pane list-pane" aria-label="Conversations">
        ${renderFilters(this.#list, listContext)}
        ${renderList(this.#list, listContext)}
      </nav>
      <main class="pane detail-pane">${this.#renderDetail()}</main>
    </div>`;
  }

  #renderDetail(): TemplateResult {
    const senderId = this.#location.conversation;
    if (senderId === null) {
      return html`<div class="empty"><p>Choose a conversation from the list to see its turns and correct them.</p></div>`;
    }
    // One template for the heading in every state, so that it (and the focus on it) survives loading.
    return html`<div class="detail-head">
        <a class="back" href=${formatLocation({ filters: this.#location.filters, conversation: null }) || '#'}>← All conversations</a>
        <h2 id="conversation-title" tabindex="-1">Conversation ${senderId}</h2>
      </div>
      ${this.#renderDetailBody(senderId)}`;
  }

  #renderDetailBody(senderId: string): TemplateResult {
    switch (this.#detail.status) {
      case 'idle':
      case 'loading':
        return html`<p class="meta" role="status">Loading the conversation…</p>`;
      case 'error':
        return html`<div class="problem" role="alert"><p>${this.#detail.error}</p>
          <button type="button" @click=${() => void this.#loadDetail(senderId)}>Try again</button></div>`;
      case 'ready':
        return renderTurns(this.#detail.turns, this.#transcriptContext());
    }
  }

  #editDraft(change: (draft: CorrectionDraft) => CorrectionDraft): void {
    if (this.#draft) this.#draft = change(this.#draft);
    this.requestUpdate();
  }

  #transcriptContext(): TranscriptContext {
    return {
      draft: this.#draft,
      canCorrect: true,
      form: {
        domain: this.#choices(),
        domainProblem: this.#domainProblem,
        update: (draft) => {
          this.#draft = draft;
          this.requestUpdate();
        },
        togglePick: (index) => this.#editDraft((draft) => togglePick(draft, index)),
        moveCursor: (index, extend) => {
          this.#editDraft((draft) => moveCursor(draft, index, extend));
          if (this.#draft) this.#focusAfterUpdate = `#word-${this.#draft.eventIndex}-${this.#draft.cursor}`;
        },
        markPicked: () => this.#editDraft(markPicked),
        removeEntity: (index) => this.#editDraft((draft) => removeEntity(draft, index)),
        save: () => void this.#saveCorrection(),
        cancel: () => this.#closeCorrection(),
      },
      openCorrection: (eventIndex) => this.#openCorrection(eventIndex),
      deleteCorrection: (id) => void this.#deleteCorrection(id),
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Quotes a value for an attribute selector. */
function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-review': ParleyReview;
  }
}
