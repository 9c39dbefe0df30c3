import { Readable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeApis, moodbotModel, startApi } from './helpers/api-server.js';

beforeAll(async () => {
  await moodbotModel();
}, 60_000);
afterEach(closeApis);

describe('body limits per route', () => {
  it('rejects a message body over the small-body limit with 413 naming the limit', async () => {
    const api = await startApi({ limits: { smallBody: 200 } });
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/conversations/big/messages',
      payload: { text: 'x'.repeat(500), sender: 'user' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ reason: 'PayloadTooLarge', code: 413 });
    expect(response.json().message).toMatch(/accepts \(200 bytes\)/);
    expect(await api.holder.trackerStore.keys()).toEqual([]);
  });

  it('allows larger bodies for tracker events than for messages', async () => {
    const api = await startApi({ limits: { smallBody: 200, eventsBody: 10_000 } });
    const events = Array.from({ length: 10 }, (_, index) => ({ event: 'slot', name: `s${index}`, value: index }));
    const response = await api.server.app.inject({ method: 'POST', url: '/conversations/ev/tracker/events', payload: events });
    expect(response.statusCode).toBe(200);
  });

  it('stops a chunked body without a length as soon as it passes the limit', async () => {
    const api = await startApi({ limits: { smallBody: 100, eventsBody: 100 } });
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/conversations/chunked/tracker/events',
      headers: { 'content-type': 'application/json' },
      payload: Readable.from([Buffer.from('['), Buffer.alloc(300, ' '), Buffer.from(']')]),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/accepts \(100 bytes\)/);
  });
});

describe('bodies', () => {
  it('answers invalid JSON with a Rasa-shaped 400', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/conversations/j/messages',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": "hi", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'BadRequest', code: 400 });
    expect(response.json().message).toMatch(/^The request body is not valid JSON/);
  });

  it('reads JSON sent as text/plain or without a content type', async () => {
    const api = await startApi();
    for (const headers of [{ 'content-type': 'text/plain' }, {}]) {
      const response = await api.server.app.inject({
        method: 'POST',
        url: '/conversations/plain/messages',
        headers,
        payload: JSON.stringify({ text: 'hi', sender: 'user' }),
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'POST', url: '/conversations/a/messages', payload: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('The request body must be a JSON object.');
  });

  it('does not need a body or content type for predict, even with an empty JSON content type', async () => {
    const api = await startApi();
    await api.server.app.inject({ method: 'POST', url: '/conversations/p/messages', payload: { text: 'hi', sender: 'user' } });
    const bare = await api.server.app.inject({ method: 'POST', url: '/conversations/p/predict' });
    expect(bare.statusCode).toBe(200);
    const emptyJson = await api.server.app.inject({ method: 'POST', url: '/conversations/p/predict', headers: { 'content-type': 'application/json' } });
    expect(emptyJson.statusCode).toBe(200);
  });
});

describe('security headers', () => {
  it('marks every API answer as not cacheable, not frameable and not sniffable, errors included', async () => {
    const api = await startApi();
    for (const url of ['/version', '/status', '/conversations/h/tracker', '/conversations/h/tracker?include_events=bad']) {
      const response = await api.server.app.inject({ method: 'GET', url });
      expect(response.headers['cache-control'], url).toBe('no-store');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('keeps CORS exactly as configured on API routes', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'GET', url: '/status', headers: { origin: 'http://a.test' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets any origin call the API with --cors "*" (channels §5.5 requirement c)', async () => {
    const api = await startApi({ cors: '*' });
    const preflight = await api.server.app.inject({
      method: 'OPTIONS',
      url: '/conversations/c/messages',
      headers: { origin: 'http://a.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.statusCode).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://a.test');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    const call = await api.server.app.inject({ method: 'GET', url: '/status', headers: { origin: 'http://a.test' } });
    expect(call.headers['access-control-allow-origin']).toBe('http://a.test');
    expect(call.headers['access-control-allow-credentials']).toBe('true');
  });

  it('answers preflights without a token even when auth is configured', async () => {
    const api = await startApi({ cors: '*', auth: { token: 'sesame' } });
    const preflight = await api.server.app.inject({
      method: 'OPTIONS',
      url: '/conversations/c/predict?token=undefined',
      headers: { origin: 'http://a.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://a.test');
  });
});
