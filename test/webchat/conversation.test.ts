import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionListener, OutgoingMessage } from '../../webchat/src/connection.js';
import { Conversation, TYPING_TIMEOUT_MS, type ConnectionLike } from '../../webchat/src/conversation.js';
import { ConversationStore, type KeyValueStorage } from '../../webchat/src/conversation-store.js';

function memory(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/** A connection that records what it is asked to send; the test plays the server through `listener`. */
class FakeConnection implements ConnectionLike {
  listener!: ConnectionListener;
  startedWith: string | null | undefined;
  sent: Array<OutgoingMessage & { first: boolean }> = [];
  resets = 0;
  start(sessionId: string | null): void {
    this.startedWith = sessionId;
  }
  send(message: OutgoingMessage, options: { first?: boolean } = {}): void {
    this.sent.push({ ...message, first: options.first ?? false });
  }
  newConversation(): void {
    this.resets += 1;
  }
  stop(): void {}
  /** The server confirms a session and the connection is online. */
  confirm(sessionId: string, isNew: boolean): void {
    this.listener.status('online', 'socketio', null);
    this.listener.session(sessionId, isNew);
  }
}

function setup(storage: KeyValueStorage = memory(), initialPayload = '/greet') {
  const connection = new FakeConnection();
  const events: Array<[string, unknown]> = [];
  const conversation = new Conversation({
    store: new ConversationStore(storage, 'https://bot.example'),
    connect: (listener) => {
      connection.listener = listener;
      return connection;
    },
    baseUrl: 'https://bot.example/',
    initialPayload: () => initialPayload,
    metadata: () => ({ language: 'en' }),
    changed: () => undefined,
    emit: (name, detail) => events.push([name, detail]),
  });
  return { conversation, connection, events, storage };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Conversation: the initial payload', () => {
  it('is sent once a new session is confirmed and the chat is open, ahead of anything typed', () => {
    const { conversation, connection } = setup();
    conversation.setOpen(true);
    conversation.start();
    conversation.send('typed early');
    connection.confirm('s1', true);
    expect(connection.sent.map(({ text, first }) => [text, first])).toEqual([
      ['typed early', false],
      ['/greet', true],
    ]);
    expect(connection.sent[1].metadata).toEqual({ language: 'en' });
  });

  it('waits until the chat is opened', () => {
    const { conversation, connection } = setup();
    conversation.start();
    connection.confirm('s1', true);
    expect(connection.sent).toEqual([]);
    conversation.setOpen(true);
    conversation.setOpen(false);
    conversation.setOpen(true);
    expect(connection.sent.map(({ text }) => text)).toEqual(['/greet']);
  });

  it('is not sent again after a reload or a reconnect of the same session', () => {
    const { conversation, connection, storage } = setup();
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', true);
    connection.listener.sent(connection.sent[0].id);
    connection.listener.bot({ text: 'Hi!' });
    connection.confirm('s1', false);
    conversation.stop();

    const reloaded = setup(storage);
    reloaded.conversation.setOpen(true);
    reloaded.conversation.start();
    expect(reloaded.connection.startedWith).toBe('s1');
    reloaded.connection.confirm('s1', false);
    expect(reloaded.connection.sent).toEqual([]);
    expect(reloaded.conversation.items).toHaveLength(1);
  });

  it('is sent for a stored session in which nothing was said yet', () => {
    const storage = memory();
    new ConversationStore(storage, 'https://bot.example').saveSession('s1');
    const { conversation, connection } = setup(storage);
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', false);
    expect(connection.sent.map(({ text }) => text)).toEqual(['/greet']);
  });

  it('is sent again when the server starts a new session, once for each session', () => {
    const { conversation, connection } = setup();
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', true);
    connection.listener.bot({ text: 'Hi!' });
    connection.confirm('s2', true);
    connection.confirm('s2', false);
    expect(connection.sent.map(({ text }) => text)).toEqual(['/greet', '/greet']);
  });

  it('opens the new conversation after a reset', () => {
    const { conversation, connection } = setup();
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', true);
    connection.listener.bot({ text: 'Hi!' });
    conversation.reset();
    expect(connection.resets).toBe(1);
    expect(conversation.items.map((item) => item.from)).toEqual(['notice']);
    connection.confirm('s2', true);
    expect(connection.sent.map(({ text }) => text)).toEqual(['/greet', '/greet']);
  });

  it('is never sent when empty', () => {
    const { conversation, connection } = setup(memory(), '  ');
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', true);
    expect(connection.sent).toEqual([]);
  });
});

describe('Conversation: messages', () => {
  it('shows a button title, sends its payload and records the choice once', () => {
    const { conversation, connection, events } = setup(memory(), '');
    conversation.setOpen(true);
    conversation.start();
    connection.confirm('s1', true);
    connection.listener.bot({ text: 'Pick', quick_replies: [{ title: 'Yes', payload: '/affirm' }, { title: 'No', payload: '/deny' }] });
    const [bot] = conversation.items;
    const choices = bot.from === 'bot' && bot.view.kind === 'choices' ? bot.view.choices : [];
    conversation.choose(bot.id, '0', choices[0]);
    conversation.choose(bot.id, '1', choices[1]);
    expect(connection.sent.map(({ text }) => text)).toEqual(['/affirm']);
    expect(conversation.items[0]).toMatchObject({ chosen: '0' });
    expect(conversation.items[1]).toMatchObject({ from: 'user', text: 'Yes', payload: '/affirm', status: 'pending' });
    expect(events).toContainEqual(['parley-user-message', { text: 'Yes', message: '/affirm' }]);
  });

  it('marks messages sent and failed, and retries only failed ones', () => {
    const { conversation, connection, events } = setup(memory(), '');
    conversation.start();
    conversation.send('one');
    const [item] = conversation.items;
    connection.listener.failed(item.id, 'The chat server answered with error 500.');
    expect(conversation.items[0]).toMatchObject({ status: 'failed' });
    expect(events).toContainEqual(['parley-error', { message: 'The chat server answered with error 500.' }]);
    conversation.retry(item.id);
    conversation.retry(item.id);
    expect(connection.sent.map(({ id }) => id)).toEqual([item.id, item.id]);
    connection.listener.sent(item.id);
    expect(conversation.items[0]).toMatchObject({ status: 'sent' });
  });

  it('counts shown bot messages as unread while closed and hands custom payloads to the page', () => {
    const { conversation, connection, events } = setup(memory(), '');
    conversation.start();
    connection.confirm('s1', true);
    connection.listener.bot({ text: 'a' });
    connection.listener.bot({ attachment: { type: 'image', payload: { src: '/x.png' } } });
    connection.listener.bot({ map: true });
    expect(conversation.unread).toBe(2);
    expect(events).toContainEqual(['parley-custom', { payload: { map: true } }]);
    conversation.setOpen(true);
    expect(conversation.unread).toBe(0);
    connection.listener.bot({ text: 'b' });
    expect(conversation.unread).toBe(0);
  });

  it('shows typing from sending until the turn ends, or gives up after a while', () => {
    vi.useFakeTimers();
    const { conversation, connection } = setup(memory(), '');
    conversation.start();
    connection.confirm('s1', true);
    conversation.send('one');
    expect(conversation.typing).toBe(true);
    connection.listener.turnEnd(connection.sent[0].id);
    expect(conversation.typing).toBe(false);
    conversation.send('two');
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS);
    expect(conversation.typing).toBe(false);
  });

  it('does not show typing while offline', () => {
    const { conversation, connection } = setup(memory(), '');
    conversation.start();
    conversation.send('queued');
    expect(conversation.typing).toBe(false);
    connection.listener.status('offline', 'socketio', 'Connection lost. Reconnecting…');
    expect(conversation.statusReason).toBe('Connection lost. Reconnecting…');
    connection.confirm('s1', true);
    expect(conversation.typing).toBe(true);
  });
});
