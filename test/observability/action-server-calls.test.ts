import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { watchActionServerCalls } from '../../src/observability/action-server-calls.js';
import { createServerMetrics } from '../../src/observability/server-metrics.js';

const servers: Server[] = [];
const stops: Array<() => void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An action server answering with the status in the `status` query parameter. */
async function actionServer(): Promise<string> {
  const server = createServer((request, response) => {
    const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
    response.writeHead(status, { 'content-type': 'application/json' }).end('{"events":[],"responses":[]}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('watchActionServerCalls', () => {
  it('counts and times calls to the action endpoint, with failures for error statuses', async () => {
    const base = await actionServer();
    const metrics = createServerMetrics();
    stops.push(watchActionServerCalls(`${base}/webhook`, metrics));
    await (await fetch(`${base}/webhook?token=x`, { method: 'POST', body: '{}' })).text();
    await (await fetch(`${base}/webhook?status=400`, { method: 'POST', body: '{}' })).text();
    await (await fetch(`${base}/webhook?status=500`, { method: 'POST', body: '{}' })).text();
    await (await fetch(`${base}/other`, { method: 'POST', body: '{}' })).text();
    expect(metrics.actionServerCalls.value()).toBe(3);
    // 400 is how an action server rejects an action: an answer, not a failure.
    expect(metrics.actionServerErrors.value()).toBe(1);
    expect(metrics.actionServerLatency.count()).toBe(3);
  });

  it('counts a refused connection as a failed call', async () => {
    const base = await actionServer();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const metrics = createServerMetrics();
    stops.push(watchActionServerCalls(`${base}/webhook`, metrics));
    await expect(fetch(`${base}/webhook`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(metrics.actionServerCalls.value()).toBe(1);
    expect(metrics.actionServerErrors.value()).toBe(1);
  });

  it('stops counting once stopped', async () => {
    const base = await actionServer();
    const metrics = createServerMetrics();
    watchActionServerCalls(`${base}/webhook`, metrics)();
    await (await fetch(`${base}/webhook`, { method: 'POST', body: '{}' })).text();
    expect(metrics.actionServerCalls.value()).toBe(0);
  });
});
