/**
 * Counts and times the calls made to the action server, by watching Node's own HTTP client
 * (undici, behind `fetch`) through its diagnostics channels: the dialogue engine needs no hook,
 * and calls are matched to the action server by the endpoint's origin and path.
 * @see https://nodejs.org/api/diagnostics_channel.html (undici publishes `undici:request:*`)
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { ServerMetrics } from './server-metrics.js';

interface UndiciRequest {
  origin?: string | URL;
  path?: string;
}

interface RequestMessage {
  request: UndiciRequest;
  response?: { statusCode: number };
}

const CREATED = 'undici:request:create';
const HEADERS = 'undici:request:headers';
const FAILED = 'undici:request:error';

/** Answers that are not failures: 2xx, and 400, which is how an action server rejects an action. */
function succeeded(status: number): boolean {
  return (status >= 200 && status < 300) || status === 400;
}

/**
 * Starts counting calls to `actionEndpointUrl` into `metrics`; returns the function that stops.
 * Several servers in one process each count only the calls to their own endpoint.
 * @example const stop = watchActionServerCalls('http://localhost:5055/webhook', metrics);
 */
export function watchActionServerCalls(actionEndpointUrl: string, metrics: ServerMetrics): () => void {
  const target = new URL(actionEndpointUrl);
  const pending = new WeakMap<UndiciRequest, number>();

  const isActionServerCall = (request: UndiciRequest): boolean => {
    if (request.origin === undefined || request.path === undefined) return false;
    const origin = typeof request.origin === 'string' ? request.origin : request.origin.origin;
    return origin === target.origin && request.path.split('?')[0] === target.pathname;
  };
  const finish = (request: UndiciRequest, failed: boolean): void => {
    const started = pending.get(request);
    if (started === undefined) return; // not ours, or already counted
    pending.delete(request);
    metrics.actionServerLatency.observe(undefined, (performance.now() - started) / 1000);
    if (failed) metrics.actionServerErrors.inc();
  };

  const onCreated = (message: unknown): void => {
    const { request } = message as RequestMessage;
    if (!isActionServerCall(request)) return;
    metrics.actionServerCalls.inc();
    pending.set(request, performance.now());
  };
  const onHeaders = (message: unknown): void => {
    const { request, response } = message as RequestMessage;
    finish(request, !succeeded(response?.statusCode ?? 0));
  };
  const onFailed = (message: unknown): void => finish((message as RequestMessage).request, true);

  subscribe(CREATED, onCreated);
  subscribe(HEADERS, onHeaders);
  subscribe(FAILED, onFailed);
  return () => {
    unsubscribe(CREATED, onCreated);
    unsubscribe(HEADERS, onHeaders);
    unsubscribe(FAILED, onFailed);
  };
}
