/**
 * The part every broker shares: a bounded in-memory queue in front of a transport, delivered in
 * order by one background loop that reconnects and retries with exponential backoff. Publishing
 * never waits for the server, so a broker outage cannot slow a conversation down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TrackerEvent } from '../shared/events.js';
import { brokerMessage } from './broker-message.js';
import type { BrokerMessage, BrokerStats, BrokerTransport, EventBroker } from './types.js';

export interface BufferedBrokerOptions {
  /** The endpoints.yml `type:`. */
  type: string;
  transport: BrokerTransport;
  logger: Logger;
  /**
   * Most events held while the server is unreachable; beyond it new events are dropped (counted
   * and logged) so memory stays bounded.
   * @default 10000
   */
  maxBuffered?: number;
  /** Most events sent (and confirmed) in one round trip. @default 200 */
  batchSize?: number;
  /** First delay before a retry; it doubles up to `maxRetryDelayMs`. @default 100 */
  minRetryDelayMs?: number;
  /** Longest delay between retries (Rasa's `retry_delay_in_seconds`). @default 5000 */
  maxRetryDelayMs?: number;
  /** Rasa's `should_keep_unpublished_messages`: false drops a batch that failed instead of retrying. @default true */
  keepUnpublished?: boolean;
  /** How long `close()` keeps trying to deliver what is buffered. @default 10000 */
  closeTimeoutMs?: number;
}

export class BufferedEventBroker implements EventBroker {
  readonly type: string;
  readonly #transport: BrokerTransport;
  readonly #logger: Logger;
  readonly #maxBuffered: number;
  readonly #batchSize: number;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #keepUnpublished: boolean;
  readonly #closeTimeoutMs: number;
  readonly #stop = new AbortController();
  /** Pending messages are `#queue[#head…]`; the first batch stays queued until it is confirmed. */
  #queue: BrokerMessage[] = [];
  #head = 0;
  #pumping: Promise<void> | undefined;
  #drained: Array<() => void> = [];
  #closed = false;
  #failing = false;
  #published = 0;
  #retried = 0;
  #dropped = 0;

  constructor(options: BufferedBrokerOptions) {
    this.type = options.type;
    this.#transport = options.transport;
    this.#logger = options.logger;
    this.#maxBuffered = options.maxBuffered ?? 10_000;
    this.#batchSize = options.batchSize ?? 200;
    this.#minDelay = options.minRetryDelayMs ?? 100;
    this.#maxDelay = Math.max(options.maxRetryDelayMs ?? 5_000, this.#minDelay);
    this.#keepUnpublished = options.keepUnpublished ?? true;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  }

  /**
   * Makes the first connection attempt. A configuration problem (a coded ParleyError) is thrown so
   * `parley run` stops with a clear message; an unreachable server is only logged, and the
   * broker keeps trying in the background.
   */
  async start(): Promise<void> {
    try {
      await this.#transport.connect();
      this.#logger.info({ target: this.#transport.description }, 'broker.connected');
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      this.#failing = true;
      this.#logger.warn(
        { err: error, target: this.#transport.description },
        'broker.connect.failed: events are buffered and delivered once the broker is reachable',
      );
      await this.#transport.reset().catch(() => undefined);
    }
  }

  publish(senderId: string, events: readonly TrackerEvent[]): void {
    if (events.length === 0) return;
    if (this.#closed) {
      this.#dropped += events.length;
      this.#logger.error({ events: events.length }, 'broker.publish.after_close: events dropped');
      return;
    }
    let dropped = 0;
    for (const event of events) {
      if (this.#size >= this.#maxBuffered) {
        dropped += 1;
        continue;
      }
      this.#queue.push(brokerMessage(senderId, event));
    }
    if (dropped > 0) {
      this.#dropped += dropped;
      this.#logger.error(
        { dropped, buffered: this.#size, maxBuffered: this.#maxBuffered, target: this.#transport.description },
        'broker.buffer.full: events dropped',
      );
    }
    this.#kick();
  }

  stats(): BrokerStats {
    return {
      published: this.#published,
      buffered: this.#size,
      retried: this.#retried,
      dropped: this.#dropped,
      connected: this.#transport.connected,
    };
  }

  flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.#size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (delivered: boolean) => {
        clearTimeout(timer);
        this.#drained = this.#drained.filter((waiter) => waiter !== onDrained);
        resolve(delivered);
      };
      const onDrained = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#drained.push(onDrained);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const delivered = await this.flush(this.#closeTimeoutMs);
    if (!delivered) {
      this.#dropped += this.#size;
      this.#logger.error(
        { undelivered: this.#size, target: this.#transport.description },
        'broker.close.undelivered: the broker stayed unreachable; these events are lost',
      );
      this.#queue = [];
      this.#head = 0;
    }
    this.#stop.abort();
    // A send stuck on a dead socket must not hold up shutdown: closing the transport ends it.
    await this.#transport.close().catch(() => undefined);
    await this.#pumping;
  }

  get #size(): number {
    return this.#queue.length - this.#head;
  }

  #kick(): void {
    if (this.#pumping || this.#stop.signal.aborted) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#size > 0) this.#kick();
    });
  }

  async #pump(): Promise<void> {
    let delay = this.#minDelay;
    while (this.#size > 0 && !this.#stop.signal.aborted) {
      const batch = this.#queue.slice(this.#head, this.#head + this.#batchSize);
      try {
        if (!this.#transport.connected) await this.#transport.connect();
        await this.#transport.send(batch);
        this.#delivered(batch.length);
        delay = this.#minDelay;
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        this.#failed(batch.length, error, delay);
        await this.#transport.reset().catch(() => undefined);
        await sleep(delay, undefined, { signal: this.#stop.signal }).catch(() => undefined);
        delay = Math.min(delay * 2, this.#maxDelay);
      }
    }
  }

  #delivered(count: number): void {
    this.#head += count;
    this.#published += count;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.#failing) {
      this.#failing = false;
      this.#logger.info(
        { target: this.#transport.description, buffered: this.#size },
        'broker.connection.restored: delivering buffered events',
      );
    }
    if (this.#size === 0) for (const waiter of [...this.#drained]) waiter();
  }

  #failed(count: number, error: unknown, delay: number): void {
    if (!this.#keepUnpublished) {
      this.#head += count;
      this.#dropped += count;
      this.#logger.error({ err: error, dropped: count }, 'broker.publish.failed: events dropped (should_keep_unpublished_messages is false)');
      if (this.#size === 0) for (const waiter of [...this.#drained]) waiter();
      return;
    }
    this.#retried += count;
    const details = { err: error, target: this.#transport.description, buffered: this.#size, retryInMs: delay };
    if (this.#failing) {
      this.#logger.debug(details, 'broker.publish.retry');
    } else {
      this.#failing = true;
      this.#logger.warn(details, 'broker.publish.failed: buffering events and retrying');
    }
  }
}
