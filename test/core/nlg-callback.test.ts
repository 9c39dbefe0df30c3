import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { userUttered, slotSet } from '../../src/core/events.js';
import { CallbackNaturalLanguageGenerator, parseNlgEndpoint } from '../../src/core/nlg-callback.js';
import { createNaturalLanguageGenerator } from '../../src/core/nlg-factory.js';
import { TemplatedNaturalLanguageGenerator } from '../../src/core/nlg.js';
import { MessageProcessor } from '../../src/core/processor.js';
import { DialogueStateTracker } from '../../src/core/tracker.js';
import { isParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { Domain } from '../../src/shared/domain.js';
import type { Endpoints } from '../../src/shared/project.js';
import { MemoryLockStore } from '../../src/stores/memory-lock-store.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { domainFromYaml } from './helpers/domain.js';
import { capturingLogger, CollectingOutput, ruleLikePolicies, scriptedInterpreter } from './helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [greet]
slots:
  vip:
    type: bool
    mappings:
    - type: custom
responses:
  utter_greet:
  - id: greet_plain
    text: "Hello"
  - id: greet_vip
    text: "Welcome back"
    condition:
    - type: slot
      name: vip
      value: true
  - id: greet_socket
    text: "Hi socket"
    channel: socketio
  utter_twins:
  - id: same
    text: "one"
  - id: same
    text: "two"
`;

/** What the NLG server answers next: a status and a raw body, or silence (to force a timeout). */
type Answer = { status: number; body: string } | 'hang';

interface NlgRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let domain: Domain;
let server: http.Server;
let baseUrl: string;
let answer: Answer;
const requests: NlgRequest[] = [];
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      if (answer === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nlg`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
  answer = { status: 200, body: JSON.stringify({ text: 'from the server' }) };
});

function tracker(vip = false): DialogueStateTracker {
  return DialogueStateTracker.fromEvents(
    'ann',
    [userUttered({ text: 'hi', parseData: { intent: { name: 'greet', confidence: 1 } }, inputChannel: 'rest' }), slotSet('vip', vip)],
    domain.slots,
  );
}

function generator(extra: Record<string, unknown> = {}) {
  const { logger, lines } = capturingLogger();
  const nlg = createNaturalLanguageGenerator({ nlg: { url: baseUrl, ...extra } }, domain, logger);
  const failures = () => lines().filter((line) => line.event === 'nlg.callback.failed');
  return { nlg, failures };
}

describe('callback NLG', () => {
  it('posts the response, variation id, arguments, whole tracker and channel, and returns the reply', async () => {
    answer = { status: 200, body: JSON.stringify({ text: 'Howdy', buttons: [{ title: 'Yes', payload: '/affirm' }], extra_key: 1 }) };
    const { nlg, failures } = generator({ token: 's3cret', headers: { 'X-Bot': 'parley' } });
    const message = await nlg.generate('utter_greet', tracker(true), 'rest', { name: 'Ann' });

    expect(message).toEqual({ text: 'Howdy', buttons: [{ title: 'Yes', payload: '/affirm' }], extra_key: 1 });
    expect(failures()).toEqual([]);
    const [request] = requests;
    expect(request.url).toBe('/nlg?token=s3cret');
    expect(request.headers['x-bot']).toBe('parley');
    expect(request.body).toMatchObject({
      response: 'utter_greet',
      id: 'greet_vip',
      arguments: { name: 'Ann' },
      channel: { name: 'rest' },
      tracker: { sender_id: 'ann', slots: { vip: true } },
    });
    expect((request.body.tracker as { events: unknown[] }).events).toHaveLength(2);
  });

  it('sends the id of the variation for the output channel, and null when the domain has no such response', async () => {
    const { nlg } = generator();
    await nlg.generate('utter_greet', tracker(), 'socketio');
    await nlg.generate('utter_elsewhere', tracker(), 'rest');
    expect(requests.map((request) => request.body.id)).toEqual(['greet_socket', null]);
  });

  it('sends no id when eligible variations share one', async () => {
    const { nlg } = generator();
    await nlg.generate('utter_twins', tracker(), 'rest');
    expect(requests[0].body.id).toBeNull();
  });

  it('skips the response and logs an error when the reply is not JSON', async () => {
    answer = { status: 200, body: '<html>oops</html>' };
    const { nlg, failures } = generator();
    expect(await nlg.generate('utter_greet', tracker(), 'rest')).toBeNull();
    expect(failures()).toHaveLength(1);
    expect(failures()[0].msg).toContain('not JSON');
  });

  it('skips the response when the reply is JSON but not a valid message', async () => {
    const { nlg, failures } = generator();
    for (const body of ['[{"text": "hi"}]', 'null', '{"text": 42}', '{"buttons": "yes"}']) {
      answer = { status: 200, body };
      expect(await nlg.generate('utter_greet', tracker(), 'rest')).toBeNull();
    }
    expect(failures()).toHaveLength(4);
  });

  it('skips the response and logs the status when the server answers 500', async () => {
    answer = { status: 500, body: 'internal error' };
    const { nlg, failures } = generator();
    expect(await nlg.generate('utter_greet', tracker(), 'rest')).toBeNull();
    expect(failures()[0].msg).toContain('status 500');
  });

  it('gives up after the timeout and skips the response', async () => {
    answer = 'hang';
    const { nlg, failures } = generator({ timeout: 0.05 });
    expect(await nlg.generate('utter_greet', tracker(), 'rest')).toBeNull();
    expect(failures()[0].msg).toContain('did not answer within 0.05 s');
  });

  it('skips the response when the server is down', async () => {
    const nlg = new CallbackNaturalLanguageGenerator(parseNlgEndpoint({ url: 'http://127.0.0.1:9/nlg' }), { logger: silentLogger() });
    expect(await nlg.generate('utter_greet', tracker(), 'rest')).toBeNull();
  });

  it('keeps the conversation going through the processor when the NLG server fails', async () => {
    const store = new MemoryTrackerStore();
    const output = new CollectingOutput('rest');
    const processor = new MessageProcessor({
      domain,
      interpreter: scriptedInterpreter(),
      policies: ruleLikePolicies(domain, { afterIntent: { greet: 'utter_greet' } }),
      trackerStore: store,
      lockStore: new MemoryLockStore(),
      nlg: generator().nlg,
      logger: silentLogger(),
    });
    await processor.handleMessage({ text: '/greet', senderId: 'ann', inputChannel: 'rest', output });
    answer = { status: 500, body: 'down' };
    await processor.handleMessage({ text: '/greet', senderId: 'ann', inputChannel: 'rest', output });

    expect(output.texts).toEqual(['from the server']);
    const events = (await store.retrieve('ann')) ?? [];
    const actions = events.filter((event) => event.event === 'action').map((event) => event.name);
    expect(actions).toEqual(['action_session_start', 'action_listen', 'utter_greet', 'action_listen', 'utter_greet', 'action_listen']);
    expect(events.find((event) => event.event === 'bot')).toMatchObject({ text: 'from the server', metadata: { utter_action: 'utter_greet' } });
  });
});

describe('createNaturalLanguageGenerator', () => {
  it('uses the domain responses without an nlg entry or with type response', async () => {
    const choices: Array<Endpoints | undefined> = [{}, undefined, { nlg: { type: 'response' } }, { nlg: { type: 'Response', url: baseUrl } }];
    for (const endpoints of choices) {
      const nlg = createNaturalLanguageGenerator(endpoints, domain, silentLogger());
      expect(nlg).toBeInstanceOf(TemplatedNaturalLanguageGenerator);
      expect(await nlg.generate('utter_greet', tracker(), 'rest')).toMatchObject({ text: 'Hello' });
    }
    expect(requests).toEqual([]);
  });

  it('uses the NLG server with type callback', () => {
    const nlg = createNaturalLanguageGenerator({ nlg: { type: 'callback', url: baseUrl } }, domain);
    expect(nlg).toBeInstanceOf(CallbackNaturalLanguageGenerator);
  });

  it('fails at startup for an unknown type or a callback without a url', () => {
    const codeOf = (endpoints: Record<string, Record<string, unknown>>): string | undefined => {
      try {
        createNaturalLanguageGenerator(endpoints, domain);
      } catch (error) {
        return isParleyError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return undefined;
    };
    expect(codeOf({ nlg: { type: 'my_module.MyGenerator', url: baseUrl } })).toMatch(/^PARLEY_ERR_CONFIG_INVALID: .*'my_module.MyGenerator' is not supported/);
    expect(codeOf({ nlg: { token: 'x' } })).toMatch(/^PARLEY_ERR_CONFIG_INVALID: .*'nlg.url'/);
  });
});
