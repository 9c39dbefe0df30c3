/**
 * `POST /model/test/stories` and `POST /model/test/intents`: Rasa's evaluation endpoints. The
 * body (YAML test stories, or NLU data as YAML or Rasa NLU JSON) is written to a temporary
 * folder and evaluated exactly as `parley test core` / `parley test nlu` do, without result files.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { isParleyError, ParleyError } from '../errors.js';
import { runCoreTest } from '../evaluation/core-test.js';
import { crossValidateNlu } from '../evaluation/nlu-cross-validation.js';
import { rasaNluResult } from '../evaluation/nlu-report-files.js';
import { runNluTest } from '../evaluation/nlu-test.js';
import { readModelMetadata } from '../model/model.js';
import { listModels } from '../model/model-files.js';
import { errorBody } from '../server/error-handler.js';
import { readNluInputs } from '../train/train-nlu.js';
import { badRequest, requireModel, type ApiContext } from './context.js';
import { checkOutboundUrl, downloadToFile, postBody } from './outbound.js';
import { booleanParam, queryValue, type Query } from './params.js';

const YAML_CONTENT_TYPE = 'application/x-yaml';

export function registerModelTestRoutes(app: FastifyInstance, context: ApiContext): void {
  // Test data may be as large as training data.
  const options = { bodyLimit: context.limits.trainingBody };

  app.post('/model/test/stories', options, async (request) => {
    const model = requireModel(context);
    const modelPath = await archiveOnDisk(model.modelPath);
    if (!(await readModelMetadata(modelPath)).parts.core) {
      // Rasa's guard for endpoints that need a dialogue model; an NLU-only model does not count.
      throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', 'No agent loaded. To continue processing, a model of a trained agent needs to be loaded.', {
        help: 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/',
      });
    }
    const text = bodyText(request.body);
    if (text.trim() === '') throw badRequest('You must provide some stories in the request body in order to evaluate your model.');
    checkYaml(text);
    const e2e = booleanParam(request.query as Query, 'e2e');
    return withTemporaryFolder(async (folder) => {
      const stories = join(folder, 'test_data.yml');
      await writeFile(stories, text, 'utf8');
      const result = await asTestingFailure(() => runCoreTest({ modelPath, stories, out: join(folder, 'results'), root: folder, logger: context.logger }));
      return {
        report: result.report,
        precision: result.precision,
        f1: result.f1,
        accuracy: result.accuracy,
        actions: result.evaluation.actions,
        in_training_data_fraction: result.inTrainingDataFraction,
        is_end_to_end_evaluation: e2e,
      };
    });
  });

  app.post('/model/test/intents', options, async (request, reply) => {
    const query = request.query as Query;
    const text = bodyText(request.body);
    if (text.trim() === '') throw badRequest('You must provide some nlu data in the request body in order to evaluate your model.');
    const isYaml = contentType(request) === YAML_CONTENT_TYPE;
    const foldsParam = queryValue(query, 'cross_validation_folds');
    if (foldsParam !== undefined && !isYaml) {
      throw new ParleyError('PARLEY_ERR_TESTING_INPUT', 'Cross-validation is only supported for YAML data.');
    }
    const folds = foldsParam === undefined ? null : Number(foldsParam);
    if (folds !== null && (!Number.isInteger(folds) || folds < 2)) {
      throw badRequest(`Invalid parameter value for 'cross_validation_folds': a whole number of at least 2, not '${foldsParam}'.`, 'cross_validation_folds', 'query');
    }
    if (isYaml) checkYaml(text);
    else checkJson(text);
    const evaluate = (): Promise<Record<string, unknown>> =>
      folds !== null ? crossValidate(context, text, folds) : evaluateModel(context, text, isYaml, queryValue(query, 'model'));
    const callbackUrl = queryValue(query, 'callback_url');
    if (callbackUrl !== undefined) {
      const callback = checkOutboundUrl(callbackUrl, 'callback_url', 'query');
      void evaluateForCallback(context, evaluate, callback);
      return reply.code(204).send();
    }
    return reply.send(await evaluate());
  });
}

async function evaluateModel(context: ApiContext, text: string, isYaml: boolean, modelParam: string | undefined): Promise<Record<string, unknown>> {
  return withTemporaryFolder(async (folder) => {
    const data = join(folder, isYaml ? 'data.yml' : 'data.json');
    await writeFile(data, text, 'utf8');
    const modelPath = await asTestingFailure(async () => {
      if (modelParam === undefined) {
        const current = context.holder.current();
        // As in Rasa, this endpoint has no model guard: a missing model is an evaluation failure.
        if (!current) throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', 'Loaded model file not found.');
        return archiveOnDisk(current.modelPath);
      }
      return modelFromParameter(context, modelParam, folder);
    });
    const result = await asTestingFailure(() => runNluTest({ modelPath, nlu: [data], out: null, root: folder, logger: context.logger }));
    return rasaNluResult(result.evaluations);
  });
}

async function crossValidate(context: ApiContext, text: string, folds: number): Promise<Record<string, unknown>> {
  return withTemporaryFolder(async (folder) => {
    // The one document is both the config (pipeline, language) and the data, as in Rasa.
    await writeFile(join(folder, 'data.yml'), text, 'utf8');
    const result = await asTestingFailure(async () => {
      const inputs = await readNluInputs({ root: folder, config: 'data.yml', nlu: ['data.yml'], domain: undefined });
      return crossValidateNlu({ ...inputs, folds, out: null, logger: context.logger });
    });
    return rasaNluResult(result.evaluations);
  });
}

/** The archive named by `?model=`: a local file or folder (its newest archive) or an http(s) URL. */
async function modelFromParameter(context: ApiContext, model: string, folder: string): Promise<string> {
  if (/^https?:\/\//i.test(model)) {
    const url = checkOutboundUrl(model, 'model', 'query');
    const archive = join(folder, 'model.tar.gz');
    await downloadToFile(url, archive, { timeoutMs: context.limits.outboundTimeoutMs, maxBytes: context.limits.modelDownloadBytes });
    return archive;
  }
  const path = resolve(model);
  const found = existsSync(path) ? (statSync(path).isDirectory() ? listModels(path)[0] : path) : undefined;
  if (!found) throw new ParleyError('PARLEY_ERR_MODEL_NOT_FOUND', `No model archive found at '${model}'.`);
  return found;
}

/** The loaded model's archive; evaluation reads the model parts from it again. */
async function archiveOnDisk(modelPath: string): Promise<string> {
  if (existsSync(modelPath)) return modelPath;
  throw new ParleyError(
    'PARLEY_ERR_TESTING',
    `The loaded model's archive '${modelPath}' is no longer on disk (it was moved or deleted after loading), so it cannot be evaluated. ` +
      'Load the model from a file with PUT /model, or pass ?model=<path or URL>.',
  );
}

/** Delivers an evaluation to `callback_url` (Rasa's async mode); delivery failures are logged only. */
async function evaluateForCallback(context: ApiContext, evaluate: () => Promise<Record<string, unknown>>, callback: URL): Promise<void> {
  const options = { timeoutMs: context.limits.outboundTimeoutMs };
  let body: string;
  try {
    body = JSON.stringify(await evaluate());
  } catch (error) {
    const failure = isParleyError(error) && error.status !== undefined
      ? errorBody(error.status, error.message, { reason: error.reason, details: error.details, help: error.help ?? null })
      : errorBody(500, 'An unexpected error occurred during evaluation.', { reason: 'UnexpectedError' });
    if (!isParleyError(error)) context.logger.error({ event: 'api.test.failed', err: error }, 'evaluation for a callback failed');
    body = JSON.stringify(failure);
  }
  try {
    await postBody(callback, body, 'application/json', options);
  } catch (error) {
    context.logger.warn({ event: 'api.test.callback_failed', origin: callback.origin, err: error }, 'could not deliver the evaluation result');
  }
}

/** Any failure of the evaluation itself is Rasa's 500 `TestingError`; request errors (4xx) stay. */
async function asTestingFailure<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (isParleyError(error) && error.status !== undefined && error.status < 500 && error.code !== 'PARLEY_ERR_MODEL_NOT_FOUND') throw error;
    if (isParleyError(error) && error.code === 'PARLEY_ERR_TESTING') throw error;
    const message = isParleyError(error) ? error.toUserString() : (error as Error).message;
    throw new ParleyError('PARLEY_ERR_TESTING', `An unexpected error occurred during evaluation. Error: ${message}`, { cause: error });
  }
}

async function withTemporaryFolder<T>(task: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'parley-test-'));
  try {
    return await task(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body === undefined || body === null) return '';
  return JSON.stringify(body);
}

function contentType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Rasa's 400 for a body that is not YAML, before anything touches the disk. */
function checkYaml(text: string): void {
  try {
    parseYaml(text);
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_TRAINING_INPUT', `The request body does not contain valid YAML. Error: ${(error as Error).message}`, {
      help: 'https://rasa.com/docs/rasa/training-data-format',
    });
  }
}

function checkJson(text: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON (send YAML with 'Content-Type: ${YAML_CONTENT_TYPE}'): ${(error as Error).message}.`, '', 'body');
  }
}
