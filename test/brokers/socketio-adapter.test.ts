import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createSocketIoAdapter, type SocketIoAdapterHandle } from '../../src/brokers/socketio-adapter.js';
import { silentLogger } from '../../src/logger.js';
import { redisTarget } from '../stores/redis-target.js';

const logger = silentLogger();
const redis = redisTarget('sio');

interface Instance {
  io: Server;
  url: string;
  handle: SocketIoAdapterHandle;
}

const instances: Instance[] = [];
const clients: ClientSocket[] = [];

/** One "Parley instance": an HTTP server with socket.io on the shared Redis adapter. */
async function instance(): Promise<Instance> {
  const handle = (await createSocketIoAdapter(
    { type: 'redis', url: '127.0.0.1', key_prefix: redis.keyPrefix },
    { projectRoot: '/', logger },
  ))!;
  const server = http.createServer();
  const io = new Server(server, { adapter: handle.adapter });
  io.on('connection', (socket) => {
    socket.on('session_request', (sessionId: string) => {
      void socket.join(sessionId);
      socket.emit('session_confirm', sessionId);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const created = { io, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handle };
  instances.push(created);
  return created;
}

afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const { io, handle } of instances) {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await handle.close();
  }
  await redis.cleanup();
});

describe('socket.io across instances', () => {
  it("delivers a bot message emitted on one instance to a client connected to another", async () => {
    const [first, second] = [await instance(), await instance()];
    // Both instances' adapters have subscribed (they count the subscribers of their shared channel).
    const adapter = second.io.of('/').adapter as unknown as { serverCount(): Promise<number> };
    while ((await adapter.serverCount()) < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const client = connect(first.url, { transports: ['websocket'] });
    clients.push(client);
    await new Promise<void>((resolve) => {
      client.once('session_confirm', () => resolve());
      client.emit('session_request', 'session-42');
    });
    const received = new Promise<unknown>((resolve) => client.once('bot_uttered', resolve));
    second.io.to('session-42').emit('bot_uttered', { text: 'from the other instance' });
    expect(await received).toEqual({ text: 'from the other instance' });
  });

  it('creates no adapter without a socketio_adapter section', async () => {
    expect(await createSocketIoAdapter(undefined, { projectRoot: '/', logger })).toBeUndefined();
  });

  it('refuses an unknown adapter type', async () => {
    await expect(createSocketIoAdapter({ type: 'postgres' }, { projectRoot: '/', logger })).rejects.toMatchObject({
      code: 'PARLEY_ERR_ENDPOINT_CONFIG',
    });
  });
});
