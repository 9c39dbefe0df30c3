import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import { inlineHash } from '../../src/server/html-page.js';
import { SHARE_SCRIPT } from '../../src/share/share-page.js';
import { action, bot, MISREAD_INDEX, slot, startReview, testerConversation, user, type ReviewHarness } from './helpers/conversations.js';

const open: ReviewHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

async function review(options: Parameters<typeof startReview>[0] = {}): Promise<ReviewHarness> {
  const harness = await startReview(options);
  open.push(harness);
  return harness;
}

const T = '?token=secret';

describe('review API authentication', () => {
  it('answers 403 with how to turn review on when the server has no token or JWT secret', async () => {
    const { app } = await review({ auth: {} });
    const response = await app.inject({ url: '/review/api/conversations' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'NotAuthorized', code: 403 });
    expect(response.json().message).toContain('parley run --auth-token');
    expect(response.json().message).toContain('--share');
  });

  it('refuses a request without the token with a Rasa-shaped 401', async () => {
    const { app } = await review();
    const response = await app.inject({ url: '/review/api/conversations?token=wrong' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'NotAuthenticated' });
  });

  it('accepts an admin JWT and refuses a user JWT with 403', async () => {
    const { app } = await review({ auth: { jwtSecret: 'jwt-secret' } });
    const admin = jwt.sign({ user: { role: 'admin', username: 'me' } }, 'jwt-secret');
    const member = jwt.sign({ user: { role: 'user', username: 'me' } }, 'jwt-secret');
    expect((await app.inject({ url: '/review/api/conversations', headers: { authorization: `Bearer ${admin}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/review/api/conversations', headers: { authorization: `Bearer ${member}` } })).statusCode).toBe(403);
  });

  it('marks API answers as data that is never cached or framed', async () => {
    const { app } = await review();
    const response = await app.inject({ url: `/review/api/corrections${T}` });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });
});

describe('share links', () => {
  it('creates a link with a token and a URL on the request host, and lists links newest first', async () => {
    const { app } = await review();
    const first = await app.inject({ method: 'POST', url: `/review/api/share-links${T}`, payload: { label: 'friends' }, headers: { host: 'bot.example:5005' } });
    expect(first.statusCode).toBe(201);
    const link = first.json();
    expect(link).toMatchObject({ label: 'friends', revoked: false });
    expect(link.token).toMatch(/^[\w-]{32}$/);
    expect(link.url).toBe(`http://bot.example:5005/share?token=${link.token}`);
    expect(typeof link.created_at).toBe('number');
    const second = (await app.inject({ method: 'POST', url: `/review/api/share-links${T}` })).json();
    expect(second.label).toBeNull();
    const listed = (await app.inject({ url: `/review/api/share-links${T}` })).json().share_links;
    expect(listed.map((entry: { id: string }) => entry.id)).toEqual([second.id, link.id]);
  });

  it('rejects a label that is not text with a 400 naming the field', async () => {
    const { app } = await review();
    const response = await app.inject({ method: 'POST', url: `/review/api/share-links${T}`, payload: { label: 3 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual({ parameter: 'label', in: 'body' });
  });

  it('serves the chat page for a link, and a 403 page once the link is revoked', async () => {
    const { app } = await review();
    const link = (await app.inject({ method: 'POST', url: `/review/api/share-links${T}` })).json();
    const page = await app.inject({ url: `/share?token=${link.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Chat with moodbot</title>');
    expect(page.body).toContain('20260101-000000-test.tar.gz');
    expect(page.body).toContain(`data-share-link="${link.id}"`);
    expect(page.body).toContain('<script type="module" src="/webchat.js"></script>');
    expect(page.body).toContain(`<script>${SHARE_SCRIPT}</script>`);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain(`script-src 'self' ${inlineHash(SHARE_SCRIPT)}`);
    expect(csp).toContain("frame-ancestors 'none'");

    expect((await app.inject({ method: 'DELETE', url: `/review/api/share-links/${link.id}${T}` })).statusCode).toBe(204);
    const revoked = await app.inject({ url: `/share?token=${link.token}` });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.body).toContain('no longer valid');
    expect(revoked.body).not.toContain('<script');
    const listed = (await app.inject({ url: `/review/api/share-links${T}` })).json().share_links;
    expect(listed[0]).toMatchObject({ id: link.id, revoked: true });
  });

  it('answers 403 for an unknown or missing token and 404 for revoking an unknown link', async () => {
    const { app } = await review();
    expect((await app.inject({ url: '/share?token=nope' })).statusCode).toBe(403);
    expect((await app.inject({ url: '/share' })).statusCode).toBe(403);
    const missing = await app.inject({ method: 'DELETE', url: `/review/api/share-links/unknown${T}` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().reason).toBe('NotFound');
  });

  it('escapes the bot name in the page', async () => {
    const { app } = await review({ botName: '<b>bot</b>' });
    const link = (await app.inject({ method: 'POST', url: `/review/api/share-links${T}` })).json();
    const page = await app.inject({ url: `/share?token=${link.token}` });
    expect(page.body).not.toContain('<b>bot</b>');
    expect(page.body).toContain('&#60;b&#62;bot&#60;/b&#62;');
  });
});

describe('conversation list', () => {
  async function withConversations(): Promise<ReviewHarness> {
    const harness = await review();
    await harness.store.append('tester-old', testerConversation(100, 'link-1'));
    await harness.store.append('tester-new', testerConversation(500, 'link-2'));
    await harness.store.append('fallback', [
      action('action_session_start', 300, null, null),
      user('asdf qwerty', 'nlu_fallback', 0.3, 301),
      action('action_default_fallback', 302, 'RulePolicy', 1),
      bot("Sorry, I didn't get that.", 'utter_default', 302),
    ]);
    await harness.store.append('goodbye', [user('bye', 'goodbye', 0.99, 200), action('utter_goodbye', 201), bot('Bye', 'utter_goodbye', 201)]);
    return harness;
  }

  const list = async (harness: ReviewHarness, query = '') => (await harness.app.inject({ url: `/review/api/conversations${T}${query}` })).json();
  const ids = (page: { conversations: Array<{ sender_id: string }> }) => page.conversations.map((row) => row.sender_id);

  it('lists conversations newest first with their summary', async () => {
    const harness = await withConversations();
    const page = await list(harness);
    expect(page.total).toBe(4);
    expect(ids(page)).toEqual(['tester-new', 'fallback', 'goodbye', 'tester-old']);
    expect(page.conversations[0]).toEqual({
      sender_id: 'tester-new',
      latest_event_time: 504,
      user_messages: 2,
      first_message: 'hello there',
      last_message: 'i feel a bit down today',
      intents: ['greet', 'mood_great'],
      min_confidence: 0.41,
      has_fallback: false,
      share_link: 'link-2',
      corrections: 0,
    });
  });

  it('filters by text in user or bot messages, case-insensitively', async () => {
    const harness = await withConversations();
    expect(ids(await list(harness, '&q=DOWN'))).toEqual(['tester-new', 'tester-old']);
    expect(ids(await list(harness, "&q=didn't%20get"))).toEqual(['fallback']);
  });

  it('filters by intent, action, low confidence and fallback', async () => {
    const harness = await withConversations();
    expect(ids(await list(harness, '&intent=goodbye'))).toEqual(['goodbye']);
    expect(ids(await list(harness, '&action=utter_happy'))).toEqual(['tester-new', 'tester-old']);
    expect(ids(await list(harness, '&max_confidence=0.35'))).toEqual(['fallback']);
    expect(ids(await list(harness, '&max_confidence=0.5'))).toEqual(['tester-new', 'fallback', 'tester-old']);
    expect(ids(await list(harness, '&fallback=true'))).toEqual(['fallback']);
  });

  it('pages with limit and offset while total counts every match', async () => {
    const harness = await withConversations();
    const page = await list(harness, '&limit=2&offset=1');
    expect(ids(page)).toEqual(['fallback', 'goodbye']);
    expect(page.total).toBe(4);
  });

  it('rejects a confidence outside 0..1 and a negative limit with 400s naming the parameter', async () => {
    const harness = await withConversations();
    const confidence = await harness.app.inject({ url: `/review/api/conversations${T}&max_confidence=2` });
    expect(confidence.statusCode).toBe(400);
    expect(confidence.json().details).toEqual({ parameter: 'max_confidence', in: 'query' });
    expect((await harness.app.inject({ url: `/review/api/conversations${T}&limit=-1` })).json().details.parameter).toBe('limit');
  });

  it('sees messages added after an earlier listing', async () => {
    const harness = await withConversations();
    await list(harness);
    await harness.store.append('goodbye', [user('see you', 'goodbye', 0.2, 900)]);
    const page = await list(harness);
    expect(page.conversations[0]).toMatchObject({ sender_id: 'goodbye', user_messages: 2, min_confidence: 0.2, last_message: 'see you' });
  });
});

describe('conversation transcript', () => {
  it('splits the conversation into turns with predictions, policies, templates and slots', async () => {
    const harness = await review();
    await harness.store.append('tester', [
      ...testerConversation(100),
      slot('mood', 'sad', 106),
      action('action_session_start', 200, null, null),
      user('hi again', 'greet', 0.9, 201),
    ]);
    const response = await harness.app.inject({ url: `/review/api/conversations/tester${T}` });
    expect(response.statusCode).toBe(200);
    const transcript = response.json();
    expect(transcript.sender_id).toBe('tester');
    expect(transcript.session_starts).toEqual([0, 11]);
    expect(transcript.turns.map((turn: { text: string | null }) => turn.text)).toEqual([null, 'hello there', 'i feel a bit down today', 'hi again']);
    expect(transcript.turns[0]).toMatchObject({ event_index: 0, actions: [{ name: 'action_session_start', policy: null, confidence: null, event_index: 0 }] });
    const misread = transcript.turns[2];
    expect(misread).toMatchObject({
      event_index: MISREAD_INDEX,
      timestamp: 103,
      intent: { name: 'mood_great', confidence: 0.41 },
      intent_ranking: [{ name: 'mood_great', confidence: 0.41 }, { name: 'greet' }],
      entities: [],
      actions: [
        { name: 'utter_happy', policy: 'TEDPolicy', confidence: 0.62, event_index: 7 },
        { name: 'action_session_start', policy: null, confidence: null, event_index: 11 },
      ],
      bot_messages: [{ text: 'Great, carry on!', template: 'utter_happy' }],
      slots_set: { mood: 'sad' },
      corrections: [],
    });
  });

  it('answers a Rasa-shaped 404 for a conversation that does not exist', async () => {
    const { app } = await review();
    const response = await app.inject({ url: `/review/api/conversations/nobody${T}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'NotFound', message: 'Conversation ID not found.' });
  });

  it('finds conversation ids that contain a slash when it is percent-encoded', async () => {
    const harness = await review();
    await harness.store.append('team/alice', testerConversation());
    const response = await harness.app.inject({ url: `/review/api/conversations/${encodeURIComponent('team/alice')}${T}` });
    expect(response.statusCode).toBe(200);
    expect(response.json().sender_id).toBe('team/alice');
  });
});

describe('corrections', () => {
  async function withTester(): Promise<ReviewHarness> {
    const harness = await review();
    await harness.store.append('tester', testerConversation());
    return harness;
  }
  const post = (harness: ReviewHarness, payload: Record<string, unknown>) =>
    harness.app.inject({ method: 'POST', url: `/review/api/corrections${T}`, payload });

  it('saves a correction, shows it on its turn and counts it in the list', async () => {
    const harness = await withTester();
    const response = await post(harness, { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'mood_unhappy', action: 'utter_cheer_up' });
    expect(response.statusCode).toBe(201);
    const correction = response.json();
    expect(correction).toMatchObject({
      sender_id: 'tester',
      event_index: MISREAD_INDEX,
      text: 'i feel a bit down today',
      intent: 'mood_unhappy',
      entities: null,
      action: 'utter_cheer_up',
    });
    expect(typeof correction.id).toBe('string');
    const transcript = (await harness.app.inject({ url: `/review/api/conversations/tester${T}` })).json();
    expect(transcript.turns[2].corrections).toEqual([correction]);
    const listed = (await harness.app.inject({ url: `/review/api/conversations${T}` })).json();
    expect(listed.conversations[0].corrections).toBe(1);
    expect((await harness.app.inject({ url: `/review/api/corrections${T}` })).json()).toEqual({ corrections: [correction] });
  });

  it('replaces an earlier correction of the same message', async () => {
    const harness = await withTester();
    await post(harness, { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'greet' });
    await post(harness, { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'mood_unhappy' });
    const { corrections } = (await harness.app.inject({ url: `/review/api/corrections${T}` })).json();
    expect(corrections.map((entry: { intent: string }) => entry.intent)).toEqual(['mood_unhappy']);
  });

  it('deletes a correction with 204 and answers 404 for an unknown one', async () => {
    const harness = await withTester();
    const correction = (await post(harness, { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'mood_unhappy' })).json();
    expect((await harness.app.inject({ method: 'DELETE', url: `/review/api/corrections/${correction.id}${T}` })).statusCode).toBe(204);
    expect((await harness.app.inject({ url: `/review/api/corrections${T}` })).json().corrections).toEqual([]);
    expect((await harness.app.inject({ method: 'DELETE', url: `/review/api/corrections/${correction.id}${T}` })).statusCode).toBe(404);
  });

  it.each([
    [{ sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'no_such_intent' }, 'intent'],
    [{ sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'nlu_fallback' }, 'intent'],
    [{ sender_id: 'tester', event_index: MISREAD_INDEX, action: 'utter_nothing' }, 'action'],
    [{ sender_id: 'tester', event_index: 3, intent: 'greet' }, 'event_index'],
    [{ sender_id: 'tester', event_index: 99, intent: 'greet' }, 'event_index'],
    [{ sender_id: 'nobody', event_index: 2, intent: 'greet' }, 'sender_id'],
    [{ sender_id: 'tester', event_index: MISREAD_INDEX }, 'intent'],
    [{ sender_id: 'tester', event_index: -1, intent: 'greet' }, 'event_index'],
    [{ sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'greet', extra: 1 }, ''],
  ])('rejects %j with a 400 naming %s', async (payload, field) => {
    const harness = await withTester();
    const response = await post(harness, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'BadRequest', details: { parameter: field, in: 'body' } });
  });

  it('checks entities against the text and the domain', async () => {
    const harness = await review({ domainRoot: (await import('./helpers/conversations.js')).FORMBOT });
    await harness.store.append('diner', [user('a table for 4 with thai food', 'inform', 0.8, 10)]);
    const bad = async (entities: unknown[]) =>
      (await post(harness, { sender_id: 'diner', event_index: 0, entities })).json().details?.parameter;
    expect(await bad([{ start: 20, end: 40, entity: 'cuisine' }])).toBe('entities.0');
    expect(await bad([{ start: 19, end: 23, entity: 'dish' }])).toBe('entities.0.entity');
    expect(await bad([{ start: 19, end: 23, entity: 'cuisine', role: 'starter' }])).toBe('entities.0.role');
    expect(await bad([{ start: 12, end: 13, entity: 'number' }, { start: 12, end: 21, entity: 'cuisine' }])).toBe('entities.1');
    const saved = await post(harness, { sender_id: 'diner', event_index: 0, entities: [{ start: 19, end: 23, entity: 'cuisine' }, { start: 12, end: 13, entity: 'number', value: 'four' }] });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().entities).toEqual([
      { start: 12, end: 13, entity: 'number', value: 'four' },
      { start: 19, end: 23, entity: 'cuisine', value: 'thai' },
    ]);
  });

  it('answers 409 when no model is loaded to check against', async () => {
    const harness = await review({ domain: () => null });
    await harness.store.append('tester', testerConversation());
    const response = await post(harness, { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'greet' });
    expect(response.statusCode).toBe(409);
  });
});

describe('export', () => {
  it('returns both files as JSON and each as a download', async () => {
    const harness = await review();
    await harness.store.append('tester', testerConversation());
    await harness.app.inject({
      method: 'POST',
      url: `/review/api/corrections${T}`,
      payload: { sender_id: 'tester', event_index: MISREAD_INDEX, intent: 'mood_unhappy', action: 'utter_cheer_up' },
    });
    const json = (await harness.app.inject({ url: `/review/api/export${T}` })).json();
    expect(json.nlu).toContain('- intent: mood_unhappy');
    expect(json.nlu).toContain('- i feel a bit down today');
    expect(json.stories).toContain('story: review tester 1');
    const nlu = await harness.app.inject({ url: `/review/api/export/nlu.yml${T}` });
    expect(nlu.headers['content-disposition']).toBe('attachment; filename="review_nlu.yml"');
    expect(nlu.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(nlu.body).toBe(json.nlu);
    const stories = await harness.app.inject({ url: `/review/api/export/stories.yml${T}` });
    expect(stories.headers['content-disposition']).toBe('attachment; filename="review_stories.yml"');
    expect(stories.body).toBe(json.stories);
  });
});

describe('domain', () => {
  it("returns the served model's domain as GET /domain does", async () => {
    const harness = await review();
    const domain = (await harness.app.inject({ url: `/review/api/domain${T}` })).json();
    expect(domain.intents).toContain('mood_unhappy');
    expect(Object.keys(domain.responses)).toContain('utter_cheer_up');
  });
});

describe('review page', () => {
  it('serves the page without auth under a strict CSP', async () => {
    const { app } = await review();
    const page = await app.inject({ url: '/review' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<parley-review');
    expect(page.body).toContain('<title>Review · moodbot</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
  });

  it('serves the built script compressed, with an ETag, and 404s until it is built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-review-script-'));
    const file = join(dir, 'review.js');
    const { app } = await review({ scriptFile: file });
    expect((await app.inject({ url: '/review/review.js' })).statusCode).toBe(404);
    writeFileSync(file, 'console.log("review");'.repeat(50));
    const page = await app.inject({ url: '/review' });
    const version = /review\.js\?v=([\w-]+)/.exec(page.body)?.[1];
    expect(version).toBeDefined();
    const script = await app.inject({ url: `/review/review.js?v=${version}`, headers: { 'accept-encoding': 'gzip' } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(script.headers['cache-control']).toContain('immutable');
    expect(gunzipSync(script.rawPayload).toString()).toContain('console.log("review")');
    const again = await app.inject({ url: '/review/review.js', headers: { 'if-none-match': script.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    rmSync(dir, { recursive: true, force: true });
  });
});
