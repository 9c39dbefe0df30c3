/** Event brokers: where every new tracker event is published, chosen by endpoints.yml `event_broker.type`. */
import type { TrackerEvent } from '../shared/events.js';

export interface EventBroker {
  /** The endpoints.yml `type:` this broker answers to. */
  readonly type: string;
  /**
   * Queues the events of one conversation for delivery and returns at once: a slow or
   * unreachable broker never blocks a conversation. Events of one conversation are delivered in
   * the order they were published.
   */
  publish(senderId: string, events: readonly TrackerEvent[]): void;
  /** Resolves true once everything published so far was delivered, false when `timeoutMs` passed first. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Counters for metrics and health checks. */
  stats(): BrokerStats;
  /** Tries to deliver what is buffered (bounded wait), then disconnects. */
  close(): Promise<void>;
}

export interface BrokerStats {
  /** Events the server confirmed. */
  published: number;
  /** Events waiting in memory for delivery. */
  buffered: number;
  /** Delivery attempts that failed and were (or will be) tried again, counted per event. */
  retried: number;
  /** Events given up on: buffer full, publishing after close, or `should_keep_unpublished_messages: false`. */
  dropped: number;
  /** Whether the broker currently holds a working connection. */
  connected: boolean;
}

/** One message ready for the wire: Rasa's body (event JSON plus `sender_id`) as text. */
export interface BrokerMessage {
  senderId: string;
  body: string;
}

/** The server-specific part of a broker; buffering, retries and counters live in BufferedPublisher. */
export interface BrokerTransport {
  /** Where messages go, without secrets, for logs. */
  readonly description: string;
  /** Opens the connection (and declares exchanges/queues/tables). Throws when the server is unreachable. */
  connect(): Promise<void>;
  /** Delivers every message or throws; on success the server has them (confirmed/committed). */
  send(messages: readonly BrokerMessage[]): Promise<void>;
  /** Whether the last connection is still usable. */
  readonly connected: boolean;
  /** Drops the connection after a failure, so the next `connect` starts clean. */
  reset(): Promise<void>;
  close(): Promise<void>;
}
