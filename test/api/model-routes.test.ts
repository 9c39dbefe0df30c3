import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureLogs } from '../channels/helpers/logs.js';
import { parse as parseYaml } from 'yaml';
import { readModelMetadata } from '../../src/model/model.js';
import { closeApis, MOODBOT, moodbotModel, startApi, type ApiHarness } from './helpers/api-server.js';

let modelPath: string;
beforeAll(async () => {
  modelPath = await moodbotModel();
}, 60_000);
afterEach(closeApis);

const get = (api: ApiHarness, url: string, headers: Record<string, string> = {}) => api.server.app.inject({ method: 'GET', url, headers });
const say = async (api: ApiHarness, sender: string, message: string) =>
  (await api.server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender, message } })).json();

/** One YAML document with moodbot's config, domain and data, as `/model/train` takes it. */
function moodbotDocument(): string {
  const parts = ['config.yml', 'domain.yml', 'data/nlu.yml', 'data/stories.yml', 'data/rules.yml'];
  return parts.map((file) => readFileSync(join(MOODBOT, file), 'utf8').replace(/^version:.*$/m, '')).join('\n') + '\nversion: "3.1"\n';
}

describe('GET /status', () => {
  it('reports the archive name, model id and training jobs', async () => {
    const api = await startApi();
    const response = await get(api, '/status');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      model_file: basename(modelPath),
      model_id: (await readModelMetadata(modelPath)).modelId,
      num_active_training_jobs: 0,
    });
  });

  it('answers 409 without a model (channels §6.1 item 21)', async () => {
    const api = await startApi({ noModel: true });
    expect((await get(api, '/status')).statusCode).toBe(409);
  });
});

describe('GET /domain', () => {
  it('answers JSON by default and for application/json', async () => {
    const api = await startApi();
    for (const headers of [{}, { accept: 'application/json' }] as Array<Record<string, string>>) {
      const response = await get(api, '/domain', headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().responses.utter_greet).toEqual([{ text: 'Hey! How are you?' }]);
    }
  });

  it('answers YAML with version first for application/x-yaml', async () => {
    const api = await startApi();
    const response = await get(api, '/domain', { accept: 'application/x-yaml' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-yaml/);
    expect(response.body.startsWith('version:')).toBe(true);
    expect(parseYaml(response.body).intents).toContain('greet');
  });

  it('answers 406 for any other Accept value, */* included', async () => {
    const api = await startApi();
    const response = await get(api, '/domain', { accept: '*/*' });
    expect(response.statusCode).toBe(406);
    expect(response.json()).toMatchObject({ reason: 'NotAcceptable', code: 406 });
  });
});

describe('POST /model/parse', () => {
  it('parses text with the loaded model’s NLU', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'POST', url: '/model/parse', payload: { text: 'hello there' } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.text).toBe('hello there');
    expect(body.intent.name).toBe('greet');
    expect(Array.isArray(body.entities)).toBe(true);
    expect(body.intent_ranking[0].name).toBe('greet');
  });

  it('honours the /intent shortcut', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'POST', url: '/model/parse', payload: { text: '/mood_great' } });
    expect(response.json().intent).toEqual({ name: 'mood_great', confidence: 1 });
  });

  it('answers 400 without text and for an unknown emulation mode, 501 for a known one', async () => {
    const api = await startApi();
    const empty = await api.server.app.inject({ method: 'POST', url: '/model/parse', payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/^No text message defined in request_body/);
    const unknown = await api.server.app.inject({ method: 'POST', url: '/model/parse?emulation_mode=alexa', payload: { text: 'hi' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toEqual({ parameter: 'emulation_mode', in: 'query' });
    const wit = await api.server.app.inject({ method: 'POST', url: '/model/parse?emulation_mode=wit', payload: { text: 'hi' } });
    expect(wit.statusCode).toBe(501);
  });
});

describe('PUT and DELETE /model', () => {
  it('loads a model from a path and the channels answer with it', async () => {
    const api = await startApi({ noModel: true });
    expect(await say(api, 'u', 'hi')).toEqual([]);
    const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: modelPath } });
    expect(response.statusCode).toBe(204);
    expect((await get(api, '/status')).json().model_file).toBe(basename(modelPath));
    expect(await say(api, 'u', 'hi')).toEqual([{ recipient_id: 'u', text: 'Hey! How are you?' }]);
  });

  it('loads the newest archive of a directory and keeps conversations across the swap', async () => {
    const api = await startApi();
    await say(api, 'keep', 'hi');
    const directory = mkdtempSync(join(tmpdir(), 'parley-api-dir-'));
    copyFileSync(modelPath, join(directory, 'copy.tar.gz'));
    const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: directory } });
    expect(response.statusCode).toBe(204);
    expect((await get(api, '/status')).json().model_file).toBe('copy.tar.gz');
    const tracker = (await get(api, '/conversations/keep/tracker')).json();
    expect(tracker.events.filter((event: { event: string }) => event.event === 'user')).toHaveLength(1);
  });

  it('answers 400 for a missing body or a path without a model, keeping the current model', async () => {
    const api = await startApi();
    const empty = await api.server.app.inject({ method: 'PUT', url: '/model', payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('No path to model file defined in request_body.');
    const missing = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: '/nowhere/model.tar.gz' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ message: "Agent with name '/nowhere/model.tar.gz' could not be loaded.", details: { parameter: 'model', in: 'query' } });
    expect((await get(api, '/status')).statusCode).toBe(200);
  });

  it('answers 500 LoadingError for a file that is no model, keeping the current model', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: join(MOODBOT, 'domain.yml') } });
    expect(response.statusCode).toBe(500);
    expect(response.json().reason).toBe('LoadingError');
    expect((await get(api, '/status')).statusCode).toBe(200);
  });

  it('answers 400 for an invalid model_server and 501 for remote storage', async () => {
    const api = await startApi();
    const server = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_server: { url: 42 } } });
    expect(server.statusCode).toBe(400);
    expect(server.json().message).toMatch(/^Supplied 'model_server' is not valid\. Error:/);
    expect(server.json().details).toEqual({ parameter: 'model_server', in: 'body' });
    const remote = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: 'm.tar.gz', remote_storage: 'aws' } });
    expect(remote.statusCode).toBe(501);
  });

  it('downloads a model from a model server with its token', async () => {
    const archive = readFileSync(modelPath);
    const seen: string[] = [];
    const server = await serve((request, response) => {
      seen.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/gzip' });
      response.end(archive);
    });
    try {
      const api = await startApi({ noModel: true });
      const payload = { model_server: { url: `${server.url}/models/latest.tar.gz`, token: 't0k' } };
      const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload });
      expect(response.statusCode).toBe(204);
      expect(seen).toEqual(['/models/latest.tar.gz?token=t0k']);
      expect((await get(api, '/status')).json().model_file).toBe('latest.tar.gz');
    } finally {
      await server.close();
    }
  });

  it('keeps a downloaded archive while its model is served, so it can be evaluated, and removes it when replaced', async () => {
    const archive = readFileSync(modelPath);
    const server = await serve((_request, response) => response.end(archive));
    try {
      const api = await startApi({ noModel: true });
      const put = (payload: object) => api.server.app.inject({ method: 'PUT', url: '/model', payload });
      expect((await put({ model_file: `${server.url}/models/first.tar.gz` })).statusCode).toBe(204);
      const served = api.holder.current()!.modelPath;
      expect(existsSync(served)).toBe(true);
      const evaluated = await api.server.app.inject({
        method: 'POST',
        url: '/model/test/intents',
        payload: 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there\n',
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(evaluated.statusCode, evaluated.body).toBe(200);
      expect((await put({ model_file: `${server.url}/models/second.tar.gz` })).statusCode).toBe(204);
      expect(existsSync(served)).toBe(false);
      const second = api.holder.current()!.modelPath;
      expect((await put({ model_file: modelPath })).statusCode).toBe(204);
      expect(existsSync(second)).toBe(false);
      expect(existsSync(modelPath)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('gives up on a model server that does not answer in time', async () => {
    const server = await serve(() => {});
    try {
      const api = await startApi({ noModel: true, limits: { outboundTimeoutMs: 200 } });
      const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: `${server.url}/m.tar.gz` } });
      expect(response.statusCode).toBe(500);
      expect(response.json().message).toMatch(/timed out/);
    } finally {
      await server.close();
    }
  });

  it('refuses a download larger than the limit', async () => {
    const server = await serve((_request, response) => response.end(Buffer.alloc(5000)));
    try {
      const api = await startApi({ noModel: true, limits: { modelDownloadBytes: 1000 } });
      const response = await api.server.app.inject({ method: 'PUT', url: '/model', payload: { model_file: `${server.url}/m.tar.gz` } });
      expect(response.statusCode).toBe(500);
      expect(response.json().message).toMatch(/larger than 1000 bytes/);
    } finally {
      await server.close();
    }
  });

  it('unloads with DELETE: 204, then model routes answer 409 and channels stay quiet', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'DELETE', url: '/model' });
    expect(response.statusCode).toBe(204);
    expect((await get(api, '/status')).statusCode).toBe(409);
    expect((await get(api, '/conversations/a/tracker')).statusCode).toBe(409);
    expect(await say(api, 'u', 'hi')).toEqual([]);
  });
});

describe('POST /model/train', () => {
  it('trains the one-document project and answers with the archive, saved in the model directory', async () => {
    const api = await startApi({ noModel: true });
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/model/train',
      headers: { 'content-type': 'application/x-yaml' },
      payload: moodbotDocument(),
    });
    expect(response.statusCode).toBe(200);
    const file = response.headers.filename as string;
    expect(file).toMatch(/\.tar\.gz$/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${file}"`);
    expect(response.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(readdirSync(api.modelDirectory)).toEqual([file]);
    expect((await get(api, '/status')).statusCode).toBe(409);
  });

  it('keeps nothing on disk with save_to_default_model_directory=false', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({
      method: 'POST',
      url: '/model/train?save_to_default_model_directory=false',
      payload: moodbotDocument(),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.statusCode).toBe(200);
    expect(existsSync(api.modelDirectory) ? readdirSync(api.modelDirectory) : []).toEqual([]);
  });

  it('answers 400 for an empty body, invalid YAML and an invalid domain', async () => {
    const api = await startApi();
    const train = (payload: string) => api.server.app.inject({ method: 'POST', url: '/model/train', payload, headers: { 'content-type': 'application/x-yaml' } });
    const empty = await train('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('You must provide training data in the request body in order to train your model.');
    const broken = await train('language: en\nintents: [greet\n');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^The request body does not contain valid YAML/);
    const domain = await train(moodbotDocument().replace('  utter_greet:\n', '  utter_greet: 7\n  utter_x:\n'));
    expect(domain.statusCode).toBe(400);
    expect(['InvalidDomainError', 'BadRequest']).toContain(domain.json().reason);
    expect(domain.json().message).not.toContain(tmpdir());
  });

  it('answers 204 at once with callback_url and POSTs the archive there', async () => {
    const receiver = await startRawReceiver();
    try {
      const api = await startApi();
      const response = await api.server.app.inject({
        method: 'POST',
        url: `/model/train?callback_url=${encodeURIComponent(`${receiver.url}/done`)}`,
        payload: moodbotDocument(),
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(response.statusCode).toBe(204);
      const delivered = await receiver.next();
      expect(delivered.headers['content-type']).toBe('application/gzip');
      expect(delivered.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    } finally {
      await receiver.close();
    }
  });

  it('gives up delivering to a callback_url that does not answer in time, and says so in the log', async () => {
    const hanging = await serve(() => {});
    try {
      const logs = captureLogs();
      const api = await startApi({ logger: logs.logger, limits: { outboundTimeoutMs: 200 } });
      const response = await api.server.app.inject({
        method: 'POST',
        url: `/model/train?callback_url=${encodeURIComponent(`${hanging.url}/done?token=cb-secret`)}`,
        payload: moodbotDocument(),
      });
      expect(response.statusCode).toBe(204);
      await vi.waitFor(() => expect(logs.entries().some((entry) => entry.event === 'api.train.callback_failed')).toBe(true), { timeout: 30_000 });
      expect(JSON.stringify(logs.entries())).not.toContain('cb-secret');
    } finally {
      await hanging.close();
    }
  });

  it('refuses a callback_url that is not http(s)', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'POST', url: '/model/train?callback_url=file:///etc/passwd', payload: moodbotDocument() });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual({ parameter: 'callback_url', in: 'query' });
  });
});

// POST /model/test/stories and /model/test/intents: model-test-routes.test.ts.

// ── helpers ──────────────────────────────────────────────────────────────────

async function serve(handler: Parameters<typeof createHttpServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface RawDelivery {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function startRawReceiver(): Promise<{ url: string; next(): Promise<RawDelivery>; close(): Promise<void> }> {
  let deliver: (delivery: RawDelivery) => void = () => {};
  const delivered = new Promise<RawDelivery>((resolve) => (deliver = resolve));
  const server = await serve((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.end('ok');
      deliver({ headers: request.headers, body: Buffer.concat(chunks) });
    });
  });
  return { url: server.url, next: () => delivered, close: server.close };
}

