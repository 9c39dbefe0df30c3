/**
 * `POST /model/train`: Rasa's one-document training request (config, domain and training data in
 * one YAML body) is written to a temporary project and trained like `parley train`; the answer is
 * the model archive, or 204 and a later POST to `callback_url`.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { isParleyError, ParleyAggregateError, ParleyError, type ErrorCode } from '../errors.js';
import { errorBody } from '../server/error-handler.js';
import { trainProject } from '../train/train.js';
import { badRequest, type ApiContext } from './context.js';
import { checkOutboundUrl, postBody } from './outbound.js';
import { booleanParam, queryValue, type Query } from './params.js';

const TRAINING_DATA_HELP = 'https://rasa.com/docs/rasa/training-data-format';

interface TrainedArchive {
  file: string;
  bytes: Buffer;
}

/** The body as text, whatever content type it came with. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body === undefined || body === null) return '';
  // A JSON client may send the document as a JSON object; YAML is a superset of JSON.
  return JSON.stringify(body);
}

/** Checks the body is one YAML mapping before anything touches the disk. */
function checkDocument(text: string): void {
  if (text.trim() === '') throw badRequest('You must provide training data in the request body in order to train your model.');
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_TRAINING_INPUT', `The request body does not contain valid YAML. Error: ${(error as Error).message}`, {
      help: TRAINING_DATA_HELP,
    });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ParleyError('PARLEY_ERR_TRAINING_INPUT', 'The request body does not contain valid YAML. Error: the document must be a mapping of config, domain and training data keys.', {
      help: TRAINING_DATA_HELP,
    });
  }
}

/** Errors that mean the document itself is unusable (400), as opposed to a failed training (500). */
const PROJECT_FILE_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PARLEY_ERR_YAML_SYNTAX',
  'PARLEY_ERR_YAML_SCHEMA',
  'PARLEY_ERR_PROJECT_INVALID',
  'PARLEY_ERR_TRAINING_DATA_INVALID',
  'PARLEY_ERR_CONFIG_INVALID',
]);

/** Project-file errors name the request body instead of our temporary files. */
function asRequestError(error: unknown, root: string): unknown {
  if (!isParleyError(error) || error.status !== undefined) return error;
  const problems = error instanceof ParleyAggregateError ? error.problems : [error];
  // The document is read as config, domain and data alike, so one problem may be reported twice.
  const messages = new Set(
    (problems.length > 0 ? problems : [error]).map((problem) =>
      problem.toUserString().replace(/^(config|domain|data\/training)\.yml/, 'request body').replaceAll(root, 'the request'),
    ),
  );
  const text = [...messages].join('; ');
  if (problems.some((problem) => problem.location?.file === 'domain.yml' || problem.code === 'PARLEY_ERR_DOMAIN_INVALID')) {
    return new ParleyError('PARLEY_ERR_TRAINING_DOMAIN', `Provided domain file is invalid. Error: ${text}`, { cause: error });
  }
  if (PROJECT_FILE_ERRORS.has(error.code) || error.location !== undefined) {
    return new ParleyError('PARLEY_ERR_TRAINING_INPUT', `The request body does not contain valid YAML. Error: ${text}`, {
      help: TRAINING_DATA_HELP,
      cause: error,
    });
  }
  return new ParleyError('PARLEY_ERR_TRAINING', `An unexpected error occurred during training. Error: ${text}`, { cause: error });
}

async function train(context: ApiContext, text: string, query: Query): Promise<TrainedArchive> {
  const root = await mkdtemp(join(tmpdir(), 'parley-train-'));
  try {
    // The one document serves as config, domain and training data, exactly as Rasa reads it,
    // so every line number in an error is a line of the request body.
    await mkdir(join(root, 'data'));
    await Promise.all(['config.yml', 'domain.yml', join('data', 'training.yml')].map((file) => writeFile(join(root, file), text)));
    const keep = booleanParam(query, 'save_to_default_model_directory', true);
    const out = keep ? context.modelDirectory : join(root, 'models');
    let result;
    try {
      result = await context.holder.countTraining(() =>
        trainProject({ root, out, tests: null, force: booleanParam(query, 'force_training'), logger: context.logger }),
      );
    } catch (error) {
      throw asRequestError(error, root);
    }
    return { file: basename(result.modelPath), bytes: await readFile(result.modelPath) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function sendArchive(reply: FastifyReply, archive: TrainedArchive): FastifyReply {
  return reply
    .header('filename', archive.file)
    .header('content-disposition', `attachment; filename="${archive.file}"`)
    .type('application/gzip')
    .send(archive.bytes);
}

/** Delivers the result of an asynchronous training to `callback_url`; failures are logged only. */
async function trainForCallback(context: ApiContext, text: string, query: Query, callback: URL): Promise<void> {
  const options = { timeoutMs: context.limits.outboundTimeoutMs };
  try {
    const archive = await train(context, text, query);
    await postBody(callback, archive.bytes, 'application/gzip', { ...options, headers: { filename: archive.file } });
  } catch (error) {
    const body = isParleyError(error) && error.status !== undefined
      ? errorBody(error.status, error.message, { reason: error.reason, details: error.details, help: error.help ?? null })
      : errorBody(500, 'An unexpected error occurred during training.', { reason: 'UnexpectedError' });
    if (!isParleyError(error)) context.logger.error({ event: 'api.train.failed', err: error }, 'training for a callback failed');
    try {
      await postBody(callback, JSON.stringify(body), 'application/json', options);
    } catch (deliveryError) {
      context.logger.warn({ event: 'api.train.callback_failed', origin: callback.origin, err: deliveryError }, 'could not deliver the training result');
    }
  }
}

export function registerTrainRoute(app: FastifyInstance, context: ApiContext): void {
  app.post('/model/train', { bodyLimit: context.limits.trainingBody }, async (request, reply) => {
    const query = request.query as Query;
    const text = bodyText(request.body);
    checkDocument(text);
    const callbackUrl = queryValue(query, 'callback_url');
    if (callbackUrl !== undefined) {
      const callback = checkOutboundUrl(callbackUrl, 'callback_url', 'query');
      void trainForCallback(context, text, query, callback);
      return reply.code(204).send();
    }
    return sendArchive(reply, await train(context, text, query));
  });
}
