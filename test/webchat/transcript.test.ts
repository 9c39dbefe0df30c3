import { describe, expect, it } from 'vitest';
import {
  addBotViews,
  addUserItem,
  markChosen,
  MAX_ITEMS,
  restoreItems,
  setDeliveryStatus,
  type ChatItem,
  type UserItem,
} from '../../webchat/src/transcript.js';
import type { BotView } from '../../webchat/src/view-model.js';

let counter = 0;
const makeId = () => `id${(counter += 1)}`;
const card = (title: string) => ({ title, subtitle: '', imageUrl: null, url: null, buttons: [] });
const user = (id: string, status: UserItem['status'] = 'sent'): UserItem => ({
  id,
  from: 'user',
  text: 'hi',
  payload: null,
  status,
  at: 1,
});

describe('transcript', () => {
  it('joins carousel cards that arrive one event each into one carousel', () => {
    const parts: BotView[] = [
      { kind: 'carousel', cards: [card('A')], part: true },
      { kind: 'carousel', cards: [card('B')], part: true },
    ];
    let items: ChatItem[] = [];
    for (const part of parts) items = addBotViews(items, [part], makeId, 1);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ from: 'bot', view: { kind: 'carousel', cards: [{ title: 'A' }, { title: 'B' }] } });
  });

  it('keeps whole carousels separate and does not show custom payloads', () => {
    const whole: BotView = { kind: 'carousel', cards: [card('A')], part: false };
    const items = addBotViews([], [whole, whole, { kind: 'custom', payload: { x: 1 } }], makeId, 1);
    expect(items.map((item) => item.from === 'bot' && item.view.kind)).toEqual(['carousel', 'carousel']);
  });

  it('keeps only the newest items', () => {
    let items: ChatItem[] = [];
    for (let index = 0; index < MAX_ITEMS + 5; index += 1) items = addUserItem(items, user(`u${index}`));
    expect(items).toHaveLength(MAX_ITEMS);
    expect(items[0].id).toBe('u5');
  });

  it('records only the first choice on an item', () => {
    const [item] = addBotViews([], [{ kind: 'choices', text: '', choices: [], quickReplies: true }], makeId, 1);
    const once = markChosen([item], item.id, '1');
    const twice = markChosen(once, item.id, '0');
    expect(twice[0]).toMatchObject({ chosen: '1' });
  });

  it('updates the delivery status of one user message', () => {
    const items = setDeliveryStatus([user('a', 'pending'), user('b', 'pending')], 'b', 'sent');
    expect(items.map((item) => (item as UserItem).status)).toEqual(['pending', 'sent']);
  });

  it('restores stored items, marking messages that were still pending as not sent', () => {
    const stored = JSON.parse(
      JSON.stringify([
        user('a', 'pending'),
        user('b', 'sent'),
        { id: 'c', from: 'bot', view: { kind: 'text', text: 'hi' }, chosen: null, at: 2 },
        { id: 'd', from: 'notice', text: 'New conversation', at: 3 },
      ]),
    );
    expect(restoreItems(stored).map((item) => [item.id, item.from === 'user' ? item.status : item.from])).toEqual([
      ['a', 'failed'],
      ['b', 'sent'],
      ['c', 'bot'],
      ['d', 'notice'],
    ]);
  });

  it('skips stored entries of the wrong shape', () => {
    expect(
      restoreItems([
        null,
        { id: 'x', from: 'bot', view: { kind: 'script', text: 'x' }, at: 1 },
        { id: 'y', from: 'bot', view: { kind: 'image', src: 5, alt: '' }, at: 1 },
        { id: 'z', from: 'user', text: 'no time' },
        { id: 'ok', from: 'bot', view: { kind: 'carousel', cards: [] }, chosen: null, at: 1 },
      ]).map((item) => item.id),
    ).toEqual(['ok']);
    expect(restoreItems('not a list')).toEqual([]);
  });
});
