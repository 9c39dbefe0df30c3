import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createServerMetrics } from '../../src/observability/server-metrics.js';
import { createServer, type ParleyServer, type ServerOptions } from '../../src/server/app.js';
import { perMinuteLimitFrom, trustProxyFrom } from '../../src/server/rate-limit.js';
import { createTestHandler } from '../channels/helpers/test-handler.js';

const servers: ParleyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function fakeClock() {
  let now = 5_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function server(options: Partial<ServerOptions> = {}): ParleyServer {
  const created = createServer({
    logger: silentLogger(),
    credentials: [{ name: 'rest', options: null }],
    handler: createTestHandler(),
    ...options,
  });
  servers.push(created);
  return created;
}

function say(target: ParleyServer, sender: string, headers: Record<string, string> = {}) {
  return target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender, message: 'hi' }, headers });
}

describe('per-IP rate limit', () => {
  it('answers 429 with Rasa’s error body and Retry-After once a client goes over the limit', async () => {
    const clock = fakeClock();
    const target = server({ rateLimits: { perIp: 2, now: clock.now } });
    expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await say(target, 'a')).statusCode).toBe(200);
    const refused = await target.app.inject({ method: 'GET', url: '/' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toEqual({
      version: '3.6.21',
      status: 'failure',
      message: 'Too many requests: this client address may make 2 per minute. Try again in 30 s.',
      reason: 'TooManyRequests',
      details: { limit: 2, window_seconds: 60, retry_after_seconds: 30, scope: 'ip' },
      help: null,
      code: 429,
    });
  });

  it('lets the client in again once the window has refilled its bucket', async () => {
    const clock = fakeClock();
    const target = server({ rateLimits: { perIp: 1, now: clock.now } });
    expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(429);
    clock.advance(59_000);
    expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(429);
    clock.advance(1_000);
    expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted, so clients cannot choose their own key', async () => {
    const clock = fakeClock();
    const direct = server({ rateLimits: { perIp: 1, now: clock.now } });
    expect((await direct.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '198.51.100.1' } })).statusCode).toBe(200);
    expect((await direct.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '198.51.100.2' } })).statusCode).toBe(429);

    const proxied = server({ rateLimits: { perIp: 1, now: clock.now }, trustProxy: 1 });
    expect((await proxied.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '198.51.100.1' } })).statusCode).toBe(200);
    expect((await proxied.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '198.51.100.2' } })).statusCode).toBe(200);
    expect((await proxied.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-for': '198.51.100.1' } })).statusCode).toBe(429);
  });

  it('keeps the CORS headers on a 429 so a browser can read it', async () => {
    const clock = fakeClock();
    const target = server({ rateLimits: { perIp: 1, now: clock.now }, cors: ['*'] });
    await target.app.inject({ method: 'GET', url: '/' });
    const refused = await target.app.inject({ method: 'GET', url: '/', headers: { origin: 'https://shop.example' } });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('is off by default', async () => {
    const target = server();
    for (let i = 0; i < 200; i += 1) expect((await target.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });
});

describe('per-sender rate limit', () => {
  it('limits each sender of the channel webhooks on its own, and counts refusals', async () => {
    const clock = fakeClock();
    const metrics = createServerMetrics();
    const handler = createTestHandler();
    const target = server({ rateLimits: { perSender: 2, now: clock.now }, metrics, handler });
    expect((await say(target, 'alice')).statusCode).toBe(200);
    expect((await say(target, 'alice')).statusCode).toBe(200);
    const refused = await say(target, 'alice');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ reason: 'TooManyRequests', code: 429, details: { scope: 'sender', limit: 2 } });
    expect((await say(target, 'bob')).statusCode).toBe(200);
    expect(handler.received.map((message) => message.senderId)).toEqual(['alice', 'alice', 'bob']);
    expect(metrics.rateLimited.value({ scope: 'sender' })).toBe(1);
    clock.advance(30_000);
    expect((await say(target, 'alice')).statusCode).toBe(200);
  });

  it('does not count requests that are not messages (health checks, bad bodies)', async () => {
    const clock = fakeClock();
    const target = server({ rateLimits: { perSender: 1, now: clock.now } });
    for (let i = 0; i < 3; i += 1) {
      expect((await target.app.inject({ method: 'GET', url: '/webhooks/rest/' })).statusCode).toBe(200);
      expect((await target.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: 'not json' })).statusCode).toBe(400);
    }
    expect((await say(target, 'carol')).statusCode).toBe(200);
  });
});

describe('run flags', () => {
  it('reads --rate-limit-* as whole numbers per minute, 0 meaning off', () => {
    expect(perMinuteLimitFrom('--rate-limit-ip', undefined)).toBeNull();
    expect(perMinuteLimitFrom('--rate-limit-ip', '0')).toBeNull();
    expect(perMinuteLimitFrom('--rate-limit-ip', '120')).toBe(120);
    for (const bad of ['-1', '1.5', 'lots', '']) {
      expect(() => perMinuteLimitFrom('--rate-limit-ip', bad)).toThrow(ParleyError);
    }
    expect(() => perMinuteLimitFrom('--rate-limit-sender', 'x')).toThrow(/--rate-limit-sender must be a whole number/);
  });

  it('reads --trust-proxy as true, a hop count or a list of addresses', () => {
    expect(trustProxyFrom(undefined)).toBe(false);
    expect(trustProxyFrom('false')).toBe(false);
    expect(trustProxyFrom('true')).toBe(true);
    expect(trustProxyFrom('2')).toBe(2);
    expect(trustProxyFrom('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});
