import { describe, expect, it } from 'vitest';
import type { ConnectionListener, OutgoingMessage } from '../../webchat/src/connection.js';
import { Conversation, type ConnectionLike } from '../../webchat/src/conversation.js';
import { ConversationStore, type KeyValueStorage } from '../../webchat/src/conversation-store.js';
import { restoreItems } from '../../webchat/src/transcript.js';
import { fileProblem, uploadConfigFrom, uploadsUrl } from '../../webchat/src/uploads.js';

const ATTACHMENT = { url: 'https://bot.example/webhooks/socketio/uploads/abc', type: 'image/png', name: 'cat.png', size: 1234 };

function memory(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

function setup(storage = memory()) {
  const sent: OutgoingMessage[] = [];
  const announced: unknown[] = [];
  let listener!: ConnectionListener;
  const connection: ConnectionLike = {
    start: () => undefined,
    send: (message) => void sent.push(message),
    newConversation: () => undefined,
    stop: () => undefined,
  };
  const conversation = new Conversation({
    store: new ConversationStore(storage, 'https://bot.example'),
    connect: (given) => {
      listener = given;
      return connection;
    },
    baseUrl: 'https://bot.example/',
    initialPayload: () => '',
    metadata: () => ({ language: 'en' }),
    uploads: (config) => void announced.push(config),
    changed: () => undefined,
    emit: () => undefined,
  });
  conversation.start();
  return { conversation, sent, announced, storage, listener: () => listener };
}

describe('Conversation with attachments', () => {
  it('sends the file name (or the payload) as text and the file as metadata.attachment', () => {
    const { conversation, sent } = setup();
    conversation.sendAttachment(ATTACHMENT);
    conversation.sendAttachment(ATTACHMENT, '/send_file');
    expect(sent.map(({ text, metadata }) => [text, metadata])).toEqual([
      ['cat.png', { language: 'en', attachment: ATTACHMENT }],
      ['/send_file', { language: 'en', attachment: ATTACHMENT }],
    ]);
    expect(conversation.items.map((item) => item.from === 'user' && item.attachment)).toEqual([ATTACHMENT, ATTACHMENT]);
  });

  it('keeps the attachment of a message that failed when it is sent again', () => {
    const { conversation, sent, listener } = setup();
    conversation.sendAttachment(ATTACHMENT);
    const id = sent[0].id;
    listener().failed(id, 'lost');
    conversation.retry(id);
    expect(sent[1].metadata).toEqual({ language: 'en', attachment: ATTACHMENT });
  });

  it('keeps attachments in the stored transcript, and drops malformed ones', () => {
    const storage = memory();
    setup(storage).conversation.sendAttachment(ATTACHMENT);
    expect(setup(storage).conversation.items[0]).toMatchObject({ from: 'user', text: 'cat.png', attachment: ATTACHMENT });
    const [restored] = restoreItems([{ id: 'a', from: 'user', text: 'x', at: 1, status: 'sent', attachment: { url: 5 } }]);
    expect(restored).not.toHaveProperty('attachment');
  });

  it("shows the widget's own notices in the log", () => {
    const { conversation } = setup();
    conversation.notify('cat.png was not sent: too large');
    expect(conversation.items).toMatchObject([{ from: 'notice', text: 'cat.png was not sent: too large' }]);
  });

  it('passes the server announcement on to the element', () => {
    const { announced, listener } = setup();
    listener().uploads?.({ max_bytes: 10, types: ['image/png'] });
    expect(announced).toEqual([{ max_bytes: 10, types: ['image/png'] }]);
  });
});

describe('upload settings and checks', () => {
  it('reads a parley_uploads announcement and ignores anything else', () => {
    expect(uploadConfigFrom({ max_bytes: 100, types: ['Image/PNG', 3] })).toEqual({ maxBytes: 100, types: ['image/png'] });
    for (const bad of [null, 'yes', { max_bytes: '100', types: [] }, { max_bytes: 100, types: [] }, { max_bytes: 0, types: ['a/b'] }]) {
      expect(uploadConfigFrom(bad)).toBeNull();
    }
  });

  it('refuses a file before uploading it when its type or size will not be accepted', () => {
    const config = { maxBytes: 2 * 1024 * 1024, types: ['image/png'] };
    expect(fileProblem({ type: 'image/png', size: 10 }, config)).toBeNull();
    expect(fileProblem({ type: 'image/gif', size: 10 }, config)).toBe('This type of file cannot be sent here.');
    expect(fileProblem({ type: 'image/png', size: 3 * 1024 * 1024 }, config)).toBe('The file is larger than 2.0 MB.');
    expect(fileProblem({ type: 'image/png', size: 0 }, config)).toBe('The file is empty.');
  });

  it("posts to the socketio channel's upload route of the server", () => {
    expect(uploadsUrl('https://bot.example/')).toBe('https://bot.example/webhooks/socketio/uploads');
  });
});
