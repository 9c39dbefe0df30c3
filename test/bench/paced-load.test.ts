import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedLoad } from '../../bench/lib/paced-load.mjs';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback server that answers after `delayMs` (and 500 for bodies asking for it), counting requests and bodies. */
async function startServer(delayMs: number): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      bodies.push(text);
      setTimeout(() => {
        response.statusCode = text.includes('fail') ? 500 : 200;
        response.end('[]');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/webhooks/rest/webhook`, bodies };
}

describe('pacedLoad', () => {
  it('sends rate × seconds requests with the bodies it is given and counts failures', async () => {
    const { url, bodies } = await startServer(0);
    const result = await pacedLoad({ url, rate: 200, seconds: 0.25, connections: 4, body: (index) => JSON.stringify({ index, message: index % 10 === 0 ? 'fail' : 'hi' }) });
    expect(result.requests).toBe(50);
    expect(bodies).toHaveLength(50);
    expect(new Set(bodies.map((body) => (JSON.parse(body) as { index: number }).index)).size).toBe(50);
    expect(result.errors).toBe(5);
  });

  it('counts latency from when a request was due, so requests queued behind busy connections show the wait', async () => {
    // One connection, a 20 ms server and 100 requests/s: each request waits for the ones before it.
    const { url } = await startServer(20);
    const result = await pacedLoad({ url, rate: 100, seconds: 0.3, connections: 1, body: () => '{}' });
    expect(result.requests).toBe(30);
    expect(result.p50).toBeGreaterThanOrEqual(20);
    expect(result.p99).toBeGreaterThan(result.p50);
  });
});
