import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { createTestHandler } from '../channels/helpers/test-handler.js';

const servers: ParleyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('graceful shutdown', () => {
  it('finishes a message in progress, then refuses new connections', async () => {
    const handler = createTestHandler({ slowMs: 300 });
    const server = createServer({ logger: silentLogger(), credentials: [{ name: 'rest', options: null }], handler });
    servers.push(server);
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { connection: 'close' },
      body: JSON.stringify({ sender: 'u', message: 'slow one' }),
    });
    await expect.poll(() => handler.received.length).toBe(1);
    const closed = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ recipient_id: 'u', text: 'echo: slow one' }]);
    await closed;
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
