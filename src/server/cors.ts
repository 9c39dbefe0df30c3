/**
 * CORS as `rasa run --cors` does it (Sanic-CORS with credentials): one decision function, applied
 * by a fastify hook to every route and by an Engine.IO middleware to Socket.IO polling.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../errors.js';

/** The `--cors` setting: off, any origin (`*`), or a list of origins (literal or regex entries). */
export type CorsPolicy =
  | { readonly kind: 'off' }
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly matchers: readonly RegExp[]; readonly vary: boolean };

const ALLOWED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/** Sanic-CORS treats an entry as a regular expression when it contains one of these. */
const REGEX_HINT = /[*?\]\\]/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Build the policy from `--cors` values. No value, or only empty strings → CORS off.
 * @example createCorsPolicy(['*']) // any origin, echoed with credentials
 * @example createCorsPolicy(['https://shop.example', 'https://.*\\.example']) // a list
 */
export function createCorsPolicy(origins: string | readonly string[] | null | undefined): CorsPolicy {
  const entries = (typeof origins === 'string' ? [origins] : (origins ?? [])).filter((entry) => entry !== '');
  if (entries.length === 0) return { kind: 'off' };
  if (entries.includes('*')) return { kind: 'any' };
  let usesRegex = false;
  const matchers = entries.map((entry) => {
    if (!REGEX_HINT.test(entry)) return new RegExp(`^${escapeRegex(entry)}$`, 'i');
    usesRegex = true;
    try {
      // Python's re.match anchors at the start only; the end is left open, as in Sanic-CORS.
      return new RegExp(`^(?:${entry})`, 'i');
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_CLI_USAGE',
        `--cors origin '${entry}' looks like a regular expression but is not a valid one ` +
          `(${(error as Error).message}). Write the origin literally (https://shop.example) or fix the pattern.`,
        { cause: error },
      );
    }
  });
  return { kind: 'list', matchers, vary: usesRegex || matchers.length > 1 };
}

export interface CorsRequest {
  method: string;
  origin?: string;
  /** `Access-Control-Request-Headers` of a preflight. */
  requestHeaders?: string;
}

export interface CorsDecision {
  /** Headers to add to the response (empty when the origin is not allowed). */
  headers: Record<string, string>;
  /** True for OPTIONS: answer 200 with an empty body, whatever the route. */
  preflight: boolean;
}

export function originAllowed(policy: CorsPolicy, origin: string): boolean {
  if (policy.kind === 'off') return false;
  if (policy.kind === 'any') return true;
  return policy.matchers.some((matcher) => matcher.test(origin));
}

/** The CORS response headers for one request. Requests without `Origin` get none. */
export function decideCors(policy: CorsPolicy, request: CorsRequest): CorsDecision {
  const preflight = request.method.toUpperCase() === 'OPTIONS';
  const headers: Record<string, string> = {};
  const origin = request.origin;
  if (origin === undefined || !originAllowed(policy, origin)) return { headers, preflight };
  // The Origin is echoed, never `*`: credentialed requests (socket.io-client 2 polling,
  // fetch with credentials) are refused by browsers when the answer is `*`.
  headers['access-control-allow-origin'] = origin;
  headers['access-control-allow-credentials'] = 'true';
  if (policy.kind !== 'list' || policy.vary) headers.vary = 'Origin';
  if (preflight) {
    headers['access-control-allow-methods'] = ALLOWED_METHODS;
    if (request.requestHeaders) headers['access-control-allow-headers'] = request.requestHeaders;
  } else {
    headers['access-control-expose-headers'] = 'filename';
  }
  return { headers, preflight };
}

function corsRequestOf(request: IncomingMessage): CorsRequest {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    method: request.method ?? 'GET',
    origin: header('origin'),
    requestHeaders: header('access-control-request-headers'),
  };
}

/**
 * Apply the policy to every fastify route (register before any plugin so all inherit it).
 * Preflights are answered here with 200 and no body, for every path.
 */
export function registerCors(app: FastifyInstance, policy: CorsPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const decision = decideCors(policy, corsRequestOf(request.raw));
    reply.headers(decision.headers);
    if (decision.preflight) return reply.code(200).send();
  });
  // A route must exist for the router to reach the hook above on any path.
  app.options('/*', async (_request, reply) => reply.code(200).send());
}

type Next = (error?: unknown) => void;

/**
 * The same policy as an Engine.IO middleware (`io.engine.use`), so Socket.IO polling answers
 * exactly like the webhooks. WebSocket upgrades pass untouched: browsers do not apply CORS to them.
 */
export function corsEngineMiddleware(policy: CorsPolicy) {
  return function applyCors(request: IncomingMessage, response: ServerResponse, next: Next): void {
    if (request.headers.upgrade !== undefined) return next();
    const decision = decideCors(policy, corsRequestOf(request));
    for (const [name, value] of Object.entries(decision.headers)) response.setHeader(name, value);
    response.setHeader('x-content-type-options', 'nosniff');
    if (decision.preflight) {
      response.writeHead(200);
      response.end();
      return;
    }
    next();
  };
}
