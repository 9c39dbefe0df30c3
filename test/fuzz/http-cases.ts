/**
 * Malformed HTTP requests for every route of the server (HTTP API and REST channel), one per
 * (seed, index). Requests never name the well-behaved conversations (`fuzz-good-*`), never load or
 * unload a model, and never call anything but a dead loopback port.
 */
import {
  breakOneField,
  deeplyNested,
  encodeComponent,
  Fuzzer,
  INVALID_UTF8,
  jsonValue,
  mangleJson,
  nastyString,
  NASTY_STRINGS,
  randomBytes,
  randomObject,
} from './generators.js';
import { loadJsonWebToken } from '../../src/server/jsonwebtoken.js';
import type { RawRequest } from './raw-http.js';

export const TOKEN = 'fuzz-secret-token';
/** `--jwt-secret` of the fuzzed server: Bearer tokens signed with it reach the JWT checks. */
export const JWT_SECRET = 'fuzz-jwt-secret';

const sign = (payload: object, secret = JWT_SECRET) => loadJsonWebToken().sign(payload, secret, { algorithm: 'HS256' });
/** Bearer values: garbage, badly signed, and validly signed with odd claims. */
const BEARERS: readonly string[] = [
  'Bearer garbage',
  'Bearer ',
  'Basic Zm9vOmJhcg==',
  'Bearer a.b.c',
  `Bearer ${'x'.repeat(5000)}`,
  `Bearer ${sign({ user: { role: 'admin' } }, 'wrong-secret')}`,
  `Bearer ${sign({ user: { role: 'user', username: 'fuzz-bad-1' } })}`,
  `Bearer ${sign({ user: { role: 'user', username: { toString: null } } })}`,
  `Bearer ${sign({ user: { role: ['admin'] } })}`,
  `Bearer ${sign({ user: 'admin' })}`,
  `Bearer ${sign(JSON.parse('{"user": {"__proto__": {"role": "admin"}}}') as object)}`,
  `Bearer ${sign({ user: { role: 'admin' }, exp: 1 })}`,
  `bearer ${sign({ user: { role: 'admin' } })}`,
];
/** Body limits the fuzzed server runs with (small, so oversized bodies stay cheap to send). */
export const FUZZ_LIMITS = { smallBody: 16_384, eventsBody: 65_536, trainingBody: 65_536 };
/** The server-wide limit (REST channel). */
export const SERVER_BODY_LIMIT = 1_048_576;

/** One kind of request: method, path for a conversation id, and a valid body to break. */
interface RouteSpec {
  method: string;
  path: (id: string) => string;
  valid: (fuzzer: Fuzzer) => unknown;
  fields: readonly string[];
  /** Body limit that applies, for oversized bodies. */
  limit: number;
  /** Keeps a generated body harmless (no model loads, no real outbound calls). */
  defuse?: (body: unknown) => unknown;
}

const EVENT_NAMES = ['user', 'bot', 'action', 'slot', 'restart', 'rewind', 'reset_slots', 'followup', 'pause', 'resume', 'active_loop', 'session_started', 'action_execution_rejected', 'entities', 'user_featurization', 'loop_interrupted', 'export', 'reminder', 'cancel_reminder', 'undo', 'agent', 'story', 'nonsense'];

function validEvent(fuzzer: Fuzzer): Record<string, unknown> {
  const event = fuzzer.pick(EVENT_NAMES);
  const base: Record<string, unknown> = { event, timestamp: 1796664000 + fuzzer.int(1000) };
  switch (event) {
    case 'user':
      return { ...base, text: 'hi', parse_data: { intent: { name: 'greet', confidence: 0.9 }, entities: [{ entity: 'x', value: 'y', start: 0, end: 1 }] }, input_channel: 'rest', metadata: {} };
    case 'bot':
      return { ...base, text: 'Hey!', data: { buttons: [{ title: 'a', payload: '/greet' }] }, metadata: {} };
    case 'action':
      return { ...base, name: fuzzer.pick(['utter_greet', 'action_listen', 'action_restart']), policy: null, confidence: 1 };
    case 'slot':
      return { ...base, name: fuzzer.pick(['session_started_metadata', 'unknown_slot']), value: jsonValue(fuzzer, 2) };
    case 'followup':
      return { ...base, name: 'utter_greet' };
    case 'active_loop':
      return { ...base, name: fuzzer.pick([null, 'some_form']) };
    case 'reminder':
      return { ...base, intent: 'greet', date_time: '2030-01-01T00:00:00', name: 'r', kill_on_user_msg: true };
    default:
      return base;
  }
}

function nonexistentModelPath(value: unknown): string {
  return `/nonexistent-parley-fuzz/${typeof value === 'string' ? value.replace(/\0/g, '') : JSON.stringify(value)}`;
}

/** `PUT /model` bodies: a model path that cannot exist, a model server on a dead loopback port. */
function defuseModelLoad(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if ('model_file' in copy && typeof copy.model_file === 'string' && copy.model_file !== '') {
    copy.model_file = /^https?:/i.test(copy.model_file) ? 'http://127.0.0.1:1/model.tar.gz' : nonexistentModelPath(copy.model_file);
  }
  const server = copy.model_server;
  if (typeof server === 'object' && server !== null && !Array.isArray(server) && typeof (server as { url?: unknown }).url === 'string') {
    const url = (server as { url: string }).url;
    copy.model_server = { ...(server as object), url: /^https?:/i.test(url) ? 'http://127.0.0.1:1/model.tar.gz' : url };
  }
  return copy;
}

const conversation = (endpoint: string) => (id: string) => `/conversations/${id}/${endpoint}`;

const ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: conversation('messages'),
    valid: () => ({ text: 'hi', sender: 'user', parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [] } }),
    fields: ['text', 'sender', 'parse_data', 'message_id'],
    limit: FUZZ_LIMITS.smallBody,
  },
  {
    method: 'POST',
    path: conversation('tracker/events'),
    valid: (fuzzer) => (fuzzer.chance(0.5) ? validEvent(fuzzer) : Array.from({ length: fuzzer.between(1, 4) }, () => validEvent(fuzzer))),
    fields: ['event', 'timestamp', 'text', 'name', 'value', 'parse_data', 'metadata', 'policy', 'confidence'],
    limit: FUZZ_LIMITS.eventsBody,
  },
  {
    method: 'PUT',
    path: conversation('tracker/events'),
    valid: (fuzzer) => Array.from({ length: fuzzer.between(0, 4) }, () => validEvent(fuzzer)),
    fields: ['event', 'timestamp', 'text', 'name', 'value'],
    limit: FUZZ_LIMITS.eventsBody,
  },
  {
    method: 'POST',
    path: conversation('trigger_intent'),
    valid: () => ({ name: 'greet', entities: { mood: 'good' } }),
    fields: ['name', 'entities'],
    limit: FUZZ_LIMITS.smallBody,
  },
  {
    method: 'POST',
    path: conversation('execute'),
    valid: (fuzzer) => ({ name: fuzzer.pick(['utter_greet', 'action_listen', 'utter_nothing']), policy: 'fuzz', confidence: 0.5 }),
    fields: ['name', 'policy', 'confidence'],
    limit: FUZZ_LIMITS.smallBody,
  },
  { method: 'POST', path: conversation('predict'), valid: () => ({}), fields: [], limit: FUZZ_LIMITS.smallBody },
  { method: 'GET', path: conversation('tracker'), valid: () => undefined, fields: [], limit: 0 },
  { method: 'GET', path: conversation('story'), valid: () => undefined, fields: [], limit: 0 },
  { method: 'POST', path: () => '/model/parse', valid: () => ({ text: 'hello there', message_id: 'm1' }), fields: ['text', 'message_id'], limit: FUZZ_LIMITS.smallBody },
  {
    method: 'PUT',
    path: () => '/model',
    valid: (fuzzer) =>
      fuzzer.pick([
        { model_file: 'model.tar.gz' },
        { model_server: { url: 'http://x/model.tar.gz', params: { a: 1 }, headers: { h: 'v' }, basic_auth: { username: 'u', password: 'p' } } },
        { remote_storage: 'aws' },
      ]),
    fields: ['model_file', 'model_server', 'remote_storage'],
    limit: FUZZ_LIMITS.smallBody,
    defuse: defuseModelLoad,
  },
  { method: 'POST', path: () => '/model/train', valid: () => ({ intents: ['greet'], nlu: 5 }), fields: ['intents', 'nlu', 'stories', 'domain', 'config'], limit: FUZZ_LIMITS.trainingBody },
  { method: 'GET', path: () => '/domain', valid: () => undefined, fields: [], limit: 0 },
  { method: 'GET', path: () => '/status', valid: () => undefined, fields: [], limit: 0 },
  { method: 'GET', path: () => '/version', valid: () => undefined, fields: [], limit: 0 },
  { method: 'GET', path: () => '/', valid: () => undefined, fields: [], limit: 0 },
  {
    method: 'POST',
    path: () => '/webhooks/rest/webhook',
    valid: (fuzzer) => ({ sender: `fuzz-bad-${fuzzer.int(50)}`, message: fuzzer.pick(['hi', 'I am sad', 'bye', '/greet']), metadata: { a: 1 } }),
    fields: ['sender', 'message', 'metadata', 'input_channel'],
    limit: SERVER_BODY_LIMIT,
  },
  { method: 'GET', path: () => '/webhooks/rest/', valid: () => undefined, fields: [], limit: 0 },
];

const ODD_METHODS = ['PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get', 'M-SEARCH', 'GET\u0000'];
const UNKNOWN_PATHS = ['/conversations', '/conversations/', '/conversations/x', '/model', '/model/', '/webhooks/nope/webhook', '/webhooks/rest', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/status/..', '//status', '/STATUS', '/status;x', '/model/test/nothing', '/socket.io.js', '/favicon.ico'];

/** Conversation ids: odd, encoded, too long, traversal, and near misses of the good ones. */
function conversationId(fuzzer: Fuzzer): string {
  return fuzzer.weighted<string>([
    [4, () => `fuzz-bad-${fuzzer.int(50)}`],
    [3, () => encodeComponent(nastyString(fuzzer)) || 'e'],
    [1, () => fuzzer.pick(NASTY_STRINGS).replaceAll(' ', '')], // raw, unescaped (non-ASCII and control bytes in the request line)
    [2, () => fuzzer.pick(['..', '../..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', 'a//b', 'a/', '.', '~', '%252e', 'a%2Fb'])],
    [2, () => fuzzer.pick(['%ZZ', '%', '%e0%80', '%ff', '%c0%af', '%00', '%0d%0a', '%7f', '%1b'])],
    [1, () => 'x'.repeat(fuzzer.pick([2_049, 3_000, 20_000]))],
    [2, () => fuzzer.pick(['FUZZ-GOOD-1', 'fuzz-good-1%20', '%20fuzz-good-2', 'fuzz-good-3%2F', 'fuzz-good-3/x', 'fuzz-good-4%E2%80%8B', 'fuzz-good-2%00', 'fuzz-good-1%0A', 'fuzz-good-', 'fuzz-good-10'])],
  ]);
}

const QUERY_PARTS: readonly string[] = [
  'include_events=ALL', 'include_events=x', 'include_events=', 'include_events=aLl', 'include_events=NONE', 'include_events=%00',
  'until=abc', 'until=1e10', 'until=-1', 'until=', 'until=NaN', 'until=Infinity', 'until=1e400', 'until=%ZZ',
  'all_sessions=true', 'all_sessions=maybe', 'output_channel=latest', 'output_channel=rest', 'output_channel=socketio', 'output_channel=zz', 'output_channel=__proto__',
  'execute_side_effects=true', 'emulation_mode=WIT', 'emulation_mode=x', 'stream=true', 'stream=TRUE', 'force_training=true', 'save_to_default_model_directory=false',
  'callback_url=ftp%3A%2F%2Fx', 'callback_url=not%20a%20url', 'callback_url=javascript%3Aalert(1)', 'callback_url=',
  'a[b]=c', '__proto__[x]=1', 'constructor[prototype][x]=1', '__proto__=1', '%ZZ=1', '&&&', '=', 'token', `token=${TOKEN}`, 'token[]=x',
];

function query(fuzzer: Fuzzer): string {
  const parts: string[] = [];
  for (let count = fuzzer.weighted([[5, () => 0], [4, () => 1 + fuzzer.int(3)], [1, () => 5 + fuzzer.int(20)]]); count > 0; count -= 1) parts.push(fuzzer.pick(QUERY_PARTS));
  const auth = fuzzer.weighted<string | null>([
    [85, () => `token=${TOKEN}`],
    [5, () => null],
    [5, () => `token=${encodeComponent(nastyString(fuzzer).slice(0, 200))}`],
    [5, () => `token=${TOKEN}x`],
  ]);
  if (auth) parts.splice(fuzzer.int(parts.length + 1), 0, auth);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/x-yaml', 'application/octet-stream', '', ';;;', '*/*', 'application/json; charset=nonsense'];
const ACCEPTS = ['application/json', 'application/x-yaml', 'text/yml', 'text/html', '*/*', '', 'application/json;q=0', 'yaml'];

const YAML_BODIES = ['intents: [greet', '- a\n- b', '5', '{}', 'nlu: 5', 'a: &a [*a]', 'x: !!binary AAAA', 'intents:\n\t- greet', 'a: 1\na: 2', 'version: "3.1"\nintents: {}', '%YAML 9.9\n---\na: 1', '? [a]\n: b', `a: ${'"x" '.repeat(10)}`];

function body(fuzzer: Fuzzer, route: RouteSpec): { bytes: Buffer; chunked: boolean } | undefined {
  if (route.method === 'GET' && fuzzer.chance(0.9)) return undefined;
  const valid = route.valid(fuzzer);
  const json = (value: unknown) => Buffer.from(JSON.stringify(route.defuse ? route.defuse(value) : value) ?? 'null', 'utf8');
  const validText = JSON.stringify(route.defuse ? route.defuse(valid) : valid) ?? '{}';
  const bytes = fuzzer.weighted<Buffer>([
    [8, () => json(typeof valid === 'object' && valid !== null && !Array.isArray(valid) ? breakOneField(fuzzer, valid as Record<string, unknown>) : Array.isArray(valid) && valid.length > 0 ? valid.map((item) => (fuzzer.chance(0.5) ? breakOneField(fuzzer, item as Record<string, unknown>) : item)) : jsonValue(fuzzer))],
    [3, () => json(randomObject(fuzzer, route.fields))],
    [2, () => json(jsonValue(fuzzer))],
    [3, () => mangleJson(fuzzer, validText)],
    [1, () => Buffer.alloc(0)],
    [1, () => randomBytes(fuzzer, fuzzer.between(1, 2_000))],
    [1, () => Buffer.concat([Buffer.from('{"text": "'), fuzzer.pick(INVALID_UTF8), Buffer.from('", "message": "'), fuzzer.pick(INVALID_UTF8), Buffer.from('", "sender": "fuzz-bad-utf8", "name": "greet"}')])],
    [1, () => Buffer.from(fuzzer.pick(YAML_BODIES), 'utf8')],
    [route.limit > 0 ? 1 : 0, () => Buffer.alloc(route.limit + 1 + fuzzer.int(route.limit), 0x61)],
    [0.5, () => Buffer.from(`{"text": "${'x'.repeat(Math.max(0, Math.min(route.limit || FUZZ_LIMITS.smallBody, 16_000) - 40))}", "sender": "user", "name": "greet"}`)],
    [0.5, () => Buffer.from(deeplyNested(fuzzer, 10_000))],
  ]);
  const defused = route.defuse ? defuseText(bytes, route) : bytes;
  return { bytes: defused, chunked: fuzzer.chance(0.1) };
}

/** A mangled `PUT /model` body that still parses must not name a real file either. */
function defuseText(bytes: Buffer, route: RouteSpec): Buffer {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return Buffer.from(JSON.stringify(route.defuse!(parsed)) ?? 'null', 'utf8');
  } catch {
    return bytes;
  }
}

export interface FuzzCase {
  request: RawRequest;
  /** One line for failure messages. */
  describe: string;
}

/** Case `index` of the run seeded by `root`. */
export function httpCase(root: Fuzzer, index: number): FuzzCase {
  const fuzzer = root.fork(index);
  let route = fuzzer.pick(ROUTES);
  let method = route.method;
  let path = route.path(conversationId(fuzzer));
  if (fuzzer.chance(0.08)) method = fuzzer.pick(ODD_METHODS);
  if (fuzzer.chance(0.05)) {
    path = fuzzer.pick(UNKNOWN_PATHS);
    route = ROUTES[0];
  }
  if (method === 'DELETE' && /^\/model\/*$/.test(path)) method = 'PATCH'; // a real unload (trailing slashes are ignored), not garbage
  const target = `${path}${query(fuzzer)}`;
  const headers: Array<[string, string]> = [];
  if (fuzzer.chance(0.8)) headers.push(['content-type', fuzzer.pick(CONTENT_TYPES)]);
  if (path === '/domain' || fuzzer.chance(0.1)) headers.push(['accept', fuzzer.pick(ACCEPTS)]);
  if (fuzzer.chance(0.08)) headers.push(['authorization', fuzzer.pick(BEARERS)]);
  if (fuzzer.chance(0.02)) headers.push(['x-odd', fuzzer.pick(['a\u0001b', 'ü', 'x'.repeat(20_000)])]);
  if (fuzzer.chance(0.02)) headers.push(['expect', '100-continue']);
  if (fuzzer.chance(0.02)) headers.push(['connection', 'upgrade'], ['upgrade', fuzzer.pick(['websocket', 'h2c', 'foo'])]);
  const payload = body(fuzzer, route);
  return {
    request: { method, target: Buffer.from(target, 'utf8'), headers, body: payload?.bytes, chunked: payload?.chunked },
    describe: `${method} ${target.length > 160 ? `${target.slice(0, 160)}… (${target.length} chars)` : target} body=${payload ? JSON.stringify(payload.bytes.subarray(0, 120).toString('utf8')) + (payload.bytes.length > 120 ? `… (${payload.bytes.length} bytes)` : '') : 'none'}${payload?.chunked ? ' chunked' : ''}`,
  };
}
