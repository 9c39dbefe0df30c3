import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/core/actions/action.js';
import { parseActionEndpoint, type ActionEndpointConfig } from '../../../src/core/actions/action-server.js';
import { ActionRegistry } from '../../../src/core/actions/registry.js';
import { RemoteAction } from '../../../src/core/actions/remote-action.js';
import { actionExecuted, simpleEvent, slotSet } from '../../../src/core/events.js';
import { TemplatedNaturalLanguageGenerator } from '../../../src/core/nlg.js';
import type { PolicyTracker } from '../../../src/core/policies/types.js';
import { DialogueStateTracker } from '../../../src/core/tracker.js';
import { silentLogger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import { MemoryTrackerStore } from '../../../src/stores/memory-tracker-store.js';
import { sdkSlot, startActionServer, type ActionServer } from '../helpers/action-server.js';
import { domainFromYaml } from '../helpers/domain.js';
import { describeEvents, setupProcessor } from '../helpers/processor-setup.js';
import { capturingLogger, CollectingOutput, scriptedInterpreter } from '../helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [greet]
slots:
  name:
    type: text
    mappings:
    - type: custom
responses:
  utter_greet:
  - text: "Hello {name}!"
    buttons:
    - title: "Hi"
      payload: "/greet"
  utter_fallback:
  - text: "fallback"
actions:
  - action_hello
  - action_refuse
  - action_crash
  - action_slow
  - action_garbage
  - action_bad_events
  - action_secret: {send_domain: true}
`;

let domain: Domain;
let server: ActionServer;
let releaseSlow: () => void = () => undefined;

beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
  server = await startActionServer({
    action_hello: () => ({
      events: [sdkSlot('name', 'Ann')],
      responses: [
        { text: 'Plain text', buttons: [], elements: [], custom: {}, template: null, response: null, image: null, attachment: null },
        { response: 'utter_greet', name: 'Bob', buttons: [{ title: 'Extra', payload: '/extra' }] },
        { response: 'utter_missing' },
        { custom: { type: 'map', lat: 1.5 } },
        { image: 'https://x.org/sun.png', mood: 'sunny' },
      ],
    }),
    action_refuse: () => ({ status: 400, body: { action_name: 'action_refuse', error: 'not now' } }),
    action_crash: () => ({ status: 500, body: { error: 'boom' } }),
    action_slow: () =>
      new Promise((resolve) => {
        releaseSlow = () => resolve({ events: [] });
      }),
    action_garbage: () => ({ status: 200, body: 'not json at all' }),
    action_bad_events: () => ({ events: [{ event: 'slot', value: 1 }] }),
    action_secret: () => ({ events: [] }),
  });
});
afterAll(async () => {
  releaseSlow();
  await server.close();
});

function context(endpoint: ActionEndpointConfig | null, tracker = new DialogueStateTracker('ann', domain.slots)): ActionContext {
  return {
    tracker,
    domain,
    output: new CollectingOutput(),
    nlg: new TemplatedNaturalLanguageGenerator(domain.responses),
    actions: new ActionRegistry(domain, endpoint),
    logger: silentLogger(),
  };
}

const endpoint = (extra: Record<string, unknown> = {}) => parseActionEndpoint({ url: server.url, ...extra })!;

describe('RemoteAction', () => {
  it('turns responses into bot events first, then the returned events', async () => {
    const events = await new RemoteAction('action_hello', endpoint()).run(context(endpoint()));
    expect(events.map((event) => event.event)).toEqual(['bot', 'bot', 'bot', 'bot', 'slot']);
    const [plain, greet, custom, image] = events as Array<Extract<(typeof events)[number], { event: 'bot' }>>;
    expect(plain.text).toBe('Plain text');
    expect(plain.metadata).toEqual({});
    expect(greet.text).toBe('Hello Bob!');
    expect(greet.data.buttons).toEqual([
      { title: 'Hi', payload: '/greet' },
      { title: 'Extra', payload: '/extra' },
    ]);
    expect(greet.metadata).toEqual({ utter_action: 'utter_greet', name: 'Bob' });
    expect(custom.data.custom).toEqual({ type: 'map', lat: 1.5 });
    expect(image.data).toMatchObject({ image: 'https://x.org/sun.png', attachment: 'https://x.org/sun.png' });
    expect(image.metadata).toEqual({ mood: 'sunny' });
  });

  it('sends next_action, sender_id, the tracker with all its events, the domain and the version', async () => {
    const tracker = DialogueStateTracker.fromEvents('ann', [actionExecuted('action_listen'), slotSet('name', 'x')], domain.slots);
    await new RemoteAction('action_hello', endpoint()).run(context(endpoint(), tracker));
    const request = server.requests.at(-1)!;
    expect(request.body).toMatchObject({
      next_action: 'action_hello',
      sender_id: 'ann',
      tracker: { sender_id: 'ann', slots: { name: 'x' }, events: [{ event: 'action' }, { event: 'slot' }] },
      domain: domain.serialized,
      version: '3.6.21',
    });
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('adds headers, query parameters, the token and basic auth from the endpoint config', async () => {
    const configured = endpoint({
      headers: { 'X-Team': 'bots' },
      params: { region: 'eu' },
      token: 's3cret',
      token_name: 'auth',
      basic_auth: { username: 'u', password: 'p' },
    });
    await new RemoteAction('action_secret', configured).run(context(configured));
    const request = server.requests.at(-1)!;
    expect(request.url).toBe('/webhook?region=eu&auth=s3cret');
    expect(request.headers['x-team']).toBe('bots');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('sends the domain only to send_domain and validate_ actions with enable_selective_domain', async () => {
    const selective = endpoint({ enable_selective_domain: true });
    await new RemoteAction('action_hello', selective).run(context(selective));
    expect(server.requests.at(-1)!.body.domain).toBeUndefined();
    await new RemoteAction('action_secret', selective).run(context(selective));
    expect(server.requests.at(-1)!.body.domain).toEqual(domain.serialized);
  });

  it('deflates the body when COMPRESS_ACTION_SERVER_REQUEST is true', async () => {
    const compressed = parseActionEndpoint({ url: server.url }, { COMPRESS_ACTION_SERVER_REQUEST: 'true' })!;
    await new RemoteAction('action_secret', compressed).run(context(compressed));
    expect(server.requests.at(-1)!.headers['content-encoding']).toBe('deflate');
    expect(server.requests.at(-1)!.body.next_action).toBe('action_secret');
  });

  it('rejects on 400 with an action_name and fails on anything else', async () => {
    await expect(new RemoteAction('action_refuse', endpoint()).run(context(endpoint()))).rejects.toMatchObject({
      name: 'ActionExecutionRejection',
      actionName: 'action_refuse',
      message: 'not now',
    });
    await expect(new RemoteAction('action_crash', endpoint()).run(context(endpoint()))).rejects.toMatchObject({
      code: 'PARLEY_ERR_ACTION_SERVER',
      message: expect.stringContaining('status 500'),
    });
    await expect(new RemoteAction('action_unknown', endpoint()).run(context(endpoint()))).rejects.toMatchObject({
      message: expect.stringContaining('status 404'),
    });
    await expect(new RemoteAction('action_garbage', endpoint()).run(context(endpoint()))).rejects.toMatchObject({
      message: expect.stringContaining('not JSON'),
    });
    await expect(new RemoteAction('action_bad_events', endpoint()).run(context(endpoint()))).rejects.toMatchObject({
      message: expect.stringContaining("'name'"),
    });
  });

  it('fails with a clear message when no action server is configured', async () => {
    await expect(new RemoteAction('action_hello', null).run(context(null))).rejects.toMatchObject({
      code: 'PARLEY_ERR_ACTION_SERVER',
      message: expect.stringContaining("'action_endpoint.url' in endpoints.yml"),
    });
  });

  it('fails when the action server does not answer in time', async () => {
    const impatient = endpoint({ timeout: 0.05 });
    await expect(new RemoteAction('action_slow', impatient).run(context(impatient))).rejects.toMatchObject({
      message: expect.stringContaining('did not answer within 0.05 s'),
    });
    releaseSlow();
  });

  it('fails when nothing listens at the url', async () => {
    const closed = await startActionServer({});
    const url = closed.url;
    await closed.close();
    const down = parseActionEndpoint({ url })!;
    await expect(new RemoteAction('action_hello', down).run(context(down))).rejects.toMatchObject({
      message: expect.stringContaining("couldn't connect"),
    });
  });
});

describe('parseActionEndpoint', () => {
  it('fills the defaults', () => {
    expect(parseActionEndpoint({ url: 'http://localhost:5055/webhook' })).toEqual({
      url: 'http://localhost:5055/webhook',
      headers: {},
      params: {},
      token: null,
      tokenName: 'token',
      basicAuth: null,
      timeoutSeconds: 300,
      sendFullHistory: false,
      enableSelectiveDomain: false,
      compressRequests: false,
    });
    expect(parseActionEndpoint(null)).toBeNull();
  });

  it('reads flags and the timeout from strings, as ${VAR} expansion leaves them', () => {
    expect(parseActionEndpoint({ url: 'http://x', send_full_history: 'True', timeout: '2.5' })).toMatchObject({
      sendFullHistory: true,
      timeoutSeconds: 2.5,
    });
  });

  it('names the bad field of an unusable entry', () => {
    expect(() => parseActionEndpoint({ url: 42 })).toThrow(/action_endpoint\.url/);
    expect(() => parseActionEndpoint({ url: 'http://x', timeout: -1 })).toThrow(/action_endpoint\.timeout/);
  });
});

describe('custom actions in the prediction loop (§15 item 11)', () => {
  const interpreter = scriptedInterpreter({ hi: { intent: 'greet' } });
  const runAndFallBack = (first: string) => (tracker: PolicyTracker) => {
    if (tracker.latestActionName === 'action_listen') {
      const rejected = tracker.appliedEvents.at(-1)?.event === 'action_execution_rejected';
      return rejected ? 'utter_fallback' : first;
    }
    if (tracker.latestActionName === first) return 'utter_fallback';
    return 'action_listen';
  };

  it('logs only action_execution_rejected for a 400 and predicts again', async () => {
    const { send, stored } = setupProcessor({ domain, interpreter, decide: runAndFallBack('action_refuse'), actionEndpoint: endpoint() });
    await send('hi');
    const events = await stored();
    expect(describeEvents(events.slice(3))).toEqual([
      'user:hi',
      'rejected:action_refuse',
      'user_featurization:false',
      'action:utter_fallback',
      'bot:fallback',
      'action:action_listen',
    ]);
    expect(events[4]).toMatchObject({ policy: 'RulePolicy', confidence: 1, metadata: { model_id: 'model-1' } });
  });

  it('logs the action with no events for a 500, logs the error and goes on', async () => {
    const { logger, lines } = capturingLogger();
    const { send, stored } = setupProcessor({ domain, interpreter, logger, decide: runAndFallBack('action_crash'), actionEndpoint: endpoint() });
    await send('hi');
    expect(describeEvents((await stored()).slice(3))).toEqual([
      'user:hi',
      'user_featurization:false',
      'action:action_crash',
      'action:utter_fallback',
      'bot:fallback',
      'action:action_listen',
    ]);
    expect(lines().find((line) => line.event === 'processor.action.failed')?.msg).toContain("Failed to execute custom action 'action_crash'");
  });

  it('logs the returned events after the action event, each restamped, and sends the bot messages', async () => {
    const { send, stored, output } = setupProcessor({ domain, interpreter, decide: runAndFallBack('action_hello'), actionEndpoint: endpoint() });
    const before = Date.now() / 1000 - 0.001;
    await send('hi');
    const events = await stored();
    const start = events.findIndex((event) => event.event === 'action' && event.name === 'action_hello');
    expect(describeEvents(events.slice(start, start + 6))).toEqual([
      'action:action_hello',
      'bot:Plain text',
      'bot:Hello Bob!',
      'bot:null',
      'bot:null',
      'slot:name="Ann"',
    ]);
    expect(events.every((event) => event.timestamp >= before)).toBe(true);
    expect(output.texts.slice(0, 2)).toEqual(['Plain text', 'Hello Bob!']);
  });

  it('sends only the current session by default and every session with send_full_history', async () => {
    const trackerStore = new MemoryTrackerStore();
    const oldSession = [actionExecuted('action_session_start'), simpleEvent('session_started'), actionExecuted('action_listen')];
    for (const [id, fullHistory] of [['short', false], ['full', true]] as const) {
      await trackerStore.append(id, [...oldSession, slotSet('name', 'old'), ...oldSession]);
      const { processor } = setupProcessor({
        domain,
        interpreter,
        trackerStore,
        decide: () => 'action_listen',
        actionEndpoint: endpoint({ send_full_history: fullHistory }),
      });
      await processor.executeAction(id, 'action_secret', new CollectingOutput());
      expect(server.requests.at(-1)!.body.tracker.events).toHaveLength(fullHistory ? 7 : 3);
    }
  });
});
