/**
 * The HTTP client for a Rasa-SDK-compatible action server (http-api §6): endpoint options from
 * endpoints.yml `action_endpoint`, one POST per action call, and the reply checked before use.
 */
import { deflateSync } from 'node:zlib';
import { z } from 'zod';
import { ParleyError } from '../../errors.js';
import {
  describeRequestFailure,
  endpointRequestHeaders,
  endpointRequestUrl,
  flagSchema,
  httpEndpointFrom,
  httpEndpointSchema,
  parseEndpointSection,
  type HttpEndpointConfig,
} from '../http-endpoint.js';
import { ActionExecutionRejection } from './action.js';

/** `action_endpoint` of endpoints.yml, with every default filled in. */
export interface ActionEndpointConfig extends HttpEndpointConfig {
  /**
   * Send every stored event of the conversation, as Rasa does with most tracker stores
   * (`send_full_history: true`). By default only the current session's events are sent, which
   * keeps requests small in long conversations.
   * @default false
   */
  sendFullHistory: boolean;
  /** Send the domain only to actions declared `send_domain: true` and `validate_*` actions. @default false */
  enableSelectiveDomain: boolean;
  /** Deflate request bodies (`COMPRESS_ACTION_SERVER_REQUEST=true`). @default false */
  compressRequests: boolean;
}

const endpointSchema = httpEndpointSchema.extend({
  send_full_history: flagSchema.nullish(),
  enable_selective_domain: flagSchema.nullish(),
});

/**
 * Reads `action_endpoint` from endpoints.yml; null when it is absent (custom actions then fail
 * with a clear error when called).
 * @throws ParleyError `PARLEY_ERR_CONFIG_INVALID` for an unusable entry.
 */
export function parseActionEndpoint(
  raw: Record<string, unknown> | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ActionEndpointConfig | null {
  if (raw === null || raw === undefined) return null;
  const options = parseEndpointSection(endpointSchema, raw, 'action_endpoint');
  return {
    ...httpEndpointFrom(options),
    sendFullHistory: options.send_full_history ?? false,
    enableSelectiveDomain: options.enable_selective_domain ?? false,
    compressRequests: (env.COMPRESS_ACTION_SERVER_REQUEST ?? '').toLowerCase() === 'true',
  };
}

/** A successful action-server reply, shape-checked (events still unparsed). */
export interface ActionServerReply {
  events: unknown[];
  responses: Array<Record<string, unknown>>;
}

const replySchema = z.object({
  events: z.array(z.unknown()).optional(),
  responses: z.array(z.record(z.unknown())).optional(),
});

/**
 * POSTs an action call and returns the checked reply.
 * @throws ActionExecutionRejection when the server answers 400 with an `action_name`.
 * @throws ParleyError `PARLEY_ERR_ACTION_SERVER` for any other failure (connection, timeout,
 *   non-200 status, invalid reply).
 */
export async function callActionServer(
  endpoint: ActionEndpointConfig,
  actionName: string,
  body: Record<string, unknown>,
): Promise<ActionServerReply> {
  const failure = (reason: string, cause?: unknown): ParleyError =>
    new ParleyError('PARLEY_ERR_ACTION_SERVER', `Failed to execute custom action '${actionName}': ${reason}`, {
      cause,
      details: { action: actionName, url: endpoint.url },
    });
  let response: Response;
  try {
    response = await fetch(endpointRequestUrl(endpoint), {
      method: 'POST',
      headers: requestHeaders(endpoint),
      body: endpoint.compressRequests ? deflateSync(JSON.stringify(body)) : JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutSeconds * 1000),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw failure(
      timedOut
        ? `the action server at '${endpoint.url}' did not answer within ${endpoint.timeoutSeconds} s.`
        : `couldn't connect to the action server at '${endpoint.url}'. Is it running? (${describeRequestFailure(error)})`,
      error,
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw failure(`the connection to '${endpoint.url}' broke while reading the reply (${describeRequestFailure(error)}).`, error);
  }
  if (response.status === 400) {
    const rejectedAction = rejectionActionName(text);
    if (rejectedAction !== null) throw new ActionExecutionRejection(rejectedAction, rejectionMessage(text));
  }
  if (!response.ok) {
    throw failure(`the action server answered with status ${response.status} (${text.slice(0, 200)}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw failure('the action server answered with a body that is not JSON.', error);
  }
  const reply = replySchema.safeParse(json);
  if (!reply.success) {
    const problems = reply.error.issues.map((issue) => `'${issue.path.join('.') || '(body)'}': ${issue.message}`);
    throw failure(`the action server's reply is not valid: ${problems.join('; ')}.`);
  }
  return { events: reply.data.events ?? [], responses: reply.data.responses ?? [] };
}

function requestHeaders(endpoint: ActionEndpointConfig): Record<string, string> {
  const headers = endpointRequestHeaders(endpoint);
  if (endpoint.compressRequests) headers['Content-Encoding'] = 'deflate';
  return headers;
}

function rejectionActionName(text: string): string | null {
  try {
    const json = JSON.parse(text) as unknown;
    const name = json && typeof json === 'object' ? (json as Record<string, unknown>).action_name : undefined;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

function rejectionMessage(text: string): string | undefined {
  const error = (JSON.parse(text) as Record<string, unknown>).error;
  return typeof error === 'string' ? error : undefined;
}
