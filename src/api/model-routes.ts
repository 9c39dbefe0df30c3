/** `/model/parse`, `PUT /model` (load), `DELETE /model` (unload), and the evaluation endpoints (model-test-routes.ts). */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../errors.js';
import { listModels } from '../model/model-files.js';
import { asRasaFailure, badRequest, objectBody, requireModel, validBody, type ApiContext } from './context.js';
import { registerModelTestRoutes } from './model-test-routes.js';
import { checkOutboundUrl, downloadToFile } from './outbound.js';
import { queryValue, type Query } from './params.js';

const EMULATORS = ['WIT', 'LUIS', 'DIALOGFLOW'];

const parseBody = z.object({ text: z.string(), message_id: z.string().nullable().optional() });

const modelServer = z.object({
  url: z.string().min(1),
  params: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
  headers: z.record(z.string()).optional(),
  token: z.string().optional(),
  token_name: z.string().optional(),
  basic_auth: z.object({ username: z.string(), password: z.string() }).optional(),
  wait_time_between_pulls: z.number().nullable().optional(),
}).passthrough();

const loadBody = z.object({
  model_file: z.string().min(1).optional(),
  model_server: z.unknown().optional(),
  remote_storage: z.string().nullable().optional(),
});

/** Where `PUT /model` should read an archive from. */
type ModelSource = { kind: 'file'; path: string } | { kind: 'url'; url: URL; headers: Record<string, string> };

function sourceOf(body: z.infer<typeof loadBody>): ModelSource {
  if (body.remote_storage) {
    throw new ParleyError(
      'PARLEY_ERR_NOT_AVAILABLE',
      `Loading models from remote storage ('${body.remote_storage}') is not available in Parley yet. ` +
        'Download the archive and pass its path (or an http(s) URL) as model_file.',
    );
  }
  if (body.model_server !== undefined && body.model_server !== null) {
    const parsed = modelServer.safeParse(body.model_server);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(`Supplied 'model_server' is not valid. Error: '${issue.path.join('.') || 'model_server'}': ${issue.message}.`, 'model_server');
    }
    const server = parsed.data;
    const url = checkOutboundUrl(server.url, 'model_server');
    for (const [name, value] of Object.entries(server.params ?? {})) url.searchParams.set(name, String(value));
    if (server.token) url.searchParams.set(server.token_name ?? 'token', server.token);
    const headers = { ...(server.headers ?? {}) };
    if (server.basic_auth) {
      headers.authorization = `Basic ${Buffer.from(`${server.basic_auth.username}:${server.basic_auth.password}`).toString('base64')}`;
    }
    return { kind: 'url', url, headers };
  }
  if (!body.model_file) throw badRequest('No path to model file defined in request_body.');
  if (/^https?:\/\//i.test(body.model_file)) return { kind: 'url', url: checkOutboundUrl(body.model_file, 'model_file'), headers: {} };
  return { kind: 'file', path: body.model_file };
}

/** A local archive, or the newest archive in a local directory; Rasa's 400 when there is none. */
function localArchive(modelFile: string): string {
  const path = resolve(modelFile);
  const found = existsSync(path) ? (statSync(path).isDirectory() ? listModels(path)[0] : path) : undefined;
  if (found) return found;
  throw badRequest(`Agent with name '${modelFile}' could not be loaded.`, 'model', 'query');
}

/**
 * Folders of downloaded archives. The archive of the model being served stays on disk (as Rasa
 * keeps its downloaded model) so that `/model/test/*` can read it again; it is removed when
 * another model replaces it, the model is unloaded, or the server closes.
 */
class DownloadedArchives {
  #current: string | null = null;

  /** A new folder for a download. */
  async newFolder(): Promise<string> {
    return mkdtemp(join(tmpdir(), 'parley-model-'));
  }

  /** `folder` now holds the served model (null: a model not downloaded); the previous folder goes. */
  async serving(folder: string | null): Promise<void> {
    const previous = this.#current;
    this.#current = folder;
    if (previous && previous !== folder) await rm(previous, { recursive: true, force: true });
  }

  async discard(folder: string): Promise<void> {
    await rm(folder, { recursive: true, force: true });
  }
}

async function loadFromSource(context: ApiContext, source: ModelSource, downloads: DownloadedArchives): Promise<void> {
  if (source.kind === 'file') {
    await context.holder.load(localArchive(source.path));
    await downloads.serving(null);
    return;
  }
  const directory = await downloads.newFolder();
  try {
    const name = basename(source.url.pathname).endsWith('.tar.gz') ? basename(source.url.pathname) : 'model.tar.gz';
    const archive = join(directory, name);
    await downloadToFile(source.url, archive, {
      timeoutMs: context.limits.outboundTimeoutMs,
      maxBytes: context.limits.modelDownloadBytes,
      headers: source.headers,
    });
    await context.holder.load(archive);
  } catch (error) {
    await downloads.discard(directory);
    throw error;
  }
  await downloads.serving(directory);
}

export function registerModelRoutes(app: FastifyInstance, context: ApiContext): void {
  const small = { bodyLimit: context.limits.smallBody };
  const downloads = new DownloadedArchives();
  app.addHook('onClose', async () => downloads.serving(null));

  app.post('/model/parse', small, async (request) => {
    const model = requireModel(context);
    const emulation = queryValue(request.query as Query, 'emulation_mode');
    if (emulation !== undefined) {
      if (!EMULATORS.includes(emulation.toUpperCase())) {
        throw badRequest("Invalid parameter value for 'emulation_mode'. Should be one of 'WIT', 'LUIS', 'DIALOGFLOW'.", 'emulation_mode', 'query');
      }
      throw new ParleyError(
        'PARLEY_ERR_NOT_AVAILABLE',
        `The '${emulation}' emulation mode is not available in Parley; leave out emulation_mode to get Rasa's parse format.`,
      );
    }
    const body = validBody(
      parseBody,
      objectBody(request, 'No text message defined in request_body. Add text message to request body in order to obtain the intent and extracted entities.'),
    );
    return asRasaFailure(context, 'PARLEY_ERR_PARSING', async () => model.interpreter.parse(body.text));
  });

  app.put('/model', small, async (request, reply) => {
    const body = validBody(loadBody, objectBody(request, 'No path to model file defined in request_body.'));
    const source = sourceOf(body);
    await asRasaFailure(context, 'PARLEY_ERR_MODEL_LOADING', () => loadFromSource(context, source, downloads));
    return reply.code(204).send();
  });

  app.delete('/model', async (_request, reply) => {
    context.holder.unload();
    await downloads.serving(null);
    return reply.code(204).send();
  });

  registerModelTestRoutes(app, context);
}
