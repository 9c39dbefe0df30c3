/**
 * The unmodified moodbot, trained by `parley train` and served by `parley run`, through every
 * website channel: REST, socket.io (v2/EIO3 and v4 clients), callback.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioV4, type Socket } from 'socket.io-client';
import ioV2 from 'sio-client-v2';
import { startReceiver, type Receiver } from '../channels/helpers/receiver.js';
import { copyFixtureBot, runCli, sendRest, startCli, type RunningCli } from './helpers.js';

const IMAGE = 'https://i.imgur.com/nGF1K8f.jpg';

let bot: ReturnType<typeof copyFixtureBot>;
let receiver: Receiver;
let server: RunningCli;
let trainOutput: string;

beforeAll(async () => {
  bot = copyFixtureBot('moodbot');
  receiver = await startReceiver();
  writeFileSync(
    join(bot.dir, 'e2e-credentials.yml'),
    [
      'rest:',
      'socketio:',
      '  user_message_evt: user_uttered',
      '  bot_message_evt: bot_uttered',
      '  session_persistence: true',
      'callback:',
      `  url: "${receiver.url}/bot"`,
      '',
    ].join('\n'),
  );
  const trained = await runCli(['train'], { cwd: bot.dir });
  trainOutput = trained.stdout + trained.stderr;
  expect(trained.code, trainOutput).toBe(0);
  server = await startCli(['--credentials', 'e2e-credentials.yml', '--cors', '*'], { cwd: bot.dir });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  bot?.remove();
});

describe('parley train on the moodbot', () => {
  it('reports progress and writes a model archive into models/', () => {
    expect(trainOutput).toMatch(/\[\s*\d+%\]/);
    expect(trainOutput).toMatch(/Your model is ready/);
    const models = readdirSync(join(bot.dir, 'models')).filter((name) => name.endsWith('.tar.gz'));
    expect(models).toHaveLength(1);
    expect(models[0]).toMatch(/^\d{8}-\d{6}-[a-z]+-[a-z]+\.tar\.gz$/);
  });

  it('keeps the existing model when nothing changed', async () => {
    const again = await runCli(['train'], { cwd: bot.dir });
    expect(again.code).toBe(0);
    expect(again.stderr + again.stdout).toMatch(/up to date/);
    expect(readdirSync(join(bot.dir, 'models'))).toHaveLength(1);
  });
});

describe('parley run serving the moodbot', () => {
  it('answers GET / with the hello text clients probe for', async () => {
    const response = await fetch(`${server.url}/`);
    expect(await response.text()).toMatch(/^Hello from Rasa: /);
  });

  it('follows the happy path of the stories over REST', async () => {
    expect(await sendRest(server.url, 'happy', 'hello there!')).toEqual([{ recipient_id: 'happy', text: 'Hey! How are you?' }]);
    expect(await sendRest(server.url, 'happy', 'amazing')).toEqual([{ recipient_id: 'happy', text: 'Great, carry on!' }]);
    expect(await sendRest(server.url, 'happy', 'bye-bye!')).toEqual([{ recipient_id: 'happy', text: 'Bye' }]);
  });

  it('follows both sad paths, including the image', async () => {
    expect(await sendRest(server.url, 'sad1', 'hello')).toEqual([{ recipient_id: 'sad1', text: 'Hey! How are you?' }]);
    expect(await sendRest(server.url, 'sad1', 'not good')).toEqual([
      { recipient_id: 'sad1', text: 'Here is something to cheer you up:' },
      { recipient_id: 'sad1', image: IMAGE },
      { recipient_id: 'sad1', text: 'Did that help you?' },
    ]);
    expect(await sendRest(server.url, 'sad1', 'yes')).toEqual([{ recipient_id: 'sad1', text: 'Great, carry on!' }]);

    await sendRest(server.url, 'sad2', 'hi');
    await sendRest(server.url, 'sad2', 'very terrible');
    expect(await sendRest(server.url, 'sad2', 'no')).toEqual([{ recipient_id: 'sad2', text: 'Bye' }]);
  });

  it('answers the rules at any time', async () => {
    expect(await sendRest(server.url, 'rules', 'are you a bot?')).toEqual([{ recipient_id: 'rules', text: 'I am a bot, powered by Rasa.' }]);
    expect(await sendRest(server.url, 'rules', 'bye-bye!')).toEqual([{ recipient_id: 'rules', text: 'Bye' }]);
  });

  it('answers 200 concurrent requests from 50 senders, each with its own reply', async () => {
    const script = [
      ['hello', 'Hey! How are you?'],
      ['are you a bot?', 'I am a bot, powered by Rasa.'],
      ['bye', 'Bye'],
      ['are you a human?', 'I am a bot, powered by Rasa.'],
    ] as const;
    const requests = Array.from({ length: 50 }, (_, sender) =>
      script.map(async ([message, expected]) => {
        const replies = await sendRest(server.url, `crowd-${sender}`, message);
        return { sender: `crowd-${sender}`, replies, expected };
      }),
    ).flat();
    const results = await Promise.all(requests);
    expect(results).toHaveLength(200);
    for (const { sender, replies, expected } of results) {
      expect(replies).toEqual([{ recipient_id: sender, text: expected }]);
    }
  });

  it('processes each socket.io sender\'s messages in order while 50 senders talk at once', async () => {
    const sockets: Socket[] = [];
    try {
      const conversations = Array.from({ length: 50 }, async (_, index) => {
        const socket = ioV4(server.url, { transports: ['websocket'], forceNew: true });
        sockets.push(socket);
        const sessionId = `ordered-${index}`;
        const texts: string[] = [];
        const done = new Promise<void>((resolve) => {
          socket.on('bot_uttered', (message: { text?: string }) => {
            if (message.text) texts.push(message.text);
            if (texts.length === 4) resolve();
          });
        });
        await new Promise<void>((resolve) => {
          socket.once('session_confirm', () => resolve());
          socket.emit('session_request', { session_id: sessionId });
        });
        for (const message of ['hello', 'are you a bot?', 'bye', 'hi']) {
          socket.emit('user_uttered', { message, session_id: sessionId });
        }
        await done;
        return texts;
      });
      for (const texts of await Promise.all(conversations)) {
        expect(texts).toEqual(['Hey! How are you?', 'I am a bot, powered by Rasa.', 'Bye', 'Hey! How are you?']);
      }
    } finally {
      sockets.forEach((socket) => socket.close());
    }
  });

  it('speaks socket.io to a v2 (Engine.IO 3) client like old Rasa Webchat builds', async () => {
    const socket = ioV2(server.url, { transports: ['websocket'], forceNew: true });
    try {
      const confirmed = await new Promise<string>((resolve) => {
        socket.on('session_confirm', (id: string) => resolve(id));
        socket.emit('session_request', { session_id: null });
      });
      expect(confirmed).toMatch(/^[0-9a-f]{32}$/);
      const messages: unknown[] = [];
      const three = new Promise<void>((resolve) =>
        socket.on('bot_uttered', (message: unknown) => {
          messages.push(message);
          if (messages.length === 3) resolve();
        }),
      );
      socket.emit('user_uttered', { message: 'hello', session_id: confirmed });
      socket.emit('user_uttered', { message: 'I am sad', session_id: confirmed });
      await three;
      // Greeting first, then the cheer-up text (the image and question follow).
      expect(messages[0]).toEqual({ text: 'Hey! How are you?' });
      expect(messages[1]).toEqual({ text: 'Here is something to cheer you up:' });
      expect(messages[2]).toEqual({ attachment: { type: 'image', payload: { src: IMAGE } } });
    } finally {
      socket.close();
    }
  });

  it('posts each bot message to the callback URL and answers success', async () => {
    const response = await fetch(`${server.url}/webhooks/callback/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'cb', message: 'not good' }),
    });
    expect(await response.text()).toBe('success');
    const bodies = receiver.requests.filter((request) => request.url.pathname === '/bot').map((request) => request.body);
    expect(bodies).toEqual([
      { recipient_id: 'cb', text: 'Here is something to cheer you up:' },
      { recipient_id: 'cb', image: IMAGE },
      { recipient_id: 'cb', text: 'Did that help you?' },
    ]);
  });

  it('answers bad input with a 400 and keeps serving everyone else', async () => {
    const bad = await fetch(`${server.url}/webhooks/rest/webhook`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await sendRest(server.url, 'after-bad', 'hello')).toEqual([{ recipient_id: 'after-bad', text: 'Hey! How are you?' }]);
  });

  it('serves the web chat script and demo page', async () => {
    const page = await fetch(`${server.url}/chat`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<parley-chat');
    const script = await fetch(`${server.url}/webchat.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });
});

describe('parley run after a restart', () => {
  it('continues a conversation where it stopped (conversations are kept in SQLite)', async () => {
    await sendRest(server.url, 'restart-me', 'hello');
    await sendRest(server.url, 'restart-me', 'I am sad');
    expect(await server.stop()).toBe(0);
    expect(existsSync(join(bot.dir, '.parley', 'conversations.db'))).toBe(true);
    server = await startCli(['--credentials', 'e2e-credentials.yml'], { cwd: bot.dir });
    // "yes" only leads to utter_happy when the earlier turns are remembered (sad path 1).
    expect(await sendRest(server.url, 'restart-me', 'yes')).toEqual([{ recipient_id: 'restart-me', text: 'Great, carry on!' }]);
  }, 120_000);
});
