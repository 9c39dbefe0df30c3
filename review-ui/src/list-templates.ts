/** Templates of the list pane: the filter form, the conversation list and its empty and error states. */
import { html, nothing, type TemplateResult } from 'lit';
import { CONFIDENCE_THRESHOLDS, hasFilters, type FilterState } from './filters.js';
import { count, formatTime, headline, percent } from './format.js';
import type { ConversationSummary } from './types.js';

export interface ListState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: ConversationSummary[];
  total: number;
  error: string | null;
}

export interface ListContext {
  filters: FilterState;
  intents: readonly string[];
  actions: readonly string[];
  selected: string | null;
  threshold: number;
  hrefFor(senderId: string): string;
  changeFilter(change: Partial<FilterState>, debounce?: boolean): void;
  clearFilters(): void;
  loadMore(): void;
  reload(): void;
}

function options(names: readonly string[], selected: string, anyLabel: string): TemplateResult {
  // The current value stays choosable even when the domain does not list it.
  const list = selected !== '' && !names.includes(selected) ? [selected, ...names] : names;
  return html`<option value="" ?selected=${selected === ''}>${anyLabel}</option>
    ${list.map((name) => html`<option value=${name} ?selected=${name === selected}>${name}</option>`)}`;
}

export function renderFilters(list: ListState, context: ListContext): TemplateResult {
  const { filters } = context;
  const shown = list.status === 'ready' ? `${count(list.total, 'conversation')}${hasFilters(filters) ? ' match' : ''}` : '';
  return html`<form class="filters" role="search" aria-label="Find conversations" @submit=${(event: Event) => {
    event.preventDefault();
    context.changeFilter({ q: (event.currentTarget as HTMLFormElement).querySelector('input')?.value ?? '' });
  }}>
    <div class="field wide">
      <label for="q">Search messages</label>
      <input id="q" type="search" name="q" autocomplete="off" placeholder="Words a user or the bot said"
        .value=${filters.q}
        @input=${(event: Event) => context.changeFilter({ q: (event.target as HTMLInputElement).value }, true)}>
    </div>
    <div class="field">
      <label for="intent">Intent</label>
      <select id="intent" @change=${(event: Event) => context.changeFilter({ intent: (event.target as HTMLSelectElement).value })}>
        ${options(context.intents, filters.intent, 'Any intent')}
      </select>
    </div>
    <div class="field">
      <label for="action">Action</label>
      <select id="action" @change=${(event: Event) => context.changeFilter({ action: (event.target as HTMLSelectElement).value })}>
        ${options(context.actions, filters.action, 'Any action')}
      </select>
    </div>
    <div class="field">
      <label for="confidence">Confidence</label>
      <select id="confidence" @change=${(event: Event) => {
        const value = (event.target as HTMLSelectElement).value;
        context.changeFilter({ maxConfidence: value === '' ? null : Number(value) });
      }}>
        <option value="" ?selected=${filters.maxConfidence === null}>Any confidence</option>
        ${CONFIDENCE_THRESHOLDS.map(
          (threshold) => html`<option value=${String(threshold)} ?selected=${filters.maxConfidence === threshold}>Below ${percent(threshold)}</option>`,
        )}
      </select>
    </div>
    <div class="field checkbox-field">
      <label class="check">
        <input type="checkbox" .checked=${filters.fallback}
          @change=${(event: Event) => context.changeFilter({ fallback: (event.target as HTMLInputElement).checked })}>
        Hit a fallback
      </label>
    </div>
    <div class="footer">
      <span aria-live="polite">${shown}</span>
      ${hasFilters(filters) ? html`<button type="button" class="link" @click=${context.clearFilters}>Clear filters</button>` : nothing}
    </div>
  </form>`;
}

function summaryBadges(item: ConversationSummary, threshold: number): TemplateResult[] {
  const badges: TemplateResult[] = item.intents.slice(0, 4).map((intent) => html`<span class="badge">${intent}</span>`);
  if (item.intents.length > 4) badges.push(html`<span class="badge">+${item.intents.length - 4} more</span>`);
  if (item.min_confidence !== null && item.min_confidence < threshold) {
    badges.push(html`<span class="badge warn">low confidence ${percent(item.min_confidence)}</span>`);
  }
  if (item.has_fallback) badges.push(html`<span class="badge bad">fallback</span>`);
  if (item.share_link !== null) badges.push(html`<span class="badge tester">tester</span>`);
  if (item.corrections > 0) badges.push(html`<span class="badge good">${count(item.corrections, 'correction')}</span>`);
  return badges;
}

function renderItem(item: ConversationSummary, context: ListContext): TemplateResult {
  const current = item.sender_id === context.selected;
  return html`<li>
    <a href=${context.hrefFor(item.sender_id)} aria-current=${current ? 'true' : 'false'}>
      <span class="first">${headline(item.first_message, item.last_message)}</span>
      <span class="meta">${count(item.user_messages, 'message')} · ${formatTime(item.latest_event_time)} · <span class="sr-only">conversation </span>${item.sender_id}</span>
      <span class="badges">${summaryBadges(item, context.threshold)}</span>
    </a>
  </li>`;
}

export function renderList(list: ListState, context: ListContext): TemplateResult {
  if (list.status === 'error') {
    return html`<div class="problem" role="alert"><p>${list.error}</p><button type="button" @click=${context.reload}>Try again</button></div>`;
  }
  if (list.status === 'ready' && list.items.length === 0) {
    return hasFilters(context.filters)
      ? html`<div class="empty"><p>No conversation matches these filters.</p>
          <button type="button" @click=${context.clearFilters}>Clear filters</button></div>`
      : html`<div class="empty"><p><strong>No conversations yet.</strong></p>
          <p>Share the invite link that <code>parley run --share</code> prints; conversations show up here as testers chat.</p>
          <button type="button" @click=${context.reload}>Refresh</button></div>`;
  }
  return html`<ul class="conversations" aria-label="Conversations, newest first" aria-busy=${list.status === 'loading' ? 'true' : 'false'}>
      ${list.items.map((item) => renderItem(item, context))}
    </ul>
    ${list.status === 'loading' ? html`<p class="more meta" role="status">Loading conversations…</p>` : nothing}
    ${list.status === 'ready' && list.items.length < list.total
      ? html`<div class="more"><button type="button" @click=${context.loadMore}>Show more (${list.total - list.items.length} left)</button></div>`
      : nothing}`;
}
