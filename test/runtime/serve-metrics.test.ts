import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBroker } from '../../src/brokers/types.js';
import { startMetrics } from '../../src/runtime/serve-metrics.js';

let actionServer: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (actionServer ? actionServer.close(resolve) : resolve(undefined)));
  actionServer = undefined;
});

function brokerBuffering(buffered: number): EventBroker {
  return {
    type: 'test',
    publish: () => {},
    flush: async () => true,
    stats: () => ({ published: 0, buffered, retried: 0, dropped: 0, connected: true }),
    close: async () => {},
  };
}

describe('startMetrics (parley run --enable-metrics)', () => {
  it('reports the broker buffer and watches the action server named in endpoints.yml until stopped', async () => {
    actionServer = createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => actionServer!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(actionServer.address() as AddressInfo).port}/webhook`;
    const running = startMetrics({ action_endpoint: { url } }, { broker: brokerBuffering(7) });
    await (await fetch(url, { method: 'POST', body: '{}' })).text();
    running.stop();
    await (await fetch(url, { method: 'POST', body: '{}' })).text();
    const text = running.metrics.registry.render();
    expect(text).toContain('parley_event_broker_buffered_events 7\n');
    expect(text).toContain('parley_action_server_calls_total 1\n');
  });

  it('works without an action server or a broker', () => {
    const running = startMetrics({}, { broker: undefined });
    expect(running.metrics.registry.render()).toContain('parley_event_broker_buffered_events 0\n');
    running.stop();
  });
});
