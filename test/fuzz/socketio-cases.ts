/**
 * Malformed socket.io traffic: event emits (with what the server must answer) for real v4 and
 * v2 (EIO3) clients, and raw Engine.IO polling payloads for the layers below them. Session ids
 * never name the well-behaved conversations (`sio-good-*`).
 */
import { MAX_CONVERSATION_ID_LENGTH } from '../../src/shared/messages.js';
import { encodeComponent, Fuzzer, jsonValue, nastyString, NASTY_STRINGS, randomBytes, randomObject } from './generators.js';

/** The server's defaults (socketio-limits.ts) the expectations are computed with. */
export const MAX_MESSAGE_LENGTH = 10_000;
export const MAX_METADATA_BYTES = 32_768;

/** What the acknowledgement of an emit must carry. */
export type Expectation = 'delivered' | 'message_too_long' | 'metadata_too_large' | 'metadata_too_deep' | 'session_id_too_long' | 'no-ack';

export interface EmitCase {
  event: string;
  args: unknown[];
  /** With an acknowledgement: the refusal code it must carry, or `delivered` (no error). */
  expect: Expectation;
  /**
   * Binary parts inside a deeply nested payload: socket.io's packet codec is recursive, so the
   * client may fail to encode it, or the server may fail to decode it and close that one
   * connection (socket.io's answer to an undecodable packet). Either is fine; a crash is not.
   */
  undecodable?: boolean;
  describe: string;
}

/** Events the server does not handle (client-side reserved names are left out: clients refuse to emit them). */
const UNKNOWN_EVENTS = ['foo', 'bot_uttered', 'session_confirm', 'parley_error', 'constructor', '__proto__', 'hasOwnProperty', 'toString', ' ', 'user_uttered ', 'USER_UTTERED', 'message', '😀', 'x'.repeat(5_000)];

type Metadata = { value: unknown; kind: 'absent' | 'small' | 'deep' | 'large' };

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

function metadata(fuzzer: Fuzzer): Metadata {
  return fuzzer.weighted<Metadata>([
    [4, () => ({ value: undefined, kind: 'absent' })],
    [4, () => ({ value: randomObject(fuzzer, ['a', 'b']), kind: 'small' })],
    [1, () => ({ value: JSON.stringify({ a: 1 }), kind: 'small' })],
    [1, () => ({ value: fuzzer.pick(['{not json', '', 'null', '[1,', '"x"']), kind: 'small' })],
    [1, () => ({ value: Buffer.from([0, 1, 2, 255]), kind: 'small' })],
    [1, () => ({ value: nested(fuzzer.pick([101, 500, 3_000])), kind: 'deep' })],
    // As a JSON string the nesting stays under the byte limit yet JSON.parse would happily build it.
    [1, () => ({ value: `${'['.repeat(15_000)}${']'.repeat(15_000)}`, kind: 'deep' })],
    [1, () => ({ value: { blob: 'x'.repeat(MAX_METADATA_BYTES + fuzzer.int(10_000)) }, kind: 'large' })],
    [0.5, () => ({ value: Buffer.alloc(20_000, 7), kind: 'large' })],
  ]);
}

function message(fuzzer: Fuzzer): unknown {
  return fuzzer.weighted<unknown>([
    [6, () => fuzzer.pick(['hi', 'I am sad', 'bye', 'are you a bot?', '/greet', '/mood_great{"x": 1}', '  hello  '])],
    [3, () => nastyString(fuzzer)],
    [1, () => 'y'.repeat(MAX_MESSAGE_LENGTH + 1 + fuzzer.int(2_000))],
    [1, () => 'z'.repeat(MAX_MESSAGE_LENGTH)],
    [2, () => jsonValue(fuzzer, 2)],
    [1, () => Buffer.from('hi')],
    [1, () => undefined],
  ]);
}

function sessionId(fuzzer: Fuzzer): unknown {
  return fuzzer.weighted<unknown>([
    [5, () => `sio-bad-${fuzzer.int(40)}`],
    [2, () => undefined],
    [2, () => jsonValue(fuzzer, 1)],
    [1, () => fuzzer.pick(['SIO-GOOD-1', 'sio-good-1 ', 'sio-good-', 'sio-good-10', ' sio-good-2'])],
    [0.5, () => 's'.repeat(50_000)],
  ]);
}

/** A `user_uttered` emit and the answer it must get (rate limits aside: callers stay under them). */
function userUttered(fuzzer: Fuzzer): EmitCase {
  const shape = fuzzer.weighted<'object' | 'other' | 'none' | 'extra-args'>([[8, () => 'object'], [1, () => 'other'], [0.5, () => 'none'], [0.5, () => 'extra-args']]);
  if (shape !== 'object') {
    const args = shape === 'none' ? [] : shape === 'other' ? [fuzzer.chance(0.2) ? randomBytes(fuzzer, 64) : jsonValue(fuzzer, 2)] : [{ message: 'hi', session_id: 'sio-bad-x' }, 1, 'two', null];
    return { event: 'user_uttered', args, expect: 'delivered', describe: `user_uttered ${shape}` };
  }
  const payload: Record<string, unknown> = {};
  const text = message(fuzzer);
  if (text !== undefined) payload.message = text;
  const session = sessionId(fuzzer);
  if (session !== undefined) payload.session_id = session;
  const meta = metadata(fuzzer);
  if (meta.kind !== 'absent') payload.metadata = meta.value;
  if (fuzzer.chance(0.2)) Object.defineProperty(payload, fuzzer.pick(['__proto__', 'constructor', 'customData', 'input_channel']), { value: jsonValue(fuzzer, 2), enumerable: true, configurable: true, writable: true });
  let expect: Expectation = 'delivered';
  const isText = text === undefined || text === null || typeof text === 'string';
  if (isText && typeof text === 'string' && text.length > MAX_MESSAGE_LENGTH) expect = 'message_too_long';
  else if (isText && meta.kind === 'deep') expect = 'metadata_too_deep';
  else if (isText && meta.kind === 'large') expect = 'metadata_too_large';
  // The fuzz server keeps sessions (session_persistence), so the id is the conversation id.
  else if (isText && typeof session === 'string' && session.length > MAX_CONVERSATION_ID_LENGTH) expect = 'session_id_too_long';
  const describe = `user_uttered message=${describeValue(text)} session_id=${describeValue(session)} metadata=${meta.kind}`;
  const hasBinary = Object.values(payload).some((value) => Buffer.isBuffer(value));
  return { event: 'user_uttered', args: [payload], expect, describe, undecodable: hasBinary && meta.kind === 'deep' && typeof meta.value !== 'string' };
}

function describeValue(value: unknown): string {
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

/** Emit `index` of a garbage client. */
export function emitCase(fuzzer: Fuzzer): EmitCase {
  return fuzzer.weighted<EmitCase>([
    [14, () => userUttered(fuzzer)],
    [3, () => {
      const payload = fuzzer.weighted<unknown>([
        [3, () => ({ session_id: `sio-bad-${fuzzer.int(40)}` })],
        [2, () => ({ session_id: jsonValue(fuzzer, 1) })],
        [1, () => jsonValue(fuzzer, 2)],
        [1, () => ({})],
      ]);
      return { event: 'session_request', args: [payload], expect: 'delivered', describe: `session_request ${describeValue(payload)}` };
    }],
    [3, () => ({ event: fuzzer.pick(UNKNOWN_EVENTS), args: [jsonValue(fuzzer, 2)], expect: 'no-ack', describe: 'an event the server does not know' })],
  ]);
}

// ── raw Engine.IO polling ────────────────────────────────────────────────────────────────

/** Socket.IO packets as text, valid and not. */
function packet(fuzzer: Fuzzer): string {
  const valid = `42["user_uttered",{"message":"hi","session_id":"sio-raw-${fuzzer.int(20)}"}]`;
  return fuzzer.weighted<string>([
    [3, () => valid],
    [1, () => `42["session_request",{"session_id":"sio-raw-${fuzzer.int(20)}"}]`],
    [1, () => `421["session_request",{"session_id":"sio-raw-ack"}]`],
    [3, () => valid.slice(0, fuzzer.int(valid.length))],
    [1, () => fuzzer.pick(['4x', '42[', '9', '6', '2', '3', '5', '1', '4', '40/nope,', '41', '43', '44', '46', '42{}', '42"x"', '42[1,2]', '42[null]', '42[""]', '40{"token":1}'])],
    [1, () => `42["user_uttered",{"message":"hi","session_id":"sio-raw-deep","metadata":${'['.repeat(5_000)}${']'.repeat(5_000)}}]`],
    [1, () => `42${'['.repeat(fuzzer.pick([1_000, 10_000]))}${']'.repeat(1_000)}`],
    [1, () => `451-["user_uttered",{"message":"hi","session_id":"sio-raw-bin","metadata":{"_placeholder":true,"num":${fuzzer.pick([0, 1, 7, -1, '"0"', 'null'])}}}]`],
    [1, () => `451-["user_uttered",${'['.repeat(5_000)}{"_placeholder":true,"num":0}${']'.repeat(5_000)}]`],
    [1, () => `4${fuzzer.int(10)}${encodeComponent(nastyString(fuzzer))}`],
    [1, () => fuzzer.pick(NASTY_STRINGS)],
  ]);
}

export interface PollingCase {
  eio: 3 | 4;
  /** The POST body after the handshake. */
  body: Buffer;
  describe: string;
}

/** EIO4 joins packets with the record separator; EIO3 frames each as `<length>:<packet>`. */
export function pollingCase(fuzzer: Fuzzer): PollingCase {
  const eio = fuzzer.chance(0.5) ? 4 : 3;
  const packets = [...(fuzzer.chance(0.85) ? ['40'] : []), ...Array.from({ length: fuzzer.between(1, 4) }, () => packet(fuzzer))];
  if (fuzzer.chance(0.3)) packets.push(eio === 4 ? `b${randomBytes(fuzzer, 12).toString('base64')}` : `b4${randomBytes(fuzzer, 12).toString('base64')}`);
  let text = eio === 4 ? packets.join('\u001e') : packets.map((item) => `${item.length}:${item}`).join('');
  if (fuzzer.chance(0.1)) text = text.slice(0, fuzzer.int(text.length + 1)); // broken framing
  if (fuzzer.chance(0.05)) text = `${fuzzer.int(99_999)}:${text}`;
  let body = Buffer.from(text, 'utf8');
  if (fuzzer.chance(0.05)) body = Buffer.concat([body, randomBytes(fuzzer, 200)]);
  if (fuzzer.chance(0.01)) body = Buffer.alloc(1_000_001, 0x34);
  return { eio, body, describe: `EIO${eio} POST ${JSON.stringify(body.subarray(0, 160).toString('utf8'))}${body.length > 160 ? `… (${body.length} bytes)` : ''}` };
}

/** Engine.IO's own HTTP requests with odd queries (answered in Engine.IO's error shape). */
export function engineQuery(fuzzer: Fuzzer): string {
  const parts = [
    fuzzer.pick(['EIO=4', 'EIO=3', 'EIO=5', 'EIO=x', 'EIO=', '']),
    fuzzer.pick(['transport=polling', 'transport=websocket', 'transport=foo', 'transport=', '']),
    fuzzer.pick(['', 'sid=nope', `sid=${'x'.repeat(3000)}`, 'sid=', 'b64=1', 'j=0', 'j=abc', 't=x', '%ZZ', '__proto__[x]=1']),
  ].filter((part) => part !== '');
  return `/socket.io/?${parts.join('&')}`;
}
