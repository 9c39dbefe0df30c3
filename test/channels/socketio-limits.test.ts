import { afterEach, describe, expect, it } from 'vitest';
import {
  createRateGuard,
  DEFAULT_SOCKETIO_LIMITS,
  metadataByteLength,
  sizeViolation,
  socketIoLimitsFrom,
  TokenBucket,
} from '../../src/channels/socketio-limits.js';
import { createSocketIoChannel } from '../../src/channels/socketio.js';
import { silentLogger } from '../../src/logger.js';
import { captureLogs } from './helpers/logs.js';
import { closeServers, startServer } from './helpers/server.js';
import { connectClient, type TestClient } from './helpers/socket-clients.js';
import { createTestHandler, type TestHandler } from './helpers/test-handler.js';

const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await closeServers();
});

async function socketServer(options: Record<string, unknown>, logger = silentLogger()) {
  const handler = createTestHandler();
  const { url } = await startServer({ credentials: [{ name: 'socketio', options }], handler, logger });
  return { url, handler: handler as TestHandler };
}

async function connect(url: string): Promise<TestClient> {
  const client = await connectClient('v4', url, { events: ['session_confirm', 'bot_uttered', 'parley_error'] });
  clients.push(client);
  return client;
}

/** A fake clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('TokenBucket', () => {
  it('lets a full burst through, then refuses until time refills a token', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(3, 60_000, clock.now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.msUntilNextToken()).toBe(20_000);
    clock.advance(19_999);
    expect(bucket.take()).toBe(false);
    clock.advance(1);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than its capacity, however long it was idle', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, 60_000, clock.now);
    clock.advance(3_600_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});

describe('createRateGuard', () => {
  it('answers a refusal with the limit and when to try again', () => {
    const clock = manualClock();
    const guard = createRateGuard({ ...DEFAULT_SOCKETIO_LIMITS, maxMessagesPerMinute: 2 }, clock.now);
    expect(guard()).toBeNull();
    expect(guard()).toBeNull();
    expect(guard()).toEqual({
      code: 'rate_limited',
      message: 'Too many messages: this connection may send 2 per minute. The message was not delivered; send it again in 30 s.',
      limit: 2,
      retry_after_ms: 30_000,
    });
  });

  it('lets everything through when the limit is off', () => {
    const guard = createRateGuard({ ...DEFAULT_SOCKETIO_LIMITS, maxMessagesPerMinute: null });
    for (let index = 0; index < 1000; index += 1) expect(guard()).toBeNull();
  });
});

describe('sizeViolation', () => {
  const limits = { maxMessagesPerMinute: null, maxMessageLength: 5, maxMetadataBytes: 20 };

  it('accepts a message and metadata exactly at the limits', () => {
    expect(sizeViolation(limits, 'abcde', { a: '123456789012' })).toBeNull();
    expect(metadataByteLength({ a: '123456789012' })).toBe(20);
  });

  it('refuses a text one character over the limit', () => {
    expect(sizeViolation(limits, 'abcdef', undefined)).toMatchObject({ code: 'message_too_long', limit: 5 });
  });

  it('counts metadata in UTF-8 bytes of its JSON, or of the string it was sent as', () => {
    expect(metadataByteLength({ é: 'é' })).toBe(11);
    expect(metadataByteLength('{"a":1}')).toBe(7);
    expect(metadataByteLength(undefined)).toBe(0);
    expect(sizeViolation(limits, 'hi', { note: '€€€€€' })).toMatchObject({ code: 'metadata_too_large', limit: 20 });
    expect(sizeViolation(limits, 'hi', 'x'.repeat(21))).toMatchObject({ code: 'metadata_too_large' });
  });

  it('checks nothing whose limit is off', () => {
    const off = { maxMessagesPerMinute: null, maxMessageLength: null, maxMetadataBytes: null };
    expect(sizeViolation(off, 'x'.repeat(100_000), { big: 'y'.repeat(100_000) })).toBeNull();
  });
});

describe('socketIoLimitsFrom', () => {
  it('uses generous defaults', () => {
    expect(socketIoLimitsFrom({})).toEqual({ maxMessagesPerMinute: 60, maxMessageLength: 10_000, maxMetadataBytes: 32_768 });
  });

  it('reads numbers, numeric strings, and 0 or false as no limit', () => {
    expect(socketIoLimitsFrom({ max_messages_per_minute: 5, max_message_length: '200', max_metadata_bytes: 0 })).toEqual({
      maxMessagesPerMinute: 5,
      maxMessageLength: 200,
      maxMetadataBytes: null,
    });
    expect(socketIoLimitsFrom({ max_messages_per_minute: false }).maxMessagesPerMinute).toBeNull();
  });

  it('refuses a negative, fractional or non-numeric limit with the option named', () => {
    for (const value of [-1, 1.5, 'many', [3]]) {
      expect(() => createSocketIoChannel({ max_messages_per_minute: value }, silentLogger())).toThrowError(
        /`max_messages_per_minute` of the `socketio` channel must be a positive whole number/,
      );
    }
  });
});

describe('the socketio channel enforcing its limits', () => {
  it('refuses messages over the rate with parley_error, keeps the socket, and logs once per run', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({ max_messages_per_minute: 3 }, logs.logger);
    const client = await connect(url);
    const acks: unknown[][] = [];
    for (const text of ['one', 'two', 'three', 'four', 'five']) acks.push(await client.emitWithAck('user_uttered', { message: text }));
    expect(handler.received.map((message) => message.text)).toEqual(['one', 'two', 'three']);
    // The refused messages' acknowledgements say so; the delivered ones carry nothing, as Rasa's.
    expect(acks.map((args) => args.length)).toEqual([0, 0, 0, 1, 1]);
    expect(acks[3][0]).toEqual({ error: expect.objectContaining({ code: 'rate_limited' }) });
    const errors = client.received('parley_error').map(([error]) => error);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'rate_limited', limit: 3, retry_after_ms: expect.any(Number) });
    expect((errors[0] as { message: string }).message).toMatch(/may send 3 per minute/);
    // Still connected: the socket answers its next request.
    await client.emitWithAck('session_request', { session_id: 'still-here' });
    expect(client.received('session_confirm')).toEqual([['still-here']]);
    const lines = logs.entries().filter((entry) => entry.event === 'channel.socketio.limit.rate_limited');
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toMatch(/user_uttered refused: Too many messages/);
  });

  it('counts per connection: another socket still gets through', async () => {
    const { url, handler } = await socketServer({ max_messages_per_minute: 1 });
    const first = await connect(url);
    const second = await connect(url);
    await first.emitWithAck('user_uttered', { message: 'a' });
    await first.emitWithAck('user_uttered', { message: 'b' });
    await second.emitWithAck('user_uttered', { message: 'c' });
    expect(handler.received.map((message) => message.text)).toEqual(['a', 'c']);
    expect(first.received('parley_error')).toHaveLength(1);
    expect(second.received('parley_error')).toHaveLength(0);
  });

  it('refuses a message that is too long and tells that socket only', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({ max_message_length: 10 }, logs.logger);
    const client = await connect(url);
    const bystander = await connect(url);
    await client.emitWithAck('user_uttered', { message: 'x'.repeat(11) });
    await client.emitWithAck('user_uttered', { message: 'x'.repeat(10) });
    await bystander.emitWithAck('session_request', {});
    expect(handler.received.map((message) => message.text)).toEqual(['x'.repeat(10)]);
    expect(client.received('parley_error')).toEqual([
      [{ code: 'message_too_long', limit: 10, message: 'The message has 11 characters; this server accepts at most 10. It was not delivered.' }],
    ]);
    expect(bystander.received('parley_error')).toEqual([]);
    expect(logs.entries().some((entry) => entry.event === 'channel.socketio.limit.message_too_long')).toBe(true);
  });

  it('refuses metadata that is too large, measured under the configured metadata_key', async () => {
    const { url, handler } = await socketServer({ max_metadata_bytes: 64, metadata_key: 'customData' });
    const client = await connect(url);
    await client.emitWithAck('user_uttered', { message: 'big', customData: { blob: 'z'.repeat(100) } });
    await client.emitWithAck('user_uttered', { message: 'small', customData: { language: 'en' } });
    // A large field under another name is not metadata and is not limited.
    await client.emitWithAck('user_uttered', { message: 'other', metadata: { blob: 'z'.repeat(100) } });
    expect(handler.received.map((message) => [message.text, message.metadata])).toEqual([
      ['small', { language: 'en' }],
      ['other', {}],
    ]);
    expect(client.received('parley_error')).toEqual([[expect.objectContaining({ code: 'metadata_too_large', limit: 64 })]]);
  });

  it('refuses a message whose session_id is over 2,048 characters and answers a session_request for one with a new id', async () => {
    const logs = captureLogs();
    const { url, handler } = await socketServer({ session_persistence: true }, logs.logger);
    const client = await connect(url);
    const tooLong = 's'.repeat(2049);
    await client.emitWithAck('session_request', { session_id: tooLong });
    const [[confirmed]] = client.received('session_confirm') as Array<[string]>;
    expect(confirmed).not.toBe(tooLong);
    expect(confirmed.length).toBeLessThanOrEqual(2048);
    await client.emitWithAck('user_uttered', { message: 'refused', session_id: tooLong });
    await client.emitWithAck('user_uttered', { message: 'taken', session_id: 'k'.repeat(2048) });
    expect(handler.received.map((message) => message.text)).toEqual(['taken']);
    expect(client.received('parley_error')).toEqual([[expect.objectContaining({ code: 'session_id_too_long', limit: 2048 })]]);
    expect(logs.entries().some((entry) => entry.event === 'channel.socketio.session_request.too_long')).toBe(true);
  });

  it('accepts a long message and large metadata when the limits are turned off', async () => {
    const { url, handler } = await socketServer({ max_message_length: 0, max_metadata_bytes: false });
    const client = await connect(url);
    await client.emitWithAck('user_uttered', { message: 'x'.repeat(20_000), metadata: { blob: 'z'.repeat(40_000) } });
    expect(handler.received).toHaveLength(1);
    expect(client.received('parley_error')).toEqual([]);
  });
});
