/**
 * HTTP fuzz: thousands of seeded malformed requests over real TCP against a server with the HTTP
 * API (auth token on) and the REST and socket.io channels, while well-behaved moodbot
 * conversations run in between. The server must answer every request, never with a 5xx other
 * than Rasa's documented ones, every 4xx in Rasa's error shape, and the conversations must get
 * exactly their replies and keep exactly their events.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJsonWebToken } from '../../src/server/jsonwebtoken.js';
import { closeApis, moodbotModel, startApi } from '../api/helpers/api-server.js';
import { eventSummary, restTurn, SCRIPTS, trackerEvents } from './conversations.js';
import { Fuzzer, fuzzSeed, replayHint } from './generators.js';
import { FUZZ_LIMITS, httpCase, JWT_SECRET, TOKEN } from './http-cases.js';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http.js';

const CASES = 3_000;
const WORKERS = 6;
const SEED = fuzzSeed(20_261_207);

/**
 * The only 5xx answers allowed, each one Rasa's own for that request:
 * - 500 `ConversationError` from `…/execute` naming an action the domain lacks (Rasa raises it too);
 * - 500 `LoadingError` from `PUT /model` when the archive cannot be fetched (a dead loopback port);
 * - 501 `NotImplemented` for what Parley does not do (`remote_storage`, `emulation_mode`).
 */
function allowedServerError(request: RawRequest, response: RawResponse, body: Record<string, unknown>): boolean {
  const target = request.target.toString();
  if (response.status === 500 && body.reason === 'ConversationError') return /\/execute(\?|$)/.test(target) && /is not in the domain/.test(String(body.message));
  if (response.status === 500 && body.reason === 'LoadingError') return request.method === 'PUT' && /^\/model(\?|$)/.test(target);
  return response.status === 501 && body.reason === 'NotImplemented';
}

/** What is wrong with an answer, or null when it is fine. */
function judge(request: RawRequest, response: RawResponse): string | null {
  if (response.status < 400) return null;
  if (request.method === 'HEAD') return null; // no body by definition
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return `${response.status} with a body that is not JSON: ${JSON.stringify(response.body.subarray(0, 200).toString('utf8'))}`;
  }
  const shapeProblems = [
    typeof body.version === 'string' && body.version !== '' ? null : 'no version',
    body.status === 'failure' ? null : `status ${JSON.stringify(body.status)}`,
    typeof body.message === 'string' && body.message.trim() !== '' ? null : 'no message',
    typeof body.reason === 'string' && body.reason !== '' ? null : 'no reason',
    body.code === response.status ? null : `code ${JSON.stringify(body.code)}`,
    /application\/json/.test(response.headers['content-type'] ?? '') ? null : `content-type ${response.headers['content-type']}`,
  ].filter((problem) => problem !== null);
  if (shapeProblems.length > 0) return `${response.status} not in Rasa's error shape (${shapeProblems.join(', ')}): ${JSON.stringify(body).slice(0, 300)}`;
  if (response.status >= 500 && !allowedServerError(request, response, body)) return `${response.status} ${String(body.reason)}: ${String(body.message).slice(0, 300)}`;
  return null;
}

let port = 0;
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const unexpected: unknown[] = [];
const recordUnexpected = (error: unknown) => void unexpected.push(error);

beforeAll(async () => {
  await moodbotModel();
  const api = await startApi({
    auth: { token: TOKEN, jwtSecret: JWT_SECRET },
    limits: FUZZ_LIMITS,
    credentials: [
      { name: 'rest', options: null },
      { name: 'socketio', options: null },
    ],
  });
  await api.server.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.server.app.server.address() as AddressInfo).port;
  process.on('uncaughtException', recordUnexpected);
  process.on('unhandledRejection', recordUnexpected);
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', recordUnexpected);
  process.off('unhandledRejection', recordUnexpected);
  await closeApis();
});

describe('HTTP fuzz', () => {
  it(`answers ${CASES} malformed requests with Rasa-shaped client errors while moodbot conversations stay exact`, async () => {
    // Control: the scripts on a quiet server, for the exact replies and events to expect.
    const controls: string[][] = [];
    for (const [index, script] of SCRIPTS.entries()) {
      for (const turn of script) {
        const answer = await restTurn(port, `fuzz-control-${index}`, turn.text);
        expect(answer.texts.filter((text) => !text.startsWith('[image')), `control ${index}: ${turn.text}`).toEqual(turn.replies);
      }
      controls.push(eventSummary(await trackerEvents(port, TOKEN, `fuzz-control-${index}`)));
    }

    const root = new Fuzzer(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let done = 0;
    const waiting: Array<{ at: number; wake: () => void }> = [];
    const progress = () => {
      done += 1;
      for (const waiter of waiting.filter((candidate) => candidate.at <= done)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.wake();
      }
    };
    const worker = async () => {
      while (next < CASES) {
        const index = next++;
        const fuzzCase = httpCase(root, index);
        try {
          const response = await sendRaw(port, fuzzCase.request);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const problem = judge(fuzzCase.request, response);
          if (problem) failures.push(`${replayHint(SEED, index)}: ${fuzzCase.describe} → ${problem}`);
        } catch (error) {
          failures.push(`${replayHint(SEED, index)}: ${fuzzCase.describe} → ${(error as Error).message}`);
        }
        progress();
      }
    };

    // The good conversations take turns round-robin, spread evenly through the garbage.
    const steps = SCRIPTS.flatMap((script, conversation) => script.map((turn, position) => ({ conversation, position, turn })));
    steps.sort((a, b) => a.position - b.position || a.conversation - b.conversation);
    const goodAnswers: string[] = [];
    const driver = async () => {
      for (const [stepIndex, step] of steps.entries()) {
        const at = Math.floor(((stepIndex + 1) * CASES) / (steps.length + 1));
        if (done < at) await new Promise<void>((wake) => waiting.push({ at, wake }));
        const sender = `fuzz-good-${step.conversation + 1}`;
        const answer = await restTurn(port, sender, step.turn.text);
        const texts = answer.texts.filter((text) => !text.startsWith('[image'));
        if (answer.status !== 200 || JSON.stringify(texts) !== JSON.stringify(step.turn.replies)) {
          goodAnswers.push(`${sender} said ${JSON.stringify(step.turn.text)} and got ${answer.status} ${answer.raw}`);
        }
      }
    };

    await Promise.all([...Array.from({ length: WORKERS }, worker), driver()]);

    expect(failures.slice(0, 15), `${failures.length} of ${CASES} requests were answered wrongly`).toEqual([]);
    expect(goodAnswers).toEqual([]);
    for (const [index] of SCRIPTS.entries()) {
      const events = eventSummary(await trackerEvents(port, TOKEN, `fuzz-good-${index + 1}`));
      expect(events, `events of fuzz-good-${index + 1} (seed ${SEED}, replay with PARLEY_FUZZ_SEED=${SEED})`).toEqual(controls[index]);
    }
    // Every kind of answer was exercised, and the server is still up.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
    expect((await sendRaw(port, { method: 'GET', target: '/' })).status).toBe(200);
    expect(unexpected).toEqual([]);
    // `__proto__` / `constructor` keys in the garbage polluted nothing.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
    expect(({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).x).toBeUndefined();
  }, 120_000);
});

describe('HTTP fuzz: authentication', () => {
  it('does not let a JWT whose user carries "__proto__": {"role": "admin"} act as admin', async () => {
    const token = loadJsonWebToken().sign(JSON.parse('{"user": {"__proto__": {"role": "admin"}}}') as object, JWT_SECRET, { algorithm: 'HS256' });
    const request: RawRequest = { method: 'GET', target: '/status', headers: [['authorization', `Bearer ${token}`]] };
    expect(JSON.parse((await sendRaw(port, request)).body.toString('utf8'))).toMatchObject({ status: 'failure', code: 403, reason: 'NotAuthorized' });
  });
});

/** Inputs the fuzzing found; each failed before its fix. */
describe('HTTP fuzz regressions', () => {
  const expectRasaError = (request: RawRequest, response: RawResponse, status: number) => {
    expect(response.status).toBe(status);
    expect(judge(request, response)).toBeNull();
    return JSON.parse(response.body.toString('utf8')) as { message: string };
  };

  it("answers a percent-escape that does not decode (GET /conversations/%ZZ/tracker) with Rasa's 400 body, not fastify's", async () => {
    const request: RawRequest = { method: 'GET', target: `/conversations/%ZZ/tracker?token=${TOKEN}` };
    expect(expectRasaError(request, await sendRaw(port, request), 400).message).toMatch(/percent-escape/);
  });

  it("answers a request line the HTTP parser refuses (a raw space, bytes 0xFF 0xFE, method FOO) with Rasa's 400 body", async () => {
    for (const request of [
      { method: 'GET', target: `/conversations/a b/tracker?token=${TOKEN}` },
      { method: 'GET', target: Buffer.from([0x2f, 0xff, 0xfe]) },
      { method: 'FOO', target: `/status?token=${TOKEN}` },
      { method: 'GET', target: `/status?token=${TOKEN}`, headers: [['x-odd', 'a\u0001b']] },
    ] satisfies RawRequest[]) {
      expect(expectRasaError(request, await sendRaw(port, request), 400).message).toMatch(/not valid HTTP/);
    }
  });

  it("answers CONNECT (which Node closes silently when nobody listens) with Rasa's 405 body", async () => {
    for (const target of ['127.0.0.1:80', `/status?token=${TOKEN}`]) {
      const request: RawRequest = { method: 'CONNECT', target };
      expect(expectRasaError(request, await sendRaw(port, request), 405).message).toMatch(/not a proxy/);
    }
  });

  it('names a sender that cannot become a string ({"toString": null}) in the 400 instead of failing with 500', async () => {
    const request: RawRequest = {
      method: 'POST',
      target: `/conversations/fuzz-poisoned/messages?token=${TOKEN}`,
      body: '{"text":"hi","sender":{"toString":null,"valueOf":null}}',
    };
    expect(expectRasaError(request, await sendRaw(port, request), 400).message).toMatch(/sender '\{"toString":null,"valueOf":null\}'/);
  });

  it('exports the story of a conversation whose events carry values that cannot become strings', async () => {
    const events: RawRequest = {
      method: 'POST',
      target: `/conversations/fuzz-poisoned-story/tracker/events?token=${TOKEN}`,
      body: JSON.stringify([
        { event: 'user', text: 'hi', parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [{ entity: 'mood', value: { toString: null }, start: 0, end: 2 }] } },
        { event: 'slot', name: 'session_started_metadata', value: { toString: null, valueOf: null } },
        { event: 'action', name: { toString: null } },
        { event: 'bot', text: 'x', data: { toString: null } },
      ]),
    };
    const appended = await sendRaw(port, events);
    expect(appended.status === 200 || judge(events, appended) === null, appended.body.toString('utf8')).toBe(true);
    for (const endpoint of ['story', 'tracker']) {
      const response = await sendRaw(port, { method: 'GET', target: `/conversations/fuzz-poisoned-story/${endpoint}?token=${TOKEN}` });
      expect(response.status, `${endpoint}: ${response.body.toString('utf8')}`).toBeLessThan(500);
    }
  });

  it("answers a WebSocket or h2c upgrade to a non-socket.io path with Rasa's 400 body instead of dropping it", async () => {
    for (const protocol of ['websocket', 'h2c']) {
      const request: RawRequest = { method: 'GET', target: `/status?token=${TOKEN}`, headers: [['connection', 'upgrade'], ['upgrade', protocol]] };
      expect(expectRasaError(request, await sendRaw(port, request), 400).message).toMatch(/served only under \/socket\.io\//);
    }
  });

  it("answers a 20,000-character URL with Rasa's 431 body", async () => {
    const request: RawRequest = { method: 'GET', target: `/conversations/${'x'.repeat(20_000)}/tracker?token=${TOKEN}` };
    expectRasaError(request, await sendRaw(port, request), 431);
  });

  it('refuses a tracker event nested 5,000 levels deep with 400, and the conversation stays readable', async () => {
    const request: RawRequest = {
      method: 'POST',
      target: `/conversations/fuzz-deep-events/tracker/events?token=${TOKEN}`,
      body: `{"event":"user","text":"x","parse_data":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
    };
    expect(expectRasaError(request, await sendRaw(port, request), 400).message).toMatch(/nests .* more than 100 levels/);
    const slot: RawRequest = {
      method: 'POST',
      target: `/conversations/fuzz-deep-events/tracker/events?token=${TOKEN}`,
      body: `{"event":"slot","name":"x","value":${'['.repeat(9_000)}${']'.repeat(9_000)}}`,
    };
    expectRasaError(slot, await sendRaw(port, slot), 400);
    expect((await sendRaw(port, { method: 'GET', target: `/conversations/fuzz-deep-events/tracker?token=${TOKEN}` })).status).toBe(200);
  });

  it('refuses a REST message whose metadata nests 10,000 levels deep with 400, and the sender can talk on', async () => {
    const request: RawRequest = {
      method: 'POST',
      target: '/webhooks/rest/webhook',
      body: `{"sender":"fuzz-deep-rest","message":"hi","metadata":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    };
    expectRasaError(request, await sendRaw(port, request), 400);
    expect((await restTurn(port, 'fuzz-deep-rest', 'hi')).texts).toEqual(['Hey! How are you?']);
    expect((await sendRaw(port, { method: 'GET', target: `/conversations/fuzz-deep-rest/tracker?token=${TOKEN}` })).status).toBe(200);
  });
});
