import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { trainNluProject } from '../../src/train/train-nlu.js';
import { closeApis, MOODBOT, moodbotModel, startApi, type ApiHarness } from './helpers/api-server.js';

let nluOnlyModel: string;
beforeAll(async () => {
  await moodbotModel();
  nluOnlyModel = (await trainNluProject({ root: MOODBOT, out: mkdtempSync(join(tmpdir(), 'parley-api-nlu-')), logger: silentLogger() })).modelPath;
}, 60_000);
afterEach(closeApis);

const YAML = { 'content-type': 'application/x-yaml' };
const post = (api: ApiHarness, url: string, payload: string, headers: Record<string, string> = {}) =>
  api.server.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'text/plain', ...headers } });

const TEST_STORIES = readFileSync(join(MOODBOT, 'tests', 'test_stories.yml'), 'utf8');
const NLU_DATA = `version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello there
    - good morning
- intent: goodbye
  examples: |
    - see you later
    - bye bye
`;

describe('POST /model/test/stories', () => {
  it('evaluates the test stories against the loaded model in Rasa\'s response shape', async () => {
    const api = await startApi();
    const response = await post(api, '/model/test/stories', TEST_STORIES);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(Object.keys(body)).toEqual(['report', 'precision', 'f1', 'accuracy', 'actions', 'in_training_data_fraction', 'is_end_to_end_evaluation']);
    expect(body.accuracy).toBe(1);
    expect(body.report.conversation_accuracy).toEqual({ accuracy: 1, correct: 7, with_warnings: 0, total: 7 });
    expect(body.actions[0]).toEqual({ action: expect.any(String), predicted: expect.any(String), policy: expect.any(String), confidence: expect.any(Number) });
    expect(body.is_end_to_end_evaluation).toBe(false);
    expect((await post(api, '/model/test/stories?e2e=true', TEST_STORIES)).json().is_end_to_end_evaluation).toBe(true);
  });

  it('answers 400 without a body or for a body that is not YAML', async () => {
    const api = await startApi();
    const empty = await post(api, '/model/test/stories', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('You must provide some stories in the request body in order to evaluate your model.');
    const broken = await post(api, '/model/test/stories', 'stories: [unclosed');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^The request body does not contain valid YAML/);
  });

  it('answers 409 without a model and with a model that has no dialogue part', async () => {
    const api = await startApi({ noModel: true });
    expect((await post(api, '/model/test/stories', TEST_STORIES)).statusCode).toBe(409);
    await api.holder.load(nluOnlyModel);
    const response = await post(api, '/model/test/stories', TEST_STORIES);
    expect(response.statusCode).toBe(409);
    expect(response.json().reason).toBe('Conflict');
  });

  it('answers 500 TestingError for stories that cannot be read', async () => {
    const api = await startApi();
    const response = await post(api, '/model/test/stories', 'stories:\n- story: x\n  steps:\n  - action: 42\n');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ reason: 'TestingError', message: expect.stringMatching(/^An unexpected error occurred during evaluation\. Error: /) });
  });
});

describe('POST /model/test/intents', () => {
  it('evaluates YAML NLU data with the loaded model in Rasa\'s result shape', async () => {
    const api = await startApi();
    const response = await post(api, '/model/test/intents', NLU_DATA, YAML);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(Object.keys(body)).toEqual(['intent_evaluation', 'entity_evaluation', 'response_selection_evaluation']);
    expect(Object.keys(body.intent_evaluation)).toEqual(['predictions', 'report', 'precision', 'f1_score', 'accuracy', 'errors']);
    expect(body.intent_evaluation.predictions[0]).toEqual({ text: 'hello there', intent: 'greet', predicted: 'greet', confidence: expect.any(Number) });
    expect(body.intent_evaluation.report.greet).toEqual({ precision: expect.any(Number), recall: expect.any(Number), 'f1-score': expect.any(Number), support: 2 });
    // moodbot's DIETClassifier extracts entities, but nothing is annotated: an empty report, as Rasa.
    expect(body.entity_evaluation.DIETClassifier).toMatchObject({ report: {}, precision: 0, f1_score: 0, errors: [] });
    expect(body.response_selection_evaluation).toBeNull();
  });

  it('reads Rasa NLU JSON when the body is not YAML', async () => {
    const api = await startApi();
    const json = JSON.stringify({
      rasa_nlu_data: { common_examples: [{ text: 'hello there', intent: 'greet', entities: [] }, { text: 'bye bye', intent: 'goodbye', entities: [] }] },
    });
    const response = await post(api, '/model/test/intents', json, { 'content-type': 'application/json' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().intent_evaluation.predictions).toHaveLength(2);
  });

  it('evaluates the model named by ?model= even with no model loaded, and answers 500 TestingError without one', async () => {
    const api = await startApi({ noModel: true });
    const without = await post(api, '/model/test/intents', NLU_DATA, YAML);
    expect(without.statusCode).toBe(500);
    expect(without.json()).toMatchObject({ reason: 'TestingError', message: expect.stringContaining('Loaded model file not found.') });
    const named = await post(api, `/model/test/intents?model=${encodeURIComponent(nluOnlyModel)}`, NLU_DATA, YAML);
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json().intent_evaluation.accuracy).toBeGreaterThan(0.5);
  });

  it('cross-validates a YAML document holding pipeline and data with ?cross_validation_folds=', async () => {
    const api = await startApi({ noModel: true });
    const document = `language: en\npipeline:\n- name: WhitespaceTokenizer\n- name: CountVectorsFeaturizer\n- name: LogisticRegressionClassifier\n${NLU_DATA.replace('version: "3.1"\n', '')}`;
    const response = await post(api, '/model/test/intents?cross_validation_folds=2', document, YAML);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().intent_evaluation.predictions).toHaveLength(4);
  });

  it('answers 400 for an empty body, cross-validation of JSON, bad folds and broken JSON', async () => {
    const api = await startApi();
    const empty = await post(api, '/model/test/intents', '', YAML);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('You must provide some nlu data in the request body in order to evaluate your model.');
    const json = await post(api, '/model/test/intents?cross_validation_folds=3', '{"rasa_nlu_data": {}}', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ reason: 'TestingError', message: 'Cross-validation is only supported for YAML data.' });
    const folds = await post(api, '/model/test/intents?cross_validation_folds=one', NLU_DATA, YAML);
    expect(folds.statusCode).toBe(400);
    expect(folds.json().details).toEqual({ parameter: 'cross_validation_folds', in: 'query' });
    const broken = await post(api, '/model/test/intents', '{not json', { 'content-type': 'application/json' });
    expect(broken.statusCode).toBe(400);
  });

  it('answers 204 with callback_url and POSTs the evaluation there later', async () => {
    const received = await receiveOne();
    try {
      const api = await startApi();
      const response = await post(api, `/model/test/intents?callback_url=${encodeURIComponent(received.url)}`, NLU_DATA, YAML);
      expect(response.statusCode).toBe(204);
      const delivery = await received.body;
      expect(delivery.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(delivery.text).intent_evaluation.predictions).toHaveLength(4);
    } finally {
      await received.close();
    }
  });

  it('answers 401 without the token when the API is protected', async () => {
    const api = await startApi({ auth: { token: 'sesame' } });
    for (const url of ['/model/test/intents', '/model/test/stories']) {
      const refused = await post(api, url, NLU_DATA, YAML);
      expect(refused.statusCode, url).toBe(401);
    }
    expect((await post(api, '/model/test/intents?token=sesame', NLU_DATA, YAML)).statusCode).toBe(200);
  });
});

/** A loopback server that resolves with the first request body it receives. */
async function receiveOne(): Promise<{ url: string; body: Promise<{ text: string; contentType: string }>; close(): Promise<void> }> {
  let resolveBody!: (value: { text: string; contentType: string }) => void;
  const body = new Promise<{ text: string; contentType: string }>((resolve) => (resolveBody = resolve));
  const server: Server = createHttpServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      response.end();
      resolveBody({ text, contentType: String(request.headers['content-type']) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/done`,
    body,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
