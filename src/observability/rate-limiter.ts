/**
 * Token buckets by key (client IP, sender id), in the style of the socket.io channel's per-connection
 * bucket: each key may send a burst of `limit`, refilled continuously at `limit` per `windowMs`.
 * Memory stays bounded: a key whose bucket is full again is the same as a key never seen, so it
 * is dropped when idle, and past `maxKeys` the least recently seen keys go first.
 */
import { ParleyError } from '../errors.js';

export interface KeyedRateLimiterOptions {
  /** Requests a key may make per window (also the burst size). Must be a positive whole number. */
  limit: number;
  /** @default 60000 (per minute) */
  windowMs?: number;
  /** Most keys kept at once; the least recently seen are forgotten beyond it. @default 100000 */
  maxKeys?: number;
  /** The clock (tests pass a fake one). @default Date.now */
  now?: () => number;
}

/** The outcome of one request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const ALLOWED: RateDecision = Object.freeze({ allowed: true });

export class KeyedRateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #refillPerMs: number;
  /** In least-recently-seen order: a key is moved to the end each time it is seen. */
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep: number;

  /** @throws ParleyError `PARLEY_ERR_CLI_USAGE` for a limit that is not a positive whole number. */
  constructor(options: KeyedRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new ParleyError('PARLEY_ERR_CLI_USAGE', `A rate limit must be a positive whole number of requests, not ${options.limit}.`);
    }
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#refillPerMs = this.limit / this.windowMs;
    this.#lastSweep = this.#now();
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token for `key`; refused (nothing taken) when its bucket is empty. */
  take(key: string): RateDecision {
    const now = this.#now();
    this.#sweepIdle(now);
    const bucket = this.#buckets.get(key);
    let tokens = this.limit;
    if (bucket) {
      tokens = Math.min(this.limit, bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs);
      this.#buckets.delete(key);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(key, { tokens, updatedAt: now });
    if (this.#buckets.size > this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value as string);
    return allowed ? ALLOWED : { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.#refillPerMs) };
  }

  /**
   * Drops keys idle for a whole window (their bucket is full again), at most once per window;
   * the map is in least-recently-seen order, so the scan stops at the first key still in use.
   */
  #sweepIdle(now: number): void {
    if (now - this.#lastSweep < this.windowMs) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.updatedAt < this.windowMs) break;
      this.#buckets.delete(key);
    }
  }
}
