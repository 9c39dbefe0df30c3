import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSocketIoChannel } from '../../src/channels/socketio.js';
import { silentLogger } from '../../src/logger.js';
import { createCorsPolicy, registerCors } from '../../src/server/cors.js';
import { registerErrorHandler } from '../../src/server/error-handler.js';
import { closeServers, startServer } from '../channels/helpers/server.js';
import { connectClient } from '../channels/helpers/socket-clients.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(56, 7)]);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await closeServers();
});

/** The socketio channel's routes, as the server mounts them, with the project in a temp folder. */
async function uploadApp(uploads: unknown): Promise<{ app: FastifyInstance; projectRoot: string }> {
  const projectRoot = mkdtempSync(join(tmpdir(), 'parley-upload-routes-'));
  const logger = silentLogger();
  const cors = createCorsPolicy('*');
  const app = fastify({ bodyLimit: 1_048_576 });
  registerErrorHandler(app, logger, { bodyLimit: 1_048_576 });
  registerCors(app, cors);
  const channel = createSocketIoChannel({ uploads }, logger);
  const context = { handler: () => null, logger, cors, httpServer: app.server as HttpServer, projectRoot };
  await app.register(async (scope) => channel.routes(scope, context), { prefix: '/webhooks/socketio' });
  cleanups.push(() => app.close(), () => rmSync(projectRoot, { recursive: true, force: true }));
  return { app, projectRoot };
}

function upload(app: FastifyInstance, body: Buffer | string, type: string, name = 'cat.png') {
  return app.inject({
    method: 'POST',
    url: `/webhooks/socketio/uploads?name=${encodeURIComponent(name)}`,
    headers: { 'content-type': type, host: 'chat.example.com' },
    payload: body,
  });
}

describe('the upload endpoint', () => {
  it('does not exist unless credentials.yml turns uploads on', async () => {
    const { app } = await uploadApp(undefined);
    expect((await app.inject({ method: 'GET', url: '/webhooks/socketio/uploads' })).statusCode).toBe(404);
    expect((await upload(app, PNG, 'image/png')).statusCode).toBe(404);
  });

  it('tells a widget what it accepts', async () => {
    const { app } = await uploadApp({ max_bytes: 1000, types: ['image/png'] });
    const response = await app.inject({ method: 'GET', url: '/webhooks/socketio/uploads' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ max_bytes: 1000, types: ['image/png'] });
  });

  it('stores a file under .parley/uploads/ and serves it at the URL it answers with', async () => {
    const { app, projectRoot } = await uploadApp(true);
    const response = await upload(app, PNG, 'image/png', 'holiday photo.png');
    expect(response.statusCode).toBe(201);
    const answer = response.json() as { url: string; type: string; name: string; size: number };
    expect(answer).toEqual({
      url: expect.stringMatching(/^http:\/\/chat\.example\.com\/webhooks\/socketio\/uploads\/[0-9a-f]{32}$/),
      type: 'image/png',
      name: 'holiday photo.png',
      size: PNG.length,
    });
    const id = answer.url.split('/').pop()!;
    expect(readdirSync(join(projectRoot, '.parley', 'uploads'))).toContain(id);

    const served = await app.inject({ method: 'GET', url: new URL(answer.url).pathname });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(PNG)).toBe(true);
    expect(served.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': "inline; filename*=UTF-8''holiday%20photo.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
    });
  });

  it('offers a non-image as a download', async () => {
    const { app } = await uploadApp({ types: ['application/pdf'] });
    const answer = (await upload(app, '%PDF-1.7 tiny', 'application/pdf', 'a.pdf')).json() as { url: string };
    const served = await app.inject({ method: 'GET', url: new URL(answer.url).pathname });
    expect(served.headers['content-disposition']).toBe("attachment; filename*=UTF-8''a.pdf");
  });

  it('rejects a file over max_bytes with 413 naming the upload limit, and stores nothing', async () => {
    const { app, projectRoot } = await uploadApp({ max_bytes: 32 });
    const response = await upload(app, PNG, 'image/png');
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 413, reason: 'PayloadTooLarge', message: 'The file is larger than this server accepts (32 bytes).' });
    expect(existsSync(join(projectRoot, '.parley', 'uploads'))).toBe(false);
  });

  it('accepts a file of exactly max_bytes', async () => {
    const { app } = await uploadApp({ max_bytes: PNG.length });
    expect((await upload(app, PNG, 'image/png')).statusCode).toBe(201);
  });

  it('rejects a type that is not listed with 415 and the list', async () => {
    const { app } = await uploadApp({ types: ['image/png', 'image/jpeg'] });
    const response = await upload(app, '%PDF-1.7', 'application/pdf');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({
      reason: 'UnsupportedMediaType',
      message: expect.stringContaining('Files of type "application/pdf" are not accepted here; send one of: image/png, image/jpeg'),
    });
    expect((await upload(app, 'x', 'text/html')).statusCode).toBe(415);
  });

  it('rejects content that is not what its type says with 415', async () => {
    const { app } = await uploadApp(true);
    const response = await upload(app, '<svg onload="alert(1)"></svg>', 'image/png');
    expect(response.statusCode).toBe(415);
    expect(response.json().message).toBe("The file's content is not image/png, the type it was sent as.");
  });

  it('rejects an empty body with 400', async () => {
    const { app } = await uploadApp(true);
    expect((await upload(app, Buffer.alloc(0), 'image/png')).statusCode).toBe(400);
  });

  it('answers 404 for ids that are unknown or try to leave the folder', async () => {
    const { app } = await uploadApp(true);
    for (const id of ['0'.repeat(32), '..%2F..%2Fetc%2Fpasswd', '..%5C..%5Csecret', 'abc']) {
      const response = await app.inject({ method: 'GET', url: `/webhooks/socketio/uploads/${id}` });
      expect(response.statusCode, id).toBe(404);
    }
  });

  it('answers the CORS preflight of a page on another origin', async () => {
    const { app } = await uploadApp(true);
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/webhooks/socketio/uploads?name=a.png',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});

describe('the socketio channel announcing uploads', () => {
  it('sends parley_uploads after each session_confirm when uploads are on', async () => {
    const { url } = await startServer({ credentials: [{ name: 'socketio', options: { uploads: { max_bytes: 2048, types: ['image/png'] } } }] });
    const client = await connectClient('v4', url, { events: ['session_confirm', 'parley_uploads'] });
    cleanups.push(() => client.close());
    await client.emitWithAck('session_request', { session_id: 'one' });
    await client.emitWithAck('session_request', { session_id: 'two' });
    expect(client.received('parley_uploads')).toEqual([
      [{ max_bytes: 2048, types: ['image/png'] }],
      [{ max_bytes: 2048, types: ['image/png'] }],
    ]);
  });

  it('sends nothing of the kind when uploads are off', async () => {
    const { url } = await startServer({ credentials: [{ name: 'socketio', options: {} }] });
    const client = await connectClient('v4', url, { events: ['session_confirm', 'parley_uploads'] });
    cleanups.push(() => client.close());
    await client.emitWithAck('session_request', { session_id: 'one' });
    expect(client.received('session_confirm')).toEqual([['one']]);
    expect(client.received('parley_uploads')).toEqual([]);
  });
});
