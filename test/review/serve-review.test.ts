/** Review on a real server: messages through the REST channel, as a tester's widget sends them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { botNameOf, registerReview } from '../../src/review/serve-review.js';
import { ModelHolder } from '../../src/runtime/model-holder.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { moodbotModel } from '../api/helpers/api-server.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-review-'));
let server: ParleyServer;
let holder: ModelHolder;

beforeAll(async () => {
  const logger = silentLogger();
  holder = new ModelHolder({ logger, trackerStore: new MemoryTrackerStore() });
  await holder.load(await moodbotModel());
  server = createServer({ credentials: [{ name: 'rest', options: null }], getHandler: () => holder.agent(), logger });
  await registerReview(server, { root, holder, trackerStore: holder.agent()!.trackerStore, auth: { token: 'secret' }, logger });
  await server.app.ready();
}, 120_000);

afterAll(async () => {
  await server.close();
  await holder.close();
  rmSync(root, { recursive: true, force: true });
});

async function say(sender: string, message: string, metadata: Record<string, unknown> = {}): Promise<void> {
  const response = await server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender, message, metadata } });
  expect(response.statusCode).toBe(200);
}

describe('review on a running server', () => {
  it('shows a tester conversation with its share link, policies and response templates, and exports a correction', async () => {
    await say('tester-1', 'hello', { share_link: 'link-a' });
    await say('tester-1', 'I am sad', { share_link: 'link-a' });
    await say('someone', 'bye');

    const listed = (await server.app.inject({ url: '/review/api/conversations?token=secret' })).json();
    const row = listed.conversations.find((entry: { sender_id: string }) => entry.sender_id === 'tester-1');
    expect(row).toMatchObject({ user_messages: 2, first_message: 'hello', last_message: 'I am sad', share_link: 'link-a', corrections: 0 });
    expect(row.intents).toContain('greet');
    expect(listed.conversations.find((entry: { sender_id: string }) => entry.sender_id === 'someone').share_link).toBeNull();

    const transcript = (await server.app.inject({ url: '/review/api/conversations/tester-1?token=secret' })).json();
    const greeting = transcript.turns.find((turn: { text: string | null }) => turn.text === 'hello');
    expect(greeting.intent.name).toBe('greet');
    expect(greeting.intent_ranking.length).toBeGreaterThan(1);
    expect(greeting.actions[0]).toMatchObject({ name: 'utter_greet' });
    expect(typeof greeting.actions[0].policy).toBe('string');
    expect(greeting.bot_messages[0].template).toBe('utter_greet');
    expect(transcript.session_starts).toHaveLength(1);

    const sad = transcript.turns.find((turn: { text: string | null }) => turn.text === 'I am sad');
    const saved = await server.app.inject({
      method: 'POST',
      url: '/review/api/corrections?token=secret',
      payload: { sender_id: 'tester-1', event_index: sad.event_index, intent: 'mood_unhappy', action: 'utter_cheer_up' },
    });
    expect(saved.statusCode).toBe(201);
    const exported = (await server.app.inject({ url: '/review/api/export?token=secret' })).json();
    expect(exported.nlu).toContain('- I am sad');
    expect(exported.stories).toContain('story: review tester-1 1');
  });

  it('names the bot after the project folder when config.yml has no real assistant_id', () => {
    expect(botNameOf(root, 'placeholder_default')).toBe(basename(root));
    expect(botNameOf(root, null)).toBe(basename(root));
    expect(botNameOf(root, 'shop_bot')).toBe('shop_bot');
  });
});
