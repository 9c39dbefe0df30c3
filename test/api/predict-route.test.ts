import { afterEach, describe, expect, it } from 'vitest';
import { registerHttpApi } from '../../src/api/plugin.js';
import { createAgent } from '../../src/core/agent.js';
import { silentLogger } from '../../src/logger.js';
import { loadServableModel, ModelHolder } from '../../src/runtime/model-holder.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { closeApis, moodbotModel, startApi } from './helpers/api-server.js';

const nluOnlyServers: ParleyServer[] = [];
afterEach(async () => {
  await closeApis();
  await Promise.all(nluOnlyServers.splice(0).map((server) => server.close()));
});

const GREETED = [
  { event: 'action', name: 'action_session_start' },
  { event: 'session_started' },
  { event: 'action', name: 'action_listen' },
  { event: 'user', text: 'hello', parse_data: { intent: { name: 'greet', confidence: 1 }, entities: [] } },
];

function predict(api: Awaited<ReturnType<typeof startApi>>, payload: unknown, query = '') {
  return api.server.app.inject({
    method: 'POST',
    url: `/model/predict${query}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

describe('POST /model/predict', () => {
  it('predicts the next action from a list of events: scores of every action, policy, confidence, tracker', async () => {
    const api = await startApi();
    const response = await predict(api, GREETED);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['confidence', 'policy', 'scores', 'tracker']);
    const actions = api.holder.current()!.agent.domain.actionNames;
    expect(body.scores).toHaveLength(actions.length);
    expect(body.scores[0]).toEqual({ action: 'utter_greet', score: body.confidence });
    expect(body.confidence).toBeGreaterThan(0.5);
    expect(typeof body.policy).toBe('string');
    const scores = body.scores.map((entry: { score: number }) => entry.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(body.tracker.sender_id).toBe('default');
    expect(body.tracker.latest_message.intent.name).toBe('greet');
    expect(body.tracker.events).toHaveLength(GREETED.length);
  });

  it('stores nothing and runs nothing', async () => {
    const api = await startApi();
    expect((await predict(api, GREETED)).statusCode).toBe(200);
    expect(await api.holder.current()!.agent.trackerStore.keys()).toEqual([]);
  });

  it('returns the tracker with the requested include_events', async () => {
    const api = await startApi();
    const response = await predict(api, GREETED, '?include_events=NONE');
    expect(response.statusCode).toBe(200);
    expect(response.json().tracker.events).toBeNull();
    expect((await predict(api, GREETED, '?include_events=SOME')).statusCode).toBe(400);
  });

  it('answers 400 for a body that is not a list of events', async () => {
    const api = await startApi();
    for (const payload of [{ event: 'user', text: 'hi' }, 'hello', null]) {
      const response = await predict(api, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 'failure', reason: 'BadRequest', code: 400 });
    }
    const empty = await api.server.app.inject({ method: 'POST', url: '/model/predict' });
    expect(empty.statusCode).toBe(400);
  });

  it('answers 400 “Supplied events are not valid” for events that cannot be read', async () => {
    const api = await startApi();
    const response = await predict(api, [{ event: 'no_such_event' }]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      reason: 'BadRequest',
      details: { parameter: '', in: 'body' },
      code: 400,
    });
    expect(response.json().message).toMatch(/^Supplied events are not valid\. /);
  });

  it('answers 409 when no model is loaded', async () => {
    const api = await startApi({ noModel: true });
    const response = await predict(api, GREETED);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ reason: 'Conflict', code: 409 });
  });

  it('answers 500 PredictionError for an NLU-only model', async () => {
    const logger = silentLogger();
    const holder = new ModelHolder({
      logger,
      // moodbot's domain and NLU without its policies: what an NLU-only archive loads as.
      loader: async (path, context) => {
        const full = await loadServableModel(path, context);
        const agent = createAgent({ domain: full.agent.domain, interpreter: full.interpreter, policies: null, modelId: full.modelId, logger });
        return { ...full, agent };
      },
    });
    await holder.load(await moodbotModel());
    const server = createServer({ credentials: [], getHandler: () => holder.agent(), logger });
    nluOnlyServers.push(server);
    registerHttpApi(server, { holder, logger });
    const response = await server.app.inject({ method: 'POST', url: '/model/predict', payload: GREETED });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ status: 'failure', reason: 'PredictionError', code: 500 });
  });

  it('needs the API token when one is configured', async () => {
    const api = await startApi({ auth: { token: 'predict-token' } });
    expect((await predict(api, GREETED)).statusCode).toBe(401);
    expect((await predict(api, GREETED, '?token=predict-token')).statusCode).toBe(200);
  });

  it('refuses a body over the events limit with 413', async () => {
    const api = await startApi({ limits: { eventsBody: 1_000 } });
    const many = Array.from({ length: 50 }, () => GREETED[3]);
    expect((await predict(api, many)).statusCode).toBe(413);
  });
});
