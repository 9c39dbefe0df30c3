import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { createCorsPolicy, decideCors } from '../../src/server/cors.js';
import { createTestHandler } from '../channels/helpers/test-handler.js';

const ORIGIN = 'http://a.test';
const servers: ParleyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function server(cors?: string[]): ParleyServer {
  const created = createServer({
    logger: silentLogger(),
    credentials: [
      { name: 'rest', options: null },
      { name: 'socketio', options: {} },
    ],
    handler: createTestHandler(),
    cors,
  });
  servers.push(created);
  return created;
}

function preflight(target: ParleyServer, url: string, origin = ORIGIN) {
  return target.app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

describe('createCorsPolicy', () => {
  it('is off without origins or with only empty ones', () => {
    expect(createCorsPolicy(undefined)).toEqual({ kind: 'off' });
    expect(createCorsPolicy([])).toEqual({ kind: 'off' });
    expect(createCorsPolicy([''])).toEqual({ kind: 'off' });
  });

  it('allows any origin for *', () => {
    expect(createCorsPolicy('*')).toEqual({ kind: 'any' });
    expect(createCorsPolicy(['https://x.test', '*']).kind).toBe('any');
  });

  it('refuses a broken regular expression with a usage error', () => {
    expect(() => createCorsPolicy(['https://(x.test*'])).toThrowError(/not a valid one/);
  });
});

describe('decideCors', () => {
  it('matches listed origins case-insensitively and nothing else', () => {
    const policy = createCorsPolicy(['https://Shop.example']);
    expect(decideCors(policy, { method: 'GET', origin: 'https://shop.EXAMPLE' }).headers['access-control-allow-origin']).toBe(
      'https://shop.EXAMPLE',
    );
    expect(decideCors(policy, { method: 'GET', origin: 'https://shop.example.evil' }).headers).toEqual({});
  });

  it('treats entries with regex characters as patterns anchored at the start', () => {
    const policy = createCorsPolicy(['https://.*\\.example']);
    expect(decideCors(policy, { method: 'GET', origin: 'https://a.example' }).headers['access-control-allow-origin']).toBe(
      'https://a.example',
    );
    expect(decideCors(policy, { method: 'GET', origin: 'http://https://a.example' }).headers).toEqual({});
  });

  it('sends Vary: Origin for *, several origins or a pattern, not for one literal origin', () => {
    const vary = (origins: string[], origin: string) => decideCors(createCorsPolicy(origins), { method: 'GET', origin }).headers.vary;
    expect(vary(['*'], ORIGIN)).toBe('Origin');
    expect(vary([ORIGIN, 'http://b.test'], ORIGIN)).toBe('Origin');
    expect(vary(['http://.*'], ORIGIN)).toBe('Origin');
    expect(vary([ORIGIN], ORIGIN)).toBeUndefined();
  });

  it('adds nothing to a request without Origin', () => {
    expect(decideCors(createCorsPolicy('*'), { method: 'POST' }).headers).toEqual({});
  });
});

describe('--cors "*" on the webhooks', () => {
  it('answers a preflight with 200, the echoed origin, credentials, methods and the requested headers', async () => {
    const response = await preflight(server(['*']), '/webhooks/rest/webhook');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers['access-control-allow-methods']).split(', ')).toContain('POST');
    expect(response.headers['access-control-allow-headers']).toBe('content-type');
  });

  it('echoes the origin with credentials on the POST itself and exposes filename', async () => {
    const response = await server(['*']).app.inject({
      method: 'POST',
      url: '/webhooks/rest/webhook',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: { sender: 'u', message: 'hi' },
    });
    expect(response.json()).toEqual([{ recipient_id: 'u', text: 'echo: hi' }]);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-expose-headers']).toBe('filename');
    expect(response.headers.vary).toBe('Origin');
  });

  it('answers preflights on any path, even routes that only take GET', async () => {
    const target = server(['*']);
    for (const url of ['/', '/webhooks/socketio/', '/conversations/u/tracker']) {
      const response = await preflight(target, url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    }
  });
});

describe('CORS with a list of origins', () => {
  it('allows a listed origin and gives no CORS headers to another', async () => {
    const target = server(['http://a.test', 'http://b.test']);
    expect((await preflight(target, '/webhooks/rest/webhook', 'http://b.test')).headers['access-control-allow-origin']).toBe(
      'http://b.test',
    );
    const refused = await preflight(target, '/webhooks/rest/webhook', 'http://c.test');
    expect(refused.statusCode).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('without --cors', () => {
  it('answers preflights with 200 but no CORS headers', async () => {
    const response = await preflight(server(), '/webhooks/rest/webhook');
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('adds no CORS headers to a POST', async () => {
    const response = await server().app.inject({
      method: 'POST',
      url: '/webhooks/rest/webhook',
      headers: { origin: ORIGIN },
      payload: { message: 'hi' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS on Socket.IO polling', () => {
  async function listening(cors?: string[]): Promise<string> {
    return server(cors).listen({ port: 0, host: '127.0.0.1' });
  }

  it('echoes the origin with credentials on a polling handshake under --cors "*"', async () => {
    const url = await listening(['*']);
    const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a polling preflight under --cors "*"', async () => {
    const url = await listening(['*']);
    const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('gives polling no CORS headers without --cors', async () => {
    const url = await listening();
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ORIGIN } });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBeNull();
    const preflightResponse = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflightResponse.status).toBe(200);
    expect(preflightResponse.headers.get('access-control-allow-origin')).toBe(null);
  });
});
