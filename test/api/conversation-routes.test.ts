import { request as httpRequest } from 'node:http';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../channels/helpers/receiver.js';
import { closeApis, moodbotModel, startApi, type ApiHarness } from './helpers/api-server.js';

beforeAll(async () => {
  await moodbotModel();
}, 60_000);
afterEach(closeApis);

async function inject(api: ApiHarness, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return api.server.app.inject({ method, url, payload: payload as never, headers });
}

/** What the rasa-bot web component does for one user text; returns the bot texts it would render. */
async function rasaBotTurn(api: ApiHarness, conversation: string, text: string, token = 'undefined'): Promise<string[]> {
  const base = `/conversations/${encodeURIComponent(conversation)}`;
  const logged = await inject(api, 'POST', `${base}/messages?token=${token}`, { text, sender: 'user' });
  expect(logged.statusCode).toBe(200);
  const texts: string[] = [];
  for (let step = 0; step < 10; step += 1) {
    const predicted = await api.server.app.inject({ method: 'POST', url: `${base}/predict?token=${token}` });
    expect(predicted.statusCode).toBe(200);
    const action = predicted.json().scores[0].action as string;
    const executed = await inject(api, 'POST', `${base}/execute?token=${token}`, { name: action });
    expect(executed.statusCode).toBe(200);
    const messages = executed.json().messages as Array<{ text?: string }>;
    if (messages.length === 0) return texts;
    texts.push(...messages.map((message) => message.text ?? ''));
  }
  throw new Error('the predict/execute loop did not end');
}

describe('the rasa-bot web component flow', () => {
  it('logs the message, predicts, executes until an execute returns no messages', async () => {
    const api = await startApi();
    expect(await rasaBotTurn(api, 'web-1', 'hi')).toEqual(['Hey! How are you?']);
    const tracker = (await inject(api, 'GET', '/conversations/web-1/tracker')).json();
    const names = tracker.events.filter((event: { event: string }) => event.event === 'action').map((event: { name: string }) => event.name);
    expect(names).toEqual(['action_session_start', 'action_listen', 'utter_greet', 'action_listen']);
    expect(tracker.latest_message.intent.name).toBe('greet');
  });

  it('sorts scores by score, highest first, ties by action name', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/s/messages', { text: 'hi', sender: 'user' });
    const body = (await api.server.app.inject({ method: 'POST', url: '/conversations/s/predict' })).json();
    expect(body.scores[0]).toEqual({ action: 'utter_greet', score: expect.any(Number) });
    for (let index = 1; index < body.scores.length; index += 1) {
      const [before, after] = [body.scores[index - 1], body.scores[index]];
      expect(before.score > after.score || (before.score === after.score && before.action < after.action)).toBe(true);
    }
    expect(body.scores.map((score: { action: string }) => score.action)).toContain('action_listen');
    expect(typeof body.policy).toBe('string');
    expect(body.confidence).toBeGreaterThan(0);
    expect(body.tracker.sender_id).toBe('s');
  });
});

const greetEvent = { event: 'user', text: 'hello', parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [] } };

describe('GET /conversations/{id}/tracker', () => {
  it('shows a new conversation with its session start, without storing it', async () => {
    const api = await startApi();
    const response = await inject(api, 'GET', '/conversations/fresh/tracker');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.sender_id).toBe('fresh');
    expect(body.events.map((event: { event: string }) => event.event)).toEqual(['action', 'session_started', 'action']);
    expect(Object.keys(body).sort()).toEqual(
      ['active_loop', 'events', 'followup_action', 'latest_action', 'latest_action_name', 'latest_event_time', 'latest_input_channel', 'latest_message', 'paused', 'sender_id', 'slots'].sort(),
    );
    expect(await api.holder.trackerStore.keys()).toEqual([]);
  });

  it('gives events per include_events, case-insensitively, and null for none', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/v/tracker/events', [greetEvent, { event: 'restart' }, greetEvent]);
    const count = async (value: string) => (await inject(api, 'GET', `/conversations/v/tracker?include_events=${value}`)).json().events?.length ?? null;
    expect(await count('all')).toBe(6);
    expect(await count('AFTER_RESTART')).toBe(1);
    expect(await count('applied')).toBe(1);
    expect(await count('None')).toBeNull();
  });

  it('rejects an unknown include_events value with 400 naming the parameter', async () => {
    const api = await startApi();
    const response = await inject(api, 'GET', '/conversations/v/tracker?include_events=SOME');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      status: 'failure',
      reason: 'BadRequest',
      message: "Invalid parameter value for 'include_events'. Should be one of NONE, APPLIED, AFTER_RESTART, ALL",
      details: { parameter: 'include_events', in: 'query' },
      code: 400,
    });
  });

  it('replays only events up to `until` and ignores an unparsable value', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/t/tracker/events', [
      { ...greetEvent, timestamp: 100 },
      { event: 'slot', name: 'x', value: 1, timestamp: 200 },
      { event: 'action', name: 'utter_greet', timestamp: 300 },
    ]);
    const until = (await inject(api, 'GET', '/conversations/t/tracker?until=250&include_events=ALL')).json();
    expect(until.events.map((event: { event: string }) => event.event)).toEqual(['user', 'slot']);
    expect(until.latest_event_time).toBe(200);
    const ignored = (await inject(api, 'GET', '/conversations/t/tracker?until=soon&include_events=ALL')).json();
    expect(ignored.events.map((event: { event: string }) => event.event)).toEqual(['action', 'session_started', 'action', 'user', 'slot', 'action']);
  });
});

describe('POST and PUT /conversations/{id}/tracker/events', () => {
  it('appends one event or a list, starting a session for a new conversation', async () => {
    const api = await startApi();
    const one = await inject(api, 'POST', '/conversations/e/tracker/events', { event: 'slot', name: 'mood', value: 'ok' });
    expect(one.statusCode).toBe(200);
    expect(one.json().events.map((event: { event: string }) => event.event)).toEqual(['action', 'session_started', 'action', 'slot']);
    const two = await inject(api, 'POST', '/conversations/e/tracker/events', [greetEvent, { event: 'action', name: 'utter_greet' }]);
    expect(two.json().events).toHaveLength(6);
    expect(two.json().latest_action_name).toBe('utter_greet');
  });

  it('does not add a session start when the events bring one', async () => {
    const api = await startApi();
    const body = [{ event: 'action', name: 'action_session_start' }, { event: 'session_started' }, greetEvent];
    const response = await inject(api, 'POST', '/conversations/own/tracker/events', body);
    expect(response.json().events.map((event: { event: string }) => event.event)).toEqual(['action', 'session_started', 'user']);
  });

  it('rejects invalid events with Rasa’s message and help link, storing nothing', async () => {
    const api = await startApi();
    const response = await inject(api, 'POST', '/conversations/bad/tracker/events', [greetEvent, { event: 'slot', value: 1 }]);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.message).toMatch(/^Failed to validate the events format\. For more information about the format visit the docs\. Error: .*events\[1\]/);
    expect(body.help).toBe('https://rasa.com/docs/rasa/pages/http-api');
    expect(await api.holder.trackerStore.keys()).toEqual([]);
  });

  it('rejects a body without events and a body of only legacy topic events', async () => {
    const api = await startApi();
    expect((await inject(api, 'POST', '/conversations/x/tracker/events')).statusCode).toBe(400);
    const topics = await inject(api, 'POST', '/conversations/x/tracker/events', [{ event: 'topic', topic: 'a' }]);
    expect(topics.statusCode).toBe(400);
    expect(topics.json()).toMatchObject({ message: "Couldn't extract a proper event from the request body.", details: { parameter: '', in: 'body' } });
  });

  it('replaces the conversation with PUT: the latest state shows only the new events', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/r/tracker/events', [greetEvent, { event: 'slot', name: 'a', value: 1 }]);
    const put = await inject(api, 'PUT', '/conversations/r/tracker/events', [{ event: 'action', name: 'utter_happy', timestamp: 5 }]);
    expect(put.statusCode).toBe(200);
    expect(put.json().events).toEqual([expect.objectContaining({ event: 'action', name: 'utter_happy', timestamp: 5 })]);
    const after = (await inject(api, 'GET', '/conversations/r/tracker')).json();
    expect(after.events.map((event: { name?: string }) => event.name)).toEqual(['utter_happy']);
    expect(after.latest_message.intent).toEqual({});
  });

  it('refuses a PUT body that is not a list', async () => {
    const api = await startApi();
    const response = await inject(api, 'PUT', '/conversations/r/tracker/events', greetEvent);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/must be a list of events/);
  });
});

describe('GET /conversations/{id}/story', () => {
  it('exports the latest session as a YAML test story', async () => {
    const api = await startApi();
    await rasaBotTurn(api, 'st', 'hi');
    const response = await inject(api, 'GET', '/conversations/st/story');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe(['version: "3.1"', 'stories:', '- story: st', '  steps:', '  - user: |-', '      hi', '    intent: greet', '  - action: utter_greet', ''].join('\n'));
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const api = await startApi();
    const response = await inject(api, 'GET', '/conversations/nobody/story');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('Conversation ID not found.');
  });
});

describe('POST /conversations/{id}/trigger_intent', () => {
  it('injects the intent, runs the bot and returns tracker and collected messages', async () => {
    const api = await startApi();
    const response = await inject(api, 'POST', '/conversations/ti/trigger_intent', { name: 'greet', entities: null });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.messages).toEqual([{ recipient_id: 'ti', text: 'Hey! How are you?' }]);
    expect(body.tracker.latest_message.text).toBe('EXTERNAL: greet');
    expect(body.tracker.latest_action_name).toBe('action_listen');
  });

  it('answers 400 without a name and 404 for an intent not in the domain', async () => {
    const api = await startApi();
    const missing = await inject(api, 'POST', '/conversations/ti/trigger_intent', { entities: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ message: 'Name of the intent not provided in request body.', details: { parameter: 'name', in: 'body' } });
    const unknown = await inject(api, 'POST', '/conversations/ti/trigger_intent', { name: 'order_pizza' });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('POST /conversations/{id}/messages', () => {
  it('logs the user message without predicting an action', async () => {
    const api = await startApi();
    const response = await inject(api, 'POST', '/conversations/m/messages', { text: 'hi', sender: 'user' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.latest_message.intent.name).toBe('greet');
    expect(body.events.map((event: { event: string }) => event.event)).toEqual(['action', 'session_started', 'action', 'user']);
    const user = body.events[3];
    expect(user.input_channel).toBeNull();
    expect(user.message_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses given parse_data instead of the NLU', async () => {
    const api = await startApi();
    const body = { text: 'whatever', sender: 'user', parse_data: { intent: { name: 'mood_great', confidence: 1 }, entities: [] } };
    const response = await inject(api, 'POST', '/conversations/m/messages', body);
    expect(response.json().latest_message.intent.name).toBe('mood_great');
  });

  it('answers 400 for an empty body and for a sender other than user', async () => {
    const api = await startApi();
    const empty = await inject(api, 'POST', '/conversations/m/messages', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('No message defined in request body. Add a message to the request body in order to add it to the tracker.');
    const bot = await inject(api, 'POST', '/conversations/m/messages', { text: 'hi', sender: 'bot' });
    expect(bot.statusCode).toBe(400);
    expect(bot.json()).toMatchObject({
      message: "Currently, only user messages can be passed to this endpoint. Messages of sender 'bot' cannot be handled.",
      details: { parameter: 'sender', in: 'body' },
    });
  });

  it('answers 400 naming the field when text is not a string', async () => {
    const api = await startApi();
    const response = await inject(api, 'POST', '/conversations/m/messages', { text: 42, sender: 'user' });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual({ parameter: 'text', in: 'body' });
  });
});

describe('POST /conversations/{id}/predict and /execute', () => {
  it('answer 404 for a conversation that does not exist', async () => {
    const api = await startApi();
    expect((await api.server.app.inject({ method: 'POST', url: '/conversations/none/predict' })).statusCode).toBe(404);
    expect((await inject(api, 'POST', '/conversations/none/execute', { name: 'utter_greet' })).statusCode).toBe(404);
  });

  it('execute answers 400 without a name and 500 ConversationError for an unknown action', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/ex/messages', { text: 'hi', sender: 'user' });
    const missing = await inject(api, 'POST', '/conversations/ex/execute', { policy: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('Name of the action not provided in request body.');
    const unknown = await inject(api, 'POST', '/conversations/ex/execute', { name: 'action_nope' });
    expect(unknown.statusCode).toBe(500);
    expect(unknown.json().reason).toBe('ConversationError');
  });

  it('execute logs the action with the given policy and confidence', async () => {
    const api = await startApi();
    await inject(api, 'POST', '/conversations/ex/messages', { text: 'hi', sender: 'user' });
    const response = await inject(api, 'POST', '/conversations/ex/execute?include_events=ALL', { name: 'utter_greet', policy: 'Manual', confidence: 0.5 });
    const actions = response.json().tracker.events.filter((event: { event: string }) => event.event === 'action');
    expect(actions[actions.length - 1]).toMatchObject({ name: 'utter_greet', policy: 'Manual', confidence: 0.5 });
  });

  it('answer 409 with Rasa’s message when no model is loaded', async () => {
    const api = await startApi({ noModel: true });
    const response = await api.server.app.inject({ method: 'POST', url: '/conversations/a/predict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      reason: 'Conflict',
      message: 'No agent loaded. To continue processing, a model of a trained agent needs to be loaded.',
      help: 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/',
    });
  });
});

describe('conversation ids', () => {
  it('may contain slashes, unicode and dots, and are used verbatim', async () => {
    const api = await startApi();
    const ids = ['team/42/chat', 'ü-ß-😀', '../../etc/passwd', 'a/tracker', '.hidden'];
    for (const id of ids) {
      const response = await inject(api, 'POST', `/conversations/${encodeURIComponent(id)}/messages`, { text: 'hi', sender: 'user' });
      expect(response.statusCode, id).toBe(200);
      expect(response.json().sender_id).toBe(id);
    }
    expect((await api.holder.trackerStore.keys()).sort()).toEqual([...ids].sort());
  });

  it('takes a literal `..` segment as the id when a raw client sends one', async () => {
    const api = await startApi();
    const url = await api.server.listen({ port: 0, host: '127.0.0.1' });
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(`${url}/conversations/../tracker`, { path: '/conversations/../tracker' }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve(text));
      });
      request.on('error', reject);
      request.end();
    });
    expect(JSON.parse(body).sender_id).toBe('..');
  });

  it('may contain an encoded slash', async () => {
    const api = await startApi();
    const response = await inject(api, 'GET', '/conversations/a%2Fb/tracker');
    expect(response.json().sender_id).toBe('a/b');
  });

  it('are refused with 400 when they hold control characters or are too long', async () => {
    const api = await startApi({ limits: { conversationIdLength: 64 } });
    const control = await inject(api, 'GET', '/conversations/a%0Ab/tracker');
    expect(control.statusCode).toBe(400);
    expect(control.json().details).toEqual({ parameter: 'conversation_id', in: 'path' });
    const long = await inject(api, 'GET', `/conversations/${'x'.repeat(65)}/tracker`);
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toMatch(/at most 64/);
    expect(await api.holder.trackerStore.keys()).toEqual([]);
  });

  it('answers 404 for an unknown endpoint under /conversations', async () => {
    const api = await startApi();
    expect((await inject(api, 'GET', '/conversations/a/predict')).statusCode).toBe(404);
    expect((await inject(api, 'POST', '/conversations/predict')).statusCode).toBe(404);
  });
});

describe('output_channel', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  const withCallback = () =>
    startApi({ credentials: [{ name: 'rest', options: null }, { name: 'callback', options: { url: `${receiver.url}/bot` } }] });

  it('sends bot events to the callback channel with execute_side_effects=true (channels §6.1 item 22)', async () => {
    const api = await withCallback();
    const url = '/conversations/cb-1/tracker/events?execute_side_effects=true&output_channel=callback';
    const response = await inject(api, 'POST', url, { event: 'bot', text: 'Pushed to you' });
    expect(response.statusCode).toBe(200);
    expect(receiver.requests.map((request) => request.body)).toEqual([{ recipient_id: 'cb-1', text: 'Pushed to you' }]);
  });

  it('sends nothing without execute_side_effects and output_channel', async () => {
    const api = await withCallback();
    await inject(api, 'POST', '/conversations/cb-2/tracker/events', { event: 'bot', text: 'Only stored' });
    expect(receiver.requests).toEqual([]);
  });

  it('collects messages into the response for rest, unknown names and no parameter (item 23)', async () => {
    const api = await withCallback();
    for (const query of ['?output_channel=rest', '?output_channel=no_such_channel', '']) {
      const response = await inject(api, 'POST', `/conversations/oc${query.length}/trigger_intent${query}`, { name: 'greet' });
      expect(response.json().messages, query).toEqual([{ recipient_id: `oc${query.length}`, text: 'Hey! How are you?' }]);
    }
    expect(receiver.requests).toEqual([]);
  });

  it('sends to the named channel and leaves messages out of the response', async () => {
    const api = await withCallback();
    const response = await inject(api, 'POST', '/conversations/oc/trigger_intent?output_channel=callback', { name: 'greet' });
    expect(response.json()).not.toHaveProperty('messages');
    expect(receiver.requests.map((request) => request.body)).toEqual([{ recipient_id: 'oc', text: 'Hey! How are you?' }]);
  });

  it('uses the conversation’s latest input channel for output_channel=latest', async () => {
    const api = await withCallback();
    const userFromCallback = { ...greetEvent, input_channel: 'callback' };
    await inject(api, 'POST', '/conversations/lt/tracker/events', [userFromCallback]);
    const response = await inject(api, 'POST', '/conversations/lt/execute?output_channel=latest', { name: 'utter_greet' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).not.toHaveProperty('messages');
    expect(receiver.requests.map((request) => request.body)).toEqual([{ recipient_id: 'lt', text: 'Hey! How are you?' }]);
  });
});
