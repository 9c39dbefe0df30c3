/**
 * Lit templates for transcript items. Every piece of bot text goes through a Lit text binding, so
 * it is escaped; URLs were checked when the view models were built.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { fileIcon, nextIcon, previousIcon } from './icons.js';
import type { BlockNode, InlineNode } from './markdown.js';
import type { BotItem, ChatItem, UserItem } from './transcript.js';
import { isExternal, safeUrl } from './urls.js';
import type { BotView, Card, Choice } from './view-model.js';

/** What the templates need from the element. */
export interface ItemContext {
  /** Shown to screen readers before each bot message ("Pip:"). */
  botName: string;
  /** Where links that leave the page open. @default '_blank' */
  linkTarget: string;
  pageOrigin: string;
  markdown(text: string): readonly BlockNode[];
  choose(item: BotItem, key: string, choice: Choice): void;
  retry(item: UserItem): void;
  /** An image or video finished loading (the log may need to scroll). */
  mediaLoaded(): void;
}

const VIDEO_PAGES = /^https:\/\/(?:www\.|m\.)?(?:youtube\.com|youtu\.be|vimeo\.com)\//i;

export function renderItem(item: ChatItem, context: ItemContext): TemplateResult {
  if (item.from === 'user') return renderUser(item, context);
  if (item.from === 'notice') {
    return html`<li class="item notice" part="notice">${item.text}</li>`;
  }
  return html`<li class="item bot" part="message message-bot">
    <span class="sr-only">${context.botName}:</span>${renderView(item, item.view, context)}
  </li>`;
}

function renderUser(item: UserItem, context: ItemContext): TemplateResult {
  let delivery: TemplateResult | typeof nothing = nothing;
  if (item.status === 'pending') {
    delivery = html`<span class="delivery" part="delivery">Sending…</span>`;
  } else if (item.status === 'failed') {
    delivery = html`<span class="delivery failed" part="delivery">
      Not sent.
      <button type="button" class="link-button" @click=${() => context.retry(item)}>Try again</button>
    </span>`;
  }
  return html`<li class="item user" part="message message-user">
    <span class="sr-only">You:</span>
    ${item.attachment ? renderAttachment(item, context) : html`<div class="bubble" part="bubble bubble-user" dir="auto">${item.text}</div>`}
    ${delivery}
  </li>`;
}

/** The user's own upload: the picture itself, or a link to the file. */
function renderAttachment(item: UserItem, context: ItemContext): TemplateResult {
  const attachment = item.attachment!;
  const image = attachment.type.startsWith('image/') ? safeUrl(attachment.url, 'image', context.pageOrigin) : null;
  if (image) {
    return html`<img class="media" part="image attachment" src=${image} alt=${attachment.name} @load=${context.mediaLoaded}>`;
  }
  const href = safeUrl(attachment.url, 'link', context.pageOrigin);
  return html`<div class="bubble" part="bubble bubble-user attachment" dir="auto">
    ${href ? html`<a class="file" href=${href} target="_blank" rel="noopener noreferrer">${fileIcon}<span>${attachment.name}</span></a>` : attachment.name}
  </div>`;
}

function renderView(item: BotItem, view: BotView, context: ItemContext): TemplateResult | typeof nothing {
  switch (view.kind) {
    case 'text':
      return textBubble(view.text, context);
    case 'choices':
      return html`${view.text.trim() === '' ? nothing : textBubble(view.text, context)}
        <ul class="choices" part=${view.quickReplies ? 'choices quick-replies' : 'choices buttons'} aria-label="Choices">
          ${view.choices.map((choice, index) => html`<li>${renderChoice(item, String(index), choice, context)}</li>`)}
        </ul>`;
    case 'image':
      return html`<img class="media" part="image" src=${view.src} alt=${view.alt || 'Image'} loading="lazy"
        @load=${context.mediaLoaded} />`;
    case 'video':
      if (VIDEO_PAGES.test(view.src)) return fileLink(view.src, view.title || 'Watch the video', context);
      return html`<video class="media" part="video" src=${view.src} controls preload="metadata"
        aria-label=${view.title || 'Video'} @loadedmetadata=${context.mediaLoaded}>
        ${fileLink(view.src, view.title || 'Open the video', context)}
      </video>`;
    case 'audio':
      return html`<audio class="media" part="audio" src=${view.src} controls preload="metadata"
        aria-label=${view.title || 'Audio'}></audio>`;
    case 'file':
      return fileLink(view.href, view.name, context);
    case 'carousel':
      return renderCarousel(item, view.cards, context);
    case 'custom':
      return nothing;
  }
}

function textBubble(text: string, context: ItemContext): TemplateResult {
  return html`<div class="bubble" part="bubble bubble-bot" dir="auto">${context.markdown(text).map((block) => renderBlock(block, context))}</div>`;
}

function renderChoice(item: BotItem, key: string, choice: Choice, context: ItemContext): TemplateResult {
  if (choice.url !== null) {
    return anchor(choice.url, choice.title, context, 'choice', 'choice');
  }
  const chosen = item.chosen;
  return html`<button
    type="button"
    class="choice"
    part="choice"
    dir="auto"
    ?disabled=${chosen !== null}
    aria-pressed=${chosen === null ? nothing : String(chosen === key)}
    @click=${() => context.choose(item, key, choice)}
  >
    ${choice.title}
  </button>`;
}

function renderCarousel(item: BotItem, cards: readonly Card[], context: ItemContext): TemplateResult {
  const scroll = (event: Event, step: number): void => {
    const list = (event.currentTarget as HTMLElement).closest('.carousel')?.querySelector<HTMLElement>('.cards');
    const card = list?.querySelector<HTMLElement>('.card');
    if (!list || !card) return;
    const direction = getComputedStyle(list).direction === 'rtl' ? -1 : 1;
    list.scrollBy({ left: step * direction * (card.offsetWidth + 10) });
  };
  return html`<div class="carousel" part="carousel" role="group" aria-roledescription="carousel"
      aria-label=${`${cards.length} ${cards.length === 1 ? 'card' : 'cards'}`}>
    <ul class="cards" tabindex="0" aria-label="Cards">
      ${cards.map((card, cardIndex) => renderCard(item, card, cardIndex, context))}
    </ul>
    ${cards.length > 1
      ? html`<div class="carousel-nav">
          <button type="button" class="icon-button" aria-label="Previous card" @click=${(event: Event) => scroll(event, -1)}>
            ${previousIcon}
          </button>
          <button type="button" class="icon-button" aria-label="Next card" @click=${(event: Event) => scroll(event, 1)}>
            ${nextIcon}
          </button>
        </div>`
      : nothing}
  </div>`;
}

function renderCard(item: BotItem, card: Card, cardIndex: number, context: ItemContext): TemplateResult {
  const title = card.url ? anchor(card.url, card.title, context) : card.title;
  return html`<li class="card" part="card">
    ${card.imageUrl ? html`<img src=${card.imageUrl} alt="" loading="lazy" />` : nothing}
    <div class="card-body" dir="auto">
      ${card.title ? html`<p class="card-title">${title}</p>` : nothing}
      ${card.subtitle ? html`<p class="card-subtitle">${card.subtitle}</p>` : nothing}
      ${card.buttons.length > 0
        ? html`<ul class="choices" aria-label="Choices">
            ${card.buttons.map((choice, index) => html`<li>${renderChoice(item, `${cardIndex}.${index}`, choice, context)}</li>`)}
          </ul>`
        : nothing}
    </div>
  </li>`;
}

function fileLink(href: string, name: string, context: ItemContext): TemplateResult {
  return anchor(href, html`${fileIcon}<span>${name}</span>`, context, 'bubble file', 'bubble bubble-bot file');
}

/**
 * A link. Links to other sites open in `linkTarget` without giving that page a handle on this
 * one (`noopener`), and say so to screen-reader users.
 */
function anchor(
  href: string,
  content: unknown,
  context: ItemContext,
  className?: string,
  part?: string,
): TemplateResult {
  const web = /^https?:/i.test(href);
  const leaves = web && isExternal(href, context.pageOrigin);
  const newTab = leaves && context.linkTarget === '_blank';
  return html`<a
    class=${className ?? nothing}
    part=${part ?? nothing}
    href=${href}
    target=${leaves ? context.linkTarget : nothing}
    rel=${leaves ? 'noopener noreferrer' : nothing}
    dir="auto"
    >${content}${newTab ? html`<span class="sr-only"> (opens in a new tab)</span>` : nothing}</a
  >`;
}

function renderBlock(block: BlockNode, context: ItemContext): TemplateResult {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${renderInline(block.children, context)}</p>`;
    case 'code':
      return html`<pre><code>${block.text}</code></pre>`;
    case 'list': {
      const items = block.items.map((children) => html`<li>${renderInline(children, context)}</li>`);
      return block.ordered ? html`<ol start=${block.start}>${items}</ol>` : html`<ul>${items}</ul>`;
    }
  }
}

function renderInline(nodes: readonly InlineNode[], context: ItemContext): Array<TemplateResult | string> {
  return nodes.map((node) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'break':
        return html`<br />`;
      case 'code':
        return html`<code>${node.text}</code>`;
      case 'strong':
        return html`<strong>${renderInline(node.children, context)}</strong>`;
      case 'em':
        return html`<em>${renderInline(node.children, context)}</em>`;
      case 'del':
        return html`<del>${renderInline(node.children, context)}</del>`;
      case 'link':
        return anchor(node.href, renderInline(node.children, context), context);
    }
  });
}
