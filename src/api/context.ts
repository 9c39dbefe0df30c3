/** What every route module of the HTTP API shares: the model holder, the server, limits and helpers. */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { jsonTextNestsDeeperThan, MAX_JSON_NESTING } from '../channels/json-nesting.js';
import { createCollectingOutput, type CollectingOutput } from '../channels/output.js';
import { isParleyError, ParleyError, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelHolder, ServableModel } from '../runtime/model-holder.js';
import type { ParleyServer } from '../server/app.js';
import { MAX_CONVERSATION_ID_LENGTH, type OutputChannel } from '../shared/messages.js';
import type { Query } from './params.js';
import { queryValue } from './params.js';

/** Largest accepted bodies per route group, in bytes. */
export interface HttpApiLimits {
  /** `…/messages`, `…/trigger_intent`, `…/execute`, `/model/parse`, `PUT /model`. @default 65536 */
  smallBody?: number;
  /** `…/tracker/events` (a whole conversation may be sent). @default 1048576 */
  eventsBody?: number;
  /** `/model/train` (a whole project in one YAML document). @default 33554432 */
  trainingBody?: number;
  /** Longest accepted conversation id, in characters. @default 2048 */
  conversationIdLength?: number;
  /** Time limit of calls this API makes to other servers (callback URLs, model downloads), ms. @default 30000 */
  outboundTimeoutMs?: number;
  /** Largest model archive `PUT /model` downloads, in bytes. @default 536870912 */
  modelDownloadBytes?: number;
}

export const DEFAULT_LIMITS: Required<HttpApiLimits> = {
  smallBody: 65_536,
  eventsBody: 1_048_576,
  trainingBody: 33_554_432,
  conversationIdLength: MAX_CONVERSATION_ID_LENGTH,
  outboundTimeoutMs: 30_000,
  modelDownloadBytes: 536_870_912,
};

export interface ApiContext {
  readonly holder: ModelHolder;
  readonly server: ParleyServer;
  readonly logger: Logger;
  readonly limits: Required<HttpApiLimits>;
  /** Where `/model/train` keeps archives (`save_to_default_model_directory=true`). */
  readonly modelDirectory: string;
}

const HTTP_API_HELP = 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/';

/** The loaded model, or Rasa's 409 when there is none. */
export function requireModel(context: ApiContext): ServableModel {
  const model = context.holder.current();
  if (model) return model;
  throw new ParleyError(
    'PARLEY_ERR_MODEL_NOT_FOUND',
    'No agent loaded. To continue processing, a model of a trained agent needs to be loaded.',
    { help: HTTP_API_HELP },
  );
}

export function badRequest(message: string, parameter: string | null = null, where: 'body' | 'query' = 'body'): ParleyError {
  return new ParleyError('PARLEY_ERR_BAD_REQUEST', message, parameter === null ? {} : { details: { parameter, in: where } });
}

/**
 * The JSON body, or undefined when there is none. The API's parsers hand routes the raw text so
 * that a missing body gets the route's own message and any content type is read as JSON (Sanic's
 * `request.json` ignores the content type too).
 */
export function jsonBody(request: FastifyRequest): unknown {
  const raw = request.body;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  if (raw.trim() === '') return undefined;
  if (jsonTextNestsDeeperThan(raw)) {
    throw badRequest(`The request body nests arrays and objects more than ${MAX_JSON_NESTING} levels deep; this server does not accept that.`, '', 'body');
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}.`, '', 'body');
  }
}

/** A JSON object body, or undefined for none / an empty object (Rasa treats both as "no body"). */
export function objectBody(request: FastifyRequest, emptyMessage: string): Record<string, unknown> {
  const body = jsonBody(request);
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
    throw badRequest(emptyMessage);
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.', '', 'body');
  return body as Record<string, unknown>;
}

/**
 * Runs a conversation operation; failures that are not already client errors become Rasa's
 * 500 `ConversationError` (same for other route groups with their own code).
 */
export async function asRasaFailure<T>(
  context: ApiContext,
  code: ErrorCode,
  task: () => Promise<T>,
): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (isParleyError(error) && error.status !== undefined && error.status < 500) throw error;
    if (isParleyError(error) && error.status === undefined) {
      throw new ParleyError(code, `An unexpected error occurred. Error: ${error.message}`, { cause: error });
    }
    if (isParleyError(error)) throw error;
    context.logger.error({ event: 'api.request.failed', err: error }, 'HTTP API request failed');
    throw new ParleyError(code, 'An unexpected error occurred; the server log has the details.', { cause: error });
  }
}

/** Where bot messages go: the named channel's output if it has one, else collected for the response. */
export interface ResolvedOutput {
  output: OutputChannel;
  /** Set when messages are collected into the HTTP response. */
  collector: CollectingOutput | null;
}

/**
 * Reads `output_channel`: a channel name, or `latest` (the conversation's latest input channel,
 * asked for only then). Channels without an output (rest), unknown names and no parameter
 * collect the messages.
 */
export async function resolveOutput(
  context: ApiContext,
  query: Query,
  latestInputChannel: () => Promise<string | null>,
): Promise<ResolvedOutput> {
  const requested = queryValue(query, 'output_channel');
  const name = requested === 'latest' ? await latestInputChannel() : requested;
  const output = name ? context.server.outputChannel(name) : null;
  if (output) return { output, collector: null };
  const collector = createCollectingOutput();
  return { output: collector, collector };
}

/** Reads a body with a zod schema; the first problem becomes a 400 naming the field. */
export function validBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.');
  throw badRequest(
    field === '' ? `Invalid request body: ${issue.message}.` : `Invalid value for '${field}' in the request body: ${issue.message}.`,
    field,
  );
}
