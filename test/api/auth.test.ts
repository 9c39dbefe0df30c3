import jwt from 'jsonwebtoken';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiAuth, tokensMatch } from '../../src/api/auth.js';
import { ParleyError } from '../../src/errors.js';
import { captureLogs } from '../channels/helpers/logs.js';
import { connectClient } from '../channels/helpers/socket-clients.js';
import { closeApis, moodbotModel, startApi } from './helpers/api-server.js';

beforeAll(async () => {
  await moodbotModel();
}, 60_000);
afterEach(closeApis);

const SECRET = 'jwt-secret-for-tests';
const bearer = (payload: object, secret = SECRET, algorithm: jwt.Algorithm = 'HS256') => ({
  authorization: `Bearer ${jwt.sign(payload, secret, { algorithm })}`,
});
const SECURITY_HELP = 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/#security-considerations';

describe('createApiAuth', () => {
  it('lets everything through when neither a token nor a JWT secret is configured', () => {
    expect(() => createApiAuth().check({ token: 'undefined', authorization: undefined, conversationId: null })).not.toThrow();
  });

  it('refuses empty secrets and unknown JWT methods at startup', () => {
    expect(() => createApiAuth({ token: '' })).toThrow(ParleyError);
    expect(() => createApiAuth({ jwtSecret: '' })).toThrow(ParleyError);
    expect(() => createApiAuth({ jwtSecret: 's', jwtMethod: 'none' })).toThrow(/--jwt-method 'none' is not supported/);
  });

  it('compares tokens of any length without failing on a length mismatch', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });

  it('refuses a JWT signed with another algorithm than --jwt-method', () => {
    const auth = createApiAuth({ jwtSecret: SECRET, jwtMethod: 'HS512' });
    const check = (headers: { authorization: string }) => () => auth.check({ token: undefined, authorization: headers.authorization, conversationId: null });
    expect(check(bearer({ user: { role: 'admin' } }))).toThrow('User is not authenticated.');
    expect(check(bearer({ user: { role: 'admin' } }, SECRET, 'HS512'))).not.toThrow();
  });
});

describe('token auth (--auth-token)', () => {
  it('answers 401 without the token and 200 with it (channels §6.1 item 21)', async () => {
    const api = await startApi({ auth: { token: 'sesame' } });
    const refused = await api.server.app.inject({ method: 'GET', url: '/status' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ reason: 'NotAuthenticated', message: 'User is not authenticated.', help: SECURITY_HELP, code: 401 });
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=wrong' })).statusCode).toBe(401);
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=undefined' })).statusCode).toBe(401);
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=sesame' })).statusCode).toBe(200);
  });

  it('checks auth before the model: 401, not 409, without a model', async () => {
    const api = await startApi({ auth: { token: 'sesame' }, noModel: true });
    expect((await api.server.app.inject({ method: 'GET', url: '/status' })).statusCode).toBe(401);
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=sesame' })).statusCode).toBe(409);
  });

  it('leaves /, /version and the channel webhooks open (items 19, 20, 45)', async () => {
    const api = await startApi({ auth: { token: 'sesame' } });
    const root = await api.server.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body.startsWith('Hello from Rasa:')).toBe(true);
    const version = await api.server.app.inject({ method: 'GET', url: '/version' });
    expect(version.statusCode).toBe(200);
    expect(version.json()).toEqual({ version: '3.6.21', minimum_compatible_version: '3.6.0' });
    const webhook = await api.server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'w', message: 'hi' } });
    expect(webhook.statusCode).toBe(200);
    expect(webhook.json()).toEqual([{ recipient_id: 'w', text: 'Hey! How are you?' }]);
  });

  it('leaves Socket.IO open: a client without the token talks to the bot (item 45)', async () => {
    const api = await startApi({ auth: { token: 'sesame' }, credentials: [{ name: 'socketio', options: { session_persistence: false } }] });
    const url = await api.server.listen({ port: 0, host: '127.0.0.1' });
    const client = await connectClient('v4', url);
    try {
      client.emit('user_uttered', { message: 'hi' });
      const [[message]] = await client.waitFor('bot_uttered');
      expect(message).toEqual({ text: 'Hey! How are you?' });
    } finally {
      client.close();
    }
  });

  it('ignores ?token=undefined when no auth is configured (rasa-bot without a token)', async () => {
    const api = await startApi();
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=undefined' })).statusCode).toBe(200);
  });

  it('does not read the body of an unauthenticated request', async () => {
    const api = await startApi({ auth: { token: 'sesame' } });
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/conversations/a/messages',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(401);
  });

  it('never writes the token into the logs', async () => {
    const logs = captureLogs();
    const api = await startApi({ auth: { token: 'sesame-secret-value' }, logger: logs.logger });
    await api.server.app.inject({ method: 'GET', url: '/conversations/a/tracker?token=sesame-secret-value' });
    await api.server.app.inject({ method: 'POST', url: '/conversations/a/execute?token=sesame-secret-value', payload: { name: 'action_nope' } });
    await api.server.app.inject({ method: 'GET', url: '/status?token=wrong-guess' });
    expect(JSON.stringify(logs.entries())).not.toContain('sesame-secret-value');
    expect(logs.entries().length).toBeGreaterThan(0);
  });
});

describe('JWT auth (--jwt-secret)', () => {
  it('lets an admin reach everything', async () => {
    const api = await startApi({ auth: { jwtSecret: SECRET } });
    const headers = bearer({ user: { username: 'boss', role: 'admin' } });
    expect((await api.server.app.inject({ method: 'GET', url: '/status', headers })).statusCode).toBe(200);
    expect((await api.server.app.inject({ method: 'GET', url: '/conversations/anyone/tracker', headers })).statusCode).toBe(200);
  });

  it('lets a user reach only its own conversation, and no route without one', async () => {
    const api = await startApi({ auth: { jwtSecret: SECRET } });
    const headers = bearer({ user: { username: 'ann/1', role: 'user' } });
    expect((await api.server.app.inject({ method: 'GET', url: '/conversations/ann/1/tracker', headers })).statusCode).toBe(200);
    const other = await api.server.app.inject({ method: 'GET', url: '/conversations/bob/tracker', headers });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ reason: 'NotAuthorized', message: 'User has insufficient permissions.', help: SECURITY_HELP });
    expect((await api.server.app.inject({ method: 'GET', url: '/status', headers })).statusCode).toBe(403);
  });

  it('answers 403 for a valid token without a known role', async () => {
    const api = await startApi({ auth: { jwtSecret: SECRET } });
    const response = await api.server.app.inject({ method: 'GET', url: '/status', headers: bearer({ payload: 'value' }) });
    expect(response.statusCode).toBe(403);
  });

  it('answers 401 for a bad signature, an expired token or no header', async () => {
    const api = await startApi({ auth: { jwtSecret: SECRET } });
    const expired = { authorization: `Bearer ${jwt.sign({ user: { role: 'admin' }, exp: Math.floor(Date.now() / 1000) - 60 }, SECRET)}` };
    for (const headers of [bearer({ user: { role: 'admin' } }, 'other-secret'), expired, {}]) {
      expect((await api.server.app.inject({ method: 'GET', url: '/status', headers })).statusCode).toBe(401);
    }
  });

  it('accepts the token first when both are configured', async () => {
    const api = await startApi({ auth: { token: 'sesame', jwtSecret: SECRET } });
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=sesame' })).statusCode).toBe(200);
    const headers = bearer({ user: { role: 'admin' } });
    expect((await api.server.app.inject({ method: 'GET', url: '/status?token=wrong', headers })).statusCode).toBe(200);
  });
});

describe('every secured endpoint', () => {
  const ENDPOINTS: Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: unknown; conversation: boolean }> = [
    { method: 'GET', url: '/status', conversation: false },
    { method: 'GET', url: '/domain', conversation: false },
    { method: 'GET', url: '/conversations/me/tracker', conversation: true },
    { method: 'POST', url: '/conversations/me/tracker/events', payload: { event: 'slot', name: 'a', value: 1 }, conversation: true },
    { method: 'PUT', url: '/conversations/me/tracker/events', payload: [], conversation: true },
    { method: 'GET', url: '/conversations/me/story', conversation: true },
    { method: 'POST', url: '/conversations/me/trigger_intent', payload: { name: 'greet' }, conversation: true },
    { method: 'POST', url: '/conversations/me/messages', payload: { text: 'hi', sender: 'user' }, conversation: true },
    { method: 'POST', url: '/conversations/me/predict', conversation: true },
    { method: 'POST', url: '/conversations/me/execute', payload: { name: 'utter_greet' }, conversation: true },
    { method: 'POST', url: '/model/parse', payload: { text: 'hi' }, conversation: false },
    { method: 'POST', url: '/model/train', payload: 'language: en', conversation: false },
    { method: 'POST', url: '/model/test/stories', payload: 'stories: []', conversation: false },
    { method: 'POST', url: '/model/test/intents', payload: 'nlu: []', conversation: false },
    { method: 'PUT', url: '/model', payload: { model_file: '/nowhere.tar.gz' }, conversation: false },
    { method: 'DELETE', url: '/model', conversation: false },
  ];

  it('answers 401 without credentials and lets the token through', async () => {
    const api = await startApi({ auth: { token: 'sesame' } });
    for (const endpoint of ENDPOINTS) {
      const refused = await api.server.app.inject({ method: endpoint.method, url: endpoint.url, payload: endpoint.payload as never });
      expect(refused.statusCode, `${endpoint.method} ${endpoint.url}`).toBe(401);
      expect(refused.json().reason).toBe('NotAuthenticated');
    }
    for (const endpoint of ENDPOINTS) {
      const allowed = await api.server.app.inject({ method: endpoint.method, url: `${endpoint.url}?token=sesame`, payload: endpoint.payload as never });
      expect([401, 403], `${endpoint.method} ${endpoint.url}`).not.toContain(allowed.statusCode);
    }
  });

  it('lets a JWT user reach only the endpoints of its own conversation', async () => {
    const api = await startApi({ auth: { jwtSecret: SECRET } });
    const headers = bearer({ user: { username: 'me', role: 'user' } });
    for (const endpoint of ENDPOINTS) {
      const response = await api.server.app.inject({ method: endpoint.method, url: endpoint.url, payload: endpoint.payload as never, headers });
      if (endpoint.conversation) expect([401, 403], `${endpoint.method} ${endpoint.url}`).not.toContain(response.statusCode);
      else expect(response.statusCode, `${endpoint.method} ${endpoint.url}`).toBe(403);
    }
  });
});
