/**
 * Parley's own metrics (what `/metrics` shows): messages per channel and their latency, HTTP
 * requests per route and status, action-server calls, tracker-store errors, open socket.io
 * connections and the event broker's buffer. Gauges that mirror live state read it when scraped.
 */
import { MetricsRegistry, type Counter, type Histogram } from './metrics.js';

/** Live values read at scrape time; each is optional (a server without socket.io has no sockets). */
export interface MetricSources {
  /** Open socket.io connections. */
  socketConnections?: () => number | undefined;
  /** Events waiting in the event broker's buffer. */
  brokerBuffered?: () => number | undefined;
}

export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** `parley_messages_received_total{channel}`: user messages handed to the bot. */
  readonly messagesReceived: Counter;
  /** `parley_messages_processed_total{channel}`: messages whose turn finished without an error. */
  readonly messagesProcessed: Counter;
  /** `parley_message_errors_total{channel}`: messages whose turn failed. */
  readonly messageErrors: Counter;
  /** `parley_message_processing_seconds{channel}`: time from receiving a message to the end of its turn. */
  readonly messageLatency: Histogram;
  /** `parley_http_requests_total{method,route,status}`: `route` is the route pattern, `unmatched` for 404s. */
  readonly httpRequests: Counter;
  /** `parley_rate_limited_total{scope}`: requests answered 429, `scope` is `ip` or `sender`. */
  readonly rateLimited: Counter;
  /** `parley_action_server_calls_total`: calls to the action server. */
  readonly actionServerCalls: Counter;
  /** `parley_action_server_errors_total`: calls that failed (network, timeout, non-2xx). */
  readonly actionServerErrors: Counter;
  /** `parley_action_server_call_seconds`: time until the action server's answer headers (or the failure). */
  readonly actionServerLatency: Histogram;
  /** `parley_tracker_store_errors_total{operation}`: failed tracker-store calls. */
  readonly trackerStoreErrors: Counter;
  /** Point the live gauges at their sources (set once the server parts exist). */
  setSources(sources: MetricSources): void;
}

/** A fresh set of Parley's metrics with its own registry. */
export function createServerMetrics(): ServerMetrics {
  const registry = new MetricsRegistry();
  let sources: MetricSources = {};
  const channel = ['channel'] as const;
  const metrics: ServerMetrics = {
    registry,
    messagesReceived: registry.counter({ name: 'parley_messages_received_total', help: 'User messages received, by input channel.', labelNames: channel }),
    messagesProcessed: registry.counter({ name: 'parley_messages_processed_total', help: 'User messages processed without an error, by input channel.', labelNames: channel }),
    messageErrors: registry.counter({ name: 'parley_message_errors_total', help: 'User messages whose processing failed, by input channel.', labelNames: channel }),
    messageLatency: registry.histogram({ name: 'parley_message_processing_seconds', help: 'Time to process one user message, by input channel.', labelNames: channel }),
    httpRequests: registry.counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
    }),
    rateLimited: registry.counter({ name: 'parley_rate_limited_total', help: 'Requests refused with 429, by limit (ip or sender).', labelNames: ['scope'] }),
    actionServerCalls: registry.counter({ name: 'parley_action_server_calls_total', help: 'Calls made to the action server.' }),
    actionServerErrors: registry.counter({ name: 'parley_action_server_errors_total', help: 'Action-server calls that failed (connection, timeout or an error status).' }),
    actionServerLatency: registry.histogram({ name: 'parley_action_server_call_seconds', help: 'Time until the action server answered (or the call failed).' }),
    trackerStoreErrors: registry.counter({ name: 'parley_tracker_store_errors_total', help: 'Tracker-store operations that failed, by operation.', labelNames: ['operation'] }),
    setSources(next) {
      sources = { ...sources, ...next };
    },
  };
  registry.gauge({
    name: 'parley_socketio_connections',
    help: 'Open socket.io connections.',
    collect: (gauge) => gauge.set(undefined, sources.socketConnections?.() ?? 0),
  });
  registry.gauge({
    name: 'parley_event_broker_buffered_events',
    help: 'Events waiting in memory for delivery to the event broker (0 without a broker).',
    collect: (gauge) => gauge.set(undefined, sources.brokerBuffered?.() ?? 0),
  });
  return metrics;
}
