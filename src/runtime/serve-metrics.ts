/** `--enable-metrics` for `parley run`: the metrics, their live sources and the `/metrics` route. */
import type { ApiAuthOptions } from '../api/auth.js';
import { watchActionServerCalls } from '../observability/action-server-calls.js';
import { countTrackerStoreErrors } from '../observability/instrumented-tracker-store.js';
import { createServerMetrics, type ServerMetrics } from '../observability/server-metrics.js';
import type { ParleyServer } from '../server/app.js';
import { registerMetricsRoute } from '../server/metrics-route.js';
import type { Endpoints } from '../shared/project.js';
import type { EventBroker } from '../brokers/types.js';
import type { TrackerStore } from '../stores/types.js';

export interface RunningMetrics {
  readonly metrics: ServerMetrics;
  /** The tracker store, counting its errors. */
  observeTrackerStore(store: TrackerStore): TrackerStore;
  /** Adds `GET /metrics` to the server, behind the API's auth when any is configured. */
  serve(server: ParleyServer, auth: ApiAuthOptions | undefined): Promise<void>;
  /** Stops watching outbound calls. */
  stop(): void;
}

/** Metrics for one server: action-server calls are watched when endpoints.yml names an action server. */
export function startMetrics(endpoints: Endpoints | null | undefined, stores: { broker: EventBroker | undefined }): RunningMetrics {
  const metrics = createServerMetrics();
  const actionUrl = endpoints?.action_endpoint?.url;
  const stopWatching = typeof actionUrl === 'string' && URL.canParse(actionUrl) ? watchActionServerCalls(actionUrl, metrics) : () => {};
  metrics.setSources({ brokerBuffered: () => stores.broker?.stats().buffered });
  return {
    metrics,
    observeTrackerStore: (store) => countTrackerStoreErrors(store, metrics),
    async serve(server, auth) {
      // The auth module (JWT) loads only when metrics are on, as the HTTP API does.
      const { createApiAuth } = await import('../api/auth.js');
      registerMetricsRoute(server.app, { metrics, auth: createApiAuth(auth) });
    },
    stop: stopWatching,
  };
}
