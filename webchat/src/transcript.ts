/**
 * The conversation as the widget shows it: user messages, bot views and notices, kept as plain
 * data so it can be stored and restored. Every change returns a new array (the element re-renders
 * on identity change) and the list is capped, so nothing per message grows with the conversation.
 */
import type { BotView } from './view-model.js';

/** How many items are kept (older ones scroll away for good). */
export const MAX_ITEMS = 200;

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** A file the user uploaded; sent to the bot as `metadata.attachment`. */
export interface Attachment {
  url: string;
  type: string;
  name: string;
  size: number;
}

export interface UserItem {
  id: string;
  from: 'user';
  text: string;
  /** What was sent to the bot when it differs from `text` (a button payload). */
  payload: string | null;
  status: DeliveryStatus;
  at: number;
  /** The file this message carries, if any. */
  attachment?: Attachment;
}

export interface BotItem {
  id: string;
  from: 'bot';
  view: BotView;
  /** Which button was chosen: `"2"` in a button list, `"1.0"` (card.button) in a carousel. */
  chosen: string | null;
  at: number;
}

/** A line from the widget itself, such as "New conversation". */
export interface NoticeItem {
  id: string;
  from: 'notice';
  text: string;
  at: number;
}

export type ChatItem = UserItem | BotItem | NoticeItem;

function capped(items: ChatItem[]): ChatItem[] {
  return items.length > MAX_ITEMS ? items.slice(items.length - MAX_ITEMS) : items;
}

/** Add a user message. */
export function addUserItem(items: readonly ChatItem[], item: UserItem): ChatItem[] {
  return capped([...items, item]);
}

/**
 * Add the views of one bot message. Custom payloads are not shown (the page gets an event), and a
 * carousel card that arrives as its own event joins the carousel right before it.
 */
export function addBotViews(
  items: readonly ChatItem[],
  views: readonly BotView[],
  makeId: () => string,
  at: number,
): ChatItem[] {
  const next = [...items];
  for (const view of views) {
    if (view.kind === 'custom') continue;
    const last = next[next.length - 1];
    if (
      view.kind === 'carousel' &&
      view.part &&
      last?.from === 'bot' &&
      last.view.kind === 'carousel' &&
      last.view.part &&
      last.chosen === null
    ) {
      next[next.length - 1] = { ...last, view: { ...last.view, cards: [...last.view.cards, ...view.cards] } };
      continue;
    }
    next.push({ id: makeId(), from: 'bot', view, chosen: null, at });
  }
  return capped(next);
}

export function addNotice(items: readonly ChatItem[], notice: NoticeItem): ChatItem[] {
  return capped([...items, notice]);
}

export function setDeliveryStatus(items: readonly ChatItem[], id: string, status: DeliveryStatus): ChatItem[] {
  return items.map((item) => (item.from === 'user' && item.id === id ? { ...item, status } : item));
}

/** Record the user's choice on a bot item; a second choice on the same item is ignored. */
export function markChosen(items: readonly ChatItem[], id: string, key: string): ChatItem[] {
  return items.map((item) => (item.from === 'bot' && item.id === id && item.chosen === null ? { ...item, chosen: key } : item));
}

/**
 * Items read back from storage, checked item by item (storage is shared with every script on
 * the origin). A message still pending when the page went away was never confirmed as sent.
 */
export function restoreItems(raw: unknown): ChatItem[] {
  if (!Array.isArray(raw)) return [];
  const items: ChatItem[] = [];
  for (const entry of raw.slice(-MAX_ITEMS)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const item = entry as Partial<ChatItem> & Record<string, unknown>;
    if (typeof item.id !== 'string' || typeof item.at !== 'number') continue;
    if (item.from === 'user' && typeof item.text === 'string') {
      const status = item.status === 'sent' ? 'sent' : 'failed';
      const payload = typeof item.payload === 'string' ? item.payload : null;
      const attachment = isAttachment(item.attachment) ? { attachment: item.attachment } : {};
      items.push({ id: item.id, from: 'user', text: item.text, payload, status, at: item.at, ...attachment });
    } else if (item.from === 'bot' && isBotView(item.view)) {
      const chosen = typeof item.chosen === 'string' ? item.chosen : null;
      items.push({ id: item.id, from: 'bot', view: item.view, chosen, at: item.at });
    } else if (item.from === 'notice' && typeof item.text === 'string') {
      items.push({ id: item.id, from: 'notice', text: item.text, at: item.at });
    }
  }
  return items;
}

function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== 'object' || value === null) return false;
  const attachment = value as Record<string, unknown>;
  return ['url', 'type', 'name'].every((field) => typeof attachment[field] === 'string') && typeof attachment.size === 'number';
}

const VIEW_FIELDS: Record<string, readonly string[]> = {
  text: ['text'],
  choices: ['text', 'choices'],
  image: ['src', 'alt'],
  video: ['src', 'title'],
  audio: ['src', 'title'],
  file: ['href', 'name'],
  carousel: ['cards'],
};

/**
 * A stored view is trusted only in shape; its URLs were checked when it was first built, and a
 * page script able to write storage could run script on the page anyway.
 */
function isBotView(value: unknown): value is BotView {
  if (typeof value !== 'object' || value === null) return false;
  const view = value as Record<string, unknown>;
  const fields = typeof view.kind === 'string' ? VIEW_FIELDS[view.kind] : undefined;
  if (!fields) return false;
  return fields.every((field) => (field === 'choices' || field === 'cards' ? Array.isArray(view[field]) : typeof view[field] === 'string'));
}
