/**
 * Turns what the server sends (a Socket.IO `bot_uttered` payload or one item of a REST answer)
 * into view models the element renders. Pure data in, pure data out: no DOM, no I/O.
 */
import { safeUrl } from './urls.js';

/** A button or quick reply. `payload` is sent when chosen; `url` makes it a link instead. */
export interface Choice {
  title: string;
  payload: string | null;
  url: string | null;
}

/** One card of a carousel (a generic-template element). */
export interface Card {
  title: string;
  subtitle: string;
  imageUrl: string | null;
  /** Where the card's `default_action` leads, if it is a link. */
  url: string | null;
  buttons: Choice[];
}

/** One thing the bot shows. Text stays Markdown source; the view parses it. */
export type BotView =
  | { kind: 'text'; text: string }
  | { kind: 'choices'; text: string; choices: Choice[]; quickReplies: boolean }
  | { kind: 'image'; src: string; alt: string }
  | { kind: 'video'; src: string; title: string }
  | { kind: 'audio'; src: string; title: string }
  | { kind: 'file'; href: string; name: string }
  | {
      kind: 'carousel';
      cards: Card[];
      /** Built from a lone element object (Rasa's Socket.IO sends one event per card); such parts join up. */
      part: boolean;
    }
  | { kind: 'custom'; payload: unknown };

export interface ViewOptions {
  /** Relative URLs in bot messages resolve against this (the chat server). */
  baseUrl: string;
}

/** Keys of Rasa's bot messages on either channel; `metadata`, `recipient_id` and `timestamp` carry no content. */
const MESSAGE_KEYS = new Set(['text', 'quick_replies', 'buttons', 'image', 'attachment', 'elements', 'custom']);
const IGNORED_KEYS = new Set(['metadata', 'recipient_id', 'timestamp']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * The view models for one message. Rasa's shapes (`{text}`, `{text, quick_replies}`,
 * `{text, buttons}`, `{attachment}`, REST's `{image}`, `{custom}`, element lists) render; any
 * payload with other keys is a custom payload, which the element hands to the page as an event.
 * @example toBotViews({ text: 'Hi' }, { baseUrl: 'https://bot.example/' }) // [{ kind: 'text', text: 'Hi' }]
 */
export function toBotViews(payload: unknown, options: ViewOptions): BotView[] {
  if (!isObject(payload)) return payload === undefined ? [] : [{ kind: 'custom', payload }];
  const keys = Object.keys(payload).filter((key) => !IGNORED_KEYS.has(key));
  if (keys.length === 0 || keys.some((key) => !MESSAGE_KEYS.has(key))) return [{ kind: 'custom', payload }];

  const views: BotView[] = [];
  const body = text(payload.text);
  const quickReplies = Array.isArray(payload.quick_replies) ? payload.quick_replies : [];
  const buttons = Array.isArray(payload.buttons) ? payload.buttons : [];
  if (quickReplies.length > 0 || buttons.length > 0) {
    const choices = (quickReplies.length > 0 ? quickReplies : buttons)
      .map((button) => toChoice(button, options))
      .filter((choice): choice is Choice => choice !== null);
    views.push({ kind: 'choices', text: body, choices, quickReplies: quickReplies.length > 0 });
  } else if (body.trim() !== '') {
    views.push({ kind: 'text', text: body });
  }
  if (present(payload.custom)) views.push(...customViews(payload.custom, options));
  if (present(payload.image)) views.push(...imageViews(payload.image, '', options));
  if (present(payload.attachment)) views.push(...attachmentViews(payload.attachment, options));
  if (present(payload.elements)) views.push(...carouselViews(payload.elements, options));
  return views;
}

/** REST carries `custom` as given; its `data` is what Socket.IO would have emitted, so both render alike. */
function customViews(custom: unknown, options: ViewOptions): BotView[] {
  const data = isObject(custom) && 'data' in custom && custom.data !== null ? custom.data : custom;
  return toBotViews(data, options);
}

function toChoice(button: unknown, options: ViewOptions): Choice | null {
  if (!isObject(button)) return null;
  const title = text(button.title) || text(button.payload);
  if (button.type === 'web_url' || (button.url !== undefined && button.payload === undefined)) {
    const url = safeUrl(button.url, 'link', options.baseUrl);
    return url === null ? null : { title: title || url, payload: null, url };
  }
  const payload = text(button.payload) || text(button.title);
  return payload === '' ? null : { title: title || payload, payload, url: null };
}

function imageViews(source: unknown, title: string, options: ViewOptions): BotView[] {
  const src = safeUrl(source, 'image', options.baseUrl);
  return src === null ? [] : [{ kind: 'image', src, alt: title }];
}

function attachmentViews(attachment: unknown, options: ViewOptions): BotView[] {
  if (typeof attachment === 'string') {
    const href = safeUrl(attachment, 'link', options.baseUrl);
    return href === null ? [{ kind: 'text', text: attachment }] : [{ kind: 'file', href, name: fileName(href) }];
  }
  if (!isObject(attachment)) return [{ kind: 'custom', payload: { attachment } }];
  const payload = isObject(attachment.payload) ? attachment.payload : {};
  const source = payload.src ?? payload.url;
  const title = text(payload.title ?? payload.name);
  switch (attachment.type) {
    case 'image':
      return imageViews(source, title, options);
    case 'video':
    case 'audio': {
      const src = safeUrl(source, 'media', options.baseUrl);
      if (src === null) return [];
      return [attachment.type === 'video' ? { kind: 'video', src, title } : { kind: 'audio', src, title }];
    }
    case 'file': {
      const href = safeUrl(source, 'link', options.baseUrl);
      return href === null ? [] : [{ kind: 'file', href, name: title || fileName(href) }];
    }
    case 'template':
      if (payload.template_type === 'generic') return carouselViews(payload.elements, options);
      if (payload.template_type === 'button') {
        return toBotViews({ text: payload.text, buttons: payload.buttons }, options);
      }
      break;
  }
  return [{ kind: 'custom', payload: { attachment } }];
}

/** Rasa's Socket.IO channel puts one element object in `elements`; REST and custom data use arrays. */
function carouselViews(elements: unknown, options: ViewOptions): BotView[] {
  const part = !Array.isArray(elements);
  const list = part ? [elements] : elements;
  const cards = list.filter(isObject).map((element): Card => {
    const action = isObject(element.default_action) ? element.default_action : {};
    return {
      title: text(element.title),
      subtitle: text(element.subtitle),
      imageUrl: safeUrl(element.image_url, 'image', options.baseUrl),
      url: safeUrl(action.url, 'link', options.baseUrl),
      buttons: (Array.isArray(element.buttons) ? element.buttons : [])
        .map((button) => toChoice(button, options))
        .filter((choice): choice is Choice => choice !== null),
    };
  });
  return cards.length === 0 ? [] : [{ kind: 'carousel', cards, part }];
}

function fileName(href: string): string {
  try {
    const last = new URL(href).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : href;
  } catch {
    return href;
  }
}
