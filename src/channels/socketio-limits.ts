/**
 * What the `socketio` channel refuses from a website client before a message reaches the bot:
 * too many messages from one connection (a token bucket per socket), a text that is too long,
 * metadata that is too large. Each refusal becomes a `parley_error` event for that socket.
 *
 * credentials.yml, all optional (0 or false turns a limit off):
 *
 *     socketio:
 *       max_messages_per_minute: 60   # per connection; a burst of this many, then one per 1/60 min
 *       max_message_length: 10000     # characters of `message`
 *       max_metadata_bytes: 32768     # bytes of the metadata as JSON (as sent, if sent as a string)
 *
 * Metadata nested more than 100 levels deep is always refused (see json-nesting.ts).
 */
import { jsonTextNestsDeeperThan, MAX_JSON_NESTING, valueNestsDeeperThan } from './json-nesting.js';
import type { ParleyErrorPayload } from './socketio-protocol.js';
import { limitOption, type ChannelOptions } from './options.js';

export interface SocketIoLimits {
  /** User messages one connection may send per minute (also the burst size); null: no limit. @default 60 */
  maxMessagesPerMinute: number | null;
  /** Longest accepted `message`, in UTF-16 characters as JavaScript counts them; null: no limit. @default 10000 */
  maxMessageLength: number | null;
  /** Largest accepted metadata, in UTF-8 bytes of its JSON; null: no limit. @default 32768 */
  maxMetadataBytes: number | null;
}

export const DEFAULT_SOCKETIO_LIMITS: Readonly<SocketIoLimits> = Object.freeze({
  maxMessagesPerMinute: 60,
  maxMessageLength: 10_000,
  maxMetadataBytes: 32_768,
});

/** The limits from credentials.yml `socketio:` options, defaults filled in. */
export function socketIoLimitsFrom(options: ChannelOptions): SocketIoLimits {
  return {
    maxMessagesPerMinute: limitOption('socketio', options, 'max_messages_per_minute', DEFAULT_SOCKETIO_LIMITS.maxMessagesPerMinute),
    maxMessageLength: limitOption('socketio', options, 'max_message_length', DEFAULT_SOCKETIO_LIMITS.maxMessageLength),
    maxMetadataBytes: limitOption('socketio', options, 'max_metadata_bytes', DEFAULT_SOCKETIO_LIMITS.maxMetadataBytes),
  };
}

/**
 * A token bucket: holds up to `capacity` tokens, refills continuously at `capacity` per
 * `periodMs`, and each accepted message takes one. Constant time per message.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(capacity: number, periodMs: number, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#refillPerMs = capacity / periodMs;
    this.#now = now;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#refillPerMs);
    this.#updatedAt = now;
  }

  /** Take one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available again (0 when one is). */
  msUntilNextToken(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#refillPerMs);
  }
}

/** A message-rate guard for one connection; `null` limit lets everything through. */
export function createRateGuard(limits: SocketIoLimits, now: () => number = Date.now): () => ParleyErrorPayload | null {
  const perMinute = limits.maxMessagesPerMinute;
  if (perMinute === null) return () => null;
  const bucket = new TokenBucket(perMinute, 60_000, now);
  return () => {
    if (bucket.take()) return null;
    const retryAfterMs = bucket.msUntilNextToken();
    return {
      code: 'rate_limited',
      message:
        `Too many messages: this connection may send ${perMinute} per minute. ` +
        `The message was not delivered; send it again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      limit: perMinute,
      retry_after_ms: retryAfterMs,
    };
  };
}

/** Size of the metadata as it travelled: a string's own bytes, anything else as JSON. */
export function metadataByteLength(value: unknown): number {
  if (value === undefined) return 0;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/** The size violation of one user message, if any (the text first, then the metadata's nesting, then its size). */
export function sizeViolation(
  limits: SocketIoLimits,
  message: string | null | undefined,
  metadata: unknown,
): ParleyErrorPayload | null {
  if (limits.maxMessageLength !== null && typeof message === 'string' && message.length > limits.maxMessageLength) {
    return {
      code: 'message_too_long',
      message:
        `The message has ${message.length} characters; this server accepts at most ${limits.maxMessageLength}. ` +
        'It was not delivered.',
      limit: limits.maxMessageLength,
    };
  }
  // Before measuring: JSON.stringify of very deep metadata overflows the stack, and stored deep
  // metadata would break every later read of the conversation.
  const tooDeep = typeof metadata === 'string' ? jsonTextNestsDeeperThan(metadata) : valueNestsDeeperThan(metadata);
  if (tooDeep) {
    return {
      code: 'metadata_too_deep',
      message:
        `The message metadata nests arrays and objects more than ${MAX_JSON_NESTING} levels deep; this server accepts at most ${MAX_JSON_NESTING}. ` +
        'The message was not delivered.',
      limit: MAX_JSON_NESTING,
    };
  }
  if (limits.maxMetadataBytes !== null) {
    const bytes = metadataByteLength(metadata);
    if (bytes > limits.maxMetadataBytes) {
      return {
        code: 'metadata_too_large',
        message:
          `The message metadata is ${bytes} bytes as JSON; this server accepts at most ${limits.maxMetadataBytes}. ` +
          'The message was not delivered.',
        limit: limits.maxMetadataBytes,
      };
    }
  }
  return null;
}
