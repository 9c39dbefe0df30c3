/**
 * socket.io fuzz: garbage clients of two generations (socket.io-client 4 and 2/EIO3) emit
 * malformed `user_uttered` / `session_request` payloads, unknown events and floods, and raw
 * Engine.IO polling requests carry broken packets, while well-behaved moodbot conversations run
 * on other sockets. The server must acknowledge every emit (refusals as `parley_error`), keep
 * running, and the good conversations must get exactly their replies and keep exactly their events.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApis, moodbotModel, startApi } from '../api/helpers/api-server.js';
import { connectClient, type Generation, type TestClient } from '../channels/helpers/socket-clients.js';
import { eventSummary, SCRIPTS, trackerEvents } from './conversations.js';
import { Fuzzer, fuzzSeed, replayHint } from './generators.js';
import { sendRaw } from './raw-http.js';
import { emitCase, engineQuery, pollingCase, type EmitCase } from './socketio-cases.js';

const SEED = fuzzSeed(20_261_208);
const GARBAGE_CLIENTS = 24;
const EMITS_PER_CLIENT = 40; // under the default 60 messages per minute, so no refusal is a rate limit
const POLLING_CASES = 500;
const ENGINE_QUERIES = 150;
const ACK_TIMEOUT_MS = 10_000;
const EVENTS = ['session_confirm', 'bot_uttered', 'parley_error', 'disconnect'];

let port = 0;
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
let url = '';
const unexpected: unknown[] = [];
const recordUnexpected = (error: unknown) => void unexpected.push(error);
const opened: TestClient[] = [];

async function client(generation: Generation): Promise<TestClient> {
  const connected = await connectClient(generation, url, { events: EVENTS });
  opened.push(connected);
  return connected;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no acknowledgement within ${ACK_TIMEOUT_MS} ms for ${what}`)), ACK_TIMEOUT_MS))]);
}

/** A bot message as a text (attachments are summarised), as the scripts list them. */
function botText(args: unknown[]): string {
  const payload = args[0] as { text?: string; attachment?: unknown };
  return payload.text ?? '[attachment]';
}

/** Runs one scripted turn on a connected client; resolves with the bot texts of the turn. */
async function socketTurn(socket: TestClient, sessionId: string, text: string): Promise<string[]> {
  const before = socket.received('bot_uttered').length;
  await withTimeout(socket.emitWithAck('user_uttered', { message: text, session_id: sessionId }), `${sessionId}: ${text}`);
  return socket.received('bot_uttered').slice(before).map(botText).filter((reply) => reply !== '[attachment]');
}

beforeAll(async () => {
  await moodbotModel();
  const api = await startApi({ credentials: [{ name: 'socketio', options: { session_persistence: true } }] });
  url = await api.server.listen({ port: 0, host: '127.0.0.1' });
  port = (api.server.app.server.address() as AddressInfo).port;
  process.on('uncaughtException', recordUnexpected);
  process.on('unhandledRejection', recordUnexpected);
}, 60_000);

afterAll(async () => {
  for (const socket of opened.splice(0)) socket.close();
  process.off('uncaughtException', recordUnexpected);
  process.off('unhandledRejection', recordUnexpected);
  await closeApis();
});

/** Resolves when `socket` has been disconnected more often than `before` times. */
function disconnected(socket: TestClient, before: number): Promise<'disconnected'> {
  return socket.waitFor('disconnect', before + 1).then(() => 'disconnected' as const);
}

/**
 * Sends one garbage emit and checks its acknowledgement. Returns a problem (or null) and whether
 * the server closed the connection, allowed only for packets its codec cannot decode.
 */
async function runEmit(socket: TestClient, fuzzCase: EmitCase, hint: string): Promise<{ problem: string | null; closed: boolean }> {
  if (fuzzCase.expect === 'no-ack') {
    socket.emit(fuzzCase.event, ...fuzzCase.args);
    return { problem: null, closed: false };
  }
  const before = socket.received('disconnect').length;
  try {
    const ack = await withTimeout(Promise.race([socket.emitWithAck(fuzzCase.event, ...fuzzCase.args), disconnected(socket, before)]), fuzzCase.describe);
    if (ack === 'disconnected') {
      return { problem: fuzzCase.undecodable ? null : `${hint}: ${fuzzCase.describe} → the server closed the connection`, closed: true };
    }
    const error = (ack[0] as { error?: { code?: string; message?: string; limit?: number } } | undefined)?.error;
    if (fuzzCase.expect === 'delivered') return { problem: error ? `${hint}: ${fuzzCase.describe} → refused with ${JSON.stringify(error)}` : null, closed: false };
    if (error?.code !== fuzzCase.expect) return { problem: `${hint}: ${fuzzCase.describe} → expected ${fuzzCase.expect}, acknowledged with ${JSON.stringify(ack)}`, closed: false };
    if (typeof error.message !== 'string' || error.message === '' || typeof error.limit !== 'number') return { problem: `${hint}: ${fuzzCase.describe} → unclear refusal ${JSON.stringify(error)}`, closed: false };
    return { problem: null, closed: false };
  } catch (failure) {
    // The client library itself could not encode the packet (its codec recurses): nothing was sent.
    if (fuzzCase.undecodable && failure instanceof RangeError) return { problem: null, closed: false };
    return { problem: `${hint}: ${fuzzCase.describe} → ${(failure as Error).message}`, closed: false };
  }
}

/** One raw Engine.IO session: handshake, a broken POST, then close. Returns a problem or null. */
async function runPolling(fuzzer: Fuzzer, hint: string): Promise<string | null> {
  const fuzzCase = pollingCase(fuzzer);
  try {
    const handshake = await sendRaw(port, { method: 'GET', target: `/socket.io/?EIO=${fuzzCase.eio}&transport=polling` });
    const sid = /"sid":"([^"]+)"/.exec(handshake.body.toString('utf8'))?.[1];
    if (handshake.status !== 200 || !sid) return `${hint}: handshake answered ${handshake.status} ${handshake.body.toString('utf8')}`;
    const target = `/socket.io/?EIO=${fuzzCase.eio}&transport=polling&sid=${sid}`;
    const posted = await sendRaw(port, { method: 'POST', target, headers: [['content-type', 'text/plain;charset=UTF-8']], body: fuzzCase.body });
    if (posted.status >= 500) return `${hint}: ${fuzzCase.describe} → ${posted.status} ${posted.body.toString('utf8')}`;
    // Engine.IO refuses a body over `maxHttpBufferSize` with a bare 413 (and drops the session).
    if (posted.status === 413 && fuzzCase.body.length > 1_000_000) return null;
    if (posted.status >= 400 && !isEngineError(posted.body)) return `${hint}: ${fuzzCase.describe} → ${posted.status} without Engine.IO's error body: ${posted.body.toString('utf8').slice(0, 200)}`;
    // Close the session if it is still open (its answer does not matter).
    await sendRaw(port, { method: 'POST', target, body: fuzzCase.eio === 4 ? '1' : '1:1' });
    return null;
  } catch (failure) {
    return `${hint}: ${fuzzCase.describe} → ${(failure as Error).message}`;
  }
}

/** Engine.IO answers its own errors as `{code, message}`, which socket.io clients read; that shape is kept. */
function isEngineError(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { code?: unknown; message?: unknown };
    return typeof parsed.code === 'number' && typeof parsed.message === 'string' && parsed.message !== '';
  } catch {
    return false;
  }
}

describe('socket.io fuzz', () => {
  it('acknowledges every malformed emit and raw packet while v4 and v2 moodbot conversations stay exact', async () => {
    // Control runs on a quiet server.
    const controlSocket = await client('v4');
    const controls: string[][] = [];
    for (const [index, script] of SCRIPTS.entries()) {
      const sessionId = `sio-control-${index}`;
      await withTimeout(controlSocket.emitWithAck('session_request', { session_id: sessionId }), 'control session');
      for (const turn of script) expect(await socketTurn(controlSocket, sessionId, turn.text), `control ${index}: ${turn.text}`).toEqual(turn.replies);
      controls.push(eventSummary(await trackerEvents(port, '', sessionId)));
    }

    const root = new Fuzzer(SEED);
    const failures: string[] = [];
    const total = GARBAGE_CLIENTS * EMITS_PER_CLIENT + POLLING_CASES;
    let done = 0;
    const waiting: Array<{ at: number; wake: () => void }> = [];
    const progress = () => {
      done += 1;
      for (const waiter of waiting.filter((candidate) => candidate.at <= done)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.wake();
      }
    };

    const refusalsExpected = new Map<TestClient, number>();
    const garbageClient = async (clientIndex: number) => {
      const generation: Generation = clientIndex % 2 === 0 ? 'v4' : 'v2';
      let socket = await client(generation);
      let refusals = 0;
      for (let emitIndex = 0; emitIndex < EMITS_PER_CLIENT; emitIndex += 1) {
        const caseIndex = clientIndex * EMITS_PER_CLIENT + emitIndex;
        const fuzzCase = emitCase(root.fork(caseIndex));
        if (fuzzCase.expect !== 'delivered' && fuzzCase.expect !== 'no-ack') refusals += 1;
        const { problem, closed } = await runEmit(socket, fuzzCase, `${generation} ${replayHint(SEED, caseIndex)}`);
        if (problem) failures.push(problem);
        if (closed) {
          // The refusals a closed connection was still owed cannot be counted; start a new one.
          socket = await client(generation);
          refusals = 0;
        }
        progress();
      }
      refusalsExpected.set(socket, refusals);
    };
    const pollingWorker = async (worker: number) => {
      for (let index = worker; index < POLLING_CASES; index += 4) {
        const caseIndex = 1_000_000 + index;
        const problem = await runPolling(root.fork(caseIndex), replayHint(SEED, caseIndex));
        if (problem) failures.push(problem);
        progress();
      }
    };

    // Two v4 and two v2 good clients take their turns spread through the garbage.
    const goodProblems: string[] = [];
    const goodClients = await Promise.all(SCRIPTS.map((_, index) => client(index % 2 === 0 ? 'v4' : 'v2')));
    for (const [index, socket] of goodClients.entries()) {
      const confirmed = await withTimeout(socket.emitWithAck('session_request', { session_id: `sio-good-${index + 1}` }), 'good session');
      expect(confirmed).toBeDefined();
    }
    const steps = SCRIPTS.flatMap((script, conversation) => script.map((turn, position) => ({ conversation, position, turn })));
    steps.sort((a, b) => a.position - b.position || a.conversation - b.conversation);
    const driver = async () => {
      for (const [stepIndex, step] of steps.entries()) {
        const at = Math.floor(((stepIndex + 1) * total) / (steps.length + 1));
        if (done < at) await new Promise<void>((wake) => waiting.push({ at, wake }));
        const sessionId = `sio-good-${step.conversation + 1}`;
        const replies = await socketTurn(goodClients[step.conversation], sessionId, step.turn.text).catch((error: Error) => [error.message]);
        if (JSON.stringify(replies) !== JSON.stringify(step.turn.replies)) goodProblems.push(`${sessionId} said ${JSON.stringify(step.turn.text)} and got ${JSON.stringify(replies)}`);
      }
    };

    const garbage = async () => {
      const queue = Array.from({ length: GARBAGE_CLIENTS }, (_, index) => index);
      await Promise.all(Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) await garbageClient(next);
      }));
    };
    await Promise.all([garbage(), ...Array.from({ length: 4 }, (_, worker) => pollingWorker(worker)), driver()]);

    // Engine.IO's own requests with odd queries: answered, in Engine.IO's shape when refused.
    for (let index = 0; index < ENGINE_QUERIES; index += 1) {
      const target = engineQuery(root.fork(2_000_000 + index));
      const response = await sendRaw(port, { method: root.fork(3_000_000 + index).pick(['GET', 'POST', 'PUT', 'OPTIONS']), target, body: 'x' }).catch((error: Error) => error);
      if (response instanceof Error) failures.push(`${replayHint(SEED, 2_000_000 + index)}: ${target} → ${response.message}`);
      else if (response.status >= 500) failures.push(`${replayHint(SEED, 2_000_000 + index)}: ${target} → ${response.status}`);
      else if (response.status >= 400 && !isEngineError(response.body) && !target.includes('%ZZ')) failures.push(`${replayHint(SEED, 2_000_000 + index)}: ${target} → ${response.status} ${response.body.toString('utf8').slice(0, 120)}`);
    }

    expect(failures.slice(0, 15), `${failures.length} socket.io cases went wrong`).toEqual([]);
    expect(goodProblems).toEqual([]);
    for (const [socket, refusals] of refusalsExpected) {
      const errors = socket.received('parley_error').map((args) => args[0] as { code: string; message: string });
      expect(errors.length, `parley_error events of a ${socket.generation} garbage client`).toBe(refusals);
      for (const error of errors) expect(error.message).not.toBe('');
    }
    for (const [index] of SCRIPTS.entries()) {
      expect(eventSummary(await trackerEvents(port, '', `sio-good-${index + 1}`)), `events of sio-good-${index + 1}`).toEqual(controls[index]);
    }
    expect(unexpected).toEqual([]);
    // `__proto__` / `constructor` keys in the garbage polluted nothing.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
    expect(({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).x).toBeUndefined();
  }, 120_000);

  it.each(['v4', 'v2'] as const)('refuses a %s flood with rate_limited parley_errors and keeps a good socket on the same server answering', async (generation) => {
    const flooder = await client(generation);
    const good = await client(generation === 'v4' ? 'v2' : 'v4');
    await withTimeout(good.emitWithAck('session_request', { session_id: `sio-flood-good-${generation}` }), 'session');
    const acks = await Promise.all(Array.from({ length: 150 }, (_, index) => withTimeout(flooder.emitWithAck('user_uttered', { message: `flood ${index}`, session_id: `sio-flood-${generation}` }), 'flood')));
    const refused = acks.filter((ack) => (ack[0] as { error?: { code: string } } | undefined)?.error?.code === 'rate_limited').length;
    expect(refused).toBeGreaterThanOrEqual(150 - 60);
    expect(flooder.received('parley_error').length).toBe(refused);
    expect(await socketTurn(good, `sio-flood-good-${generation}`, 'hello')).toEqual(['Hey! How are you?']);
  });
});

/** Inputs the fuzzing found; each failed before its fix. */
describe('socket.io fuzz regressions', () => {
  it('refuses metadata sent as a JSON string nested 15,000 levels deep with metadata_too_deep, and the conversation stays readable', async () => {
    const socket = await client('v4');
    await withTimeout(socket.emitWithAck('session_request', { session_id: 'sio-deep-string' }), 'session');
    await socketTurn(socket, 'sio-deep-string', 'hi');
    const ack = await withTimeout(socket.emitWithAck('user_uttered', { message: 'hi', session_id: 'sio-deep-string', metadata: `${'['.repeat(15_000)}${']'.repeat(15_000)}` }), 'deep');
    expect((await sendRaw(port, { method: 'GET', target: '/conversations/sio-deep-string/tracker' })).status).toBe(200);
    expect((ack[0] as { error?: { code: string } } | undefined)?.error?.code).toBe('metadata_too_deep');
  });

  it('acknowledges a session_request whose session_id cannot become a string ({"toString": true}) with a fresh session id', async () => {
    const socket = await client('v4');
    await withTimeout(socket.emitWithAck('session_request', { session_id: { ' ': -1e308, toString: true } }), 'poisoned session_request');
    const [confirmed] = socket.received('session_confirm').map((args) => args[0]);
    expect(confirmed).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses metadata nested 3,000 levels deep (as an object) with metadata_too_deep instead of storing it', async () => {
    const socket = await client('v2');
    await withTimeout(socket.emitWithAck('session_request', { session_id: 'sio-deep-object' }), 'session');
    let deep: unknown = 1;
    for (let level = 0; level < 3_000; level += 1) deep = [deep];
    const ack = await withTimeout(socket.emitWithAck('user_uttered', { message: 'hi', session_id: 'sio-deep-object', metadata: deep }), 'deep');
    expect((ack[0] as { error?: { code: string } } | undefined)?.error?.code).toBe('metadata_too_deep');
    expect(socket.received('parley_error').map((args) => (args[0] as { code: string }).code)).toEqual(['metadata_too_deep']);
  });
});
