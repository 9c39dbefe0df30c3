import { afterEach, describe, expect, it } from 'vitest';
import { registerHttpApi } from '../../src/api/plugin.js';
import { ParleyError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { ModelHolder } from '../../src/runtime/model-holder.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { closeApis, moodbotModel } from './helpers/api-server.js';

const servers: ParleyServer[] = [];
afterEach(async () => {
  await closeApis();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function bareServer(): ParleyServer {
  const server = createServer({ credentials: [{ name: 'rest', options: null }], logger: silentLogger() });
  servers.push(server);
  return server;
}

describe('registerHttpApi', () => {
  it('is the only way the API appears: without it, / answers and /version, /status are 404 (channels §6.1 item 19)', async () => {
    const server = bareServer();
    expect((await server.app.inject({ method: 'GET', url: '/' })).body.startsWith('Hello from Rasa:')).toBe(true);
    expect((await server.app.inject({ method: 'GET', url: '/version' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/status' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/conversations/a/tracker' })).statusCode).toBe(404);
  });

  it('refuses unusable auth options when it is called, before serving anything', () => {
    const server = bareServer();
    const register = () => registerHttpApi(server, { holder: new ModelHolder(), logger: silentLogger(), auth: { jwtSecret: 'k', jwtMethod: 'HS999' } });
    expect(register).toThrow(ParleyError);
  });

  it('makes the channels follow the holder: load, swap and unload reach the webhook', async () => {
    const server = bareServer();
    const holder = new ModelHolder();
    registerHttpApi(server, { holder, logger: silentLogger() });
    const say = async () => (await server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'f', message: 'hi' } })).json();
    expect(await say()).toEqual([]);
    const loaded = await holder.load(await moodbotModel());
    expect(server.handler()).toBe(loaded.agent);
    expect(await say()).toEqual([{ recipient_id: 'f', text: 'Hey! How are you?' }]);
    holder.unload();
    expect(server.handler()).toBeNull();
    expect(await say()).toEqual([]);
    await holder.close();
  }, 60_000);
});
