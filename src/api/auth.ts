/**
 * HTTP API authentication as `rasa run` does it: `?token=` (`--auth-token`), else a Bearer JWT
 * (`--jwt-secret`/`--jwt-method`) whose `user.role` is `admin` (everything) or `user` (only the
 * conversation named by `user.username`), else open when neither is configured.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ParleyError } from '../errors.js';
import { loadJsonWebToken, type JsonWebToken } from '../server/jsonwebtoken.js';

const SECURITY_HELP = 'https://rasa.com/docs/rasa/user-guide/configuring-http-api/#security-considerations';

const JWT_METHODS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'] as const;

export type JwtMethod = (typeof JWT_METHODS)[number];

/** The `rasa run` flags that secure the HTTP API. Secrets here are never logged. */
export interface ApiAuthOptions {
  /** `--auth-token`: callers pass it as `?token=`. @default null (no token auth) */
  token?: string | null;
  /** `--jwt-secret`: a shared secret for HS256/384/512, or the public key (PEM) for the RS, ES and PS methods. @default null (no JWT) */
  jwtSecret?: string | null;
  /** `--jwt-method`. @default 'HS256' */
  jwtMethod?: string;
}

/** The request facts authentication looks at. */
export interface AuthRequest {
  /** The `token` query parameter (the first one if repeated), if any. */
  token: string | undefined;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The conversation id of the route, or null for routes without one. */
  conversationId: string | null;
}

export interface ApiAuth {
  /** Whether any auth is configured. */
  readonly enabled: boolean;
  /** @throws ParleyError 401 `PARLEY_ERR_NOT_AUTHENTICATED` or 403 `PARLEY_ERR_NOT_AUTHORIZED` */
  check(request: AuthRequest): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares in constant time, whatever the lengths (both sides are hashed first). */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function notAuthenticated(): ParleyError {
  return new ParleyError('PARLEY_ERR_NOT_AUTHENTICATED', 'User is not authenticated.', { help: SECURITY_HELP });
}

function notAuthorized(): ParleyError {
  return new ParleyError('PARLEY_ERR_NOT_AUTHORIZED', 'User has insufficient permissions.', { help: SECURITY_HELP });
}

/** The verified JWT payload, or null when the header carries no valid token. */
function verifiedPayload(jwt: JsonWebToken, authorization: string | undefined, secret: string, method: JwtMethod): unknown {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  try {
    return jwt.verify(match[1], secret, { algorithms: [method] });
  } catch {
    return null;
  }
}

function userClaims(payload: unknown): { role?: unknown; username?: unknown } {
  if (typeof payload !== 'object' || payload === null) return {};
  const user = (payload as { user?: unknown }).user;
  return typeof user === 'object' && user !== null ? (user as { role?: unknown; username?: unknown }) : {};
}

/**
 * Builds the checker once at startup.
 * @throws ParleyError `PARLEY_ERR_CLI_USAGE` for an empty secret or an unknown `--jwt-method`.
 * @example createApiAuth({ token: process.env.PARLEY_TOKEN }).check({ token, authorization, conversationId })
 */
export function createApiAuth(options: ApiAuthOptions = {}): ApiAuth {
  const token = options.token ?? null;
  const secret = options.jwtSecret ?? null;
  if (token === '') throw new ParleyError('PARLEY_ERR_CLI_USAGE', '--auth-token was given an empty value; give a token or leave the option out.');
  if (secret === '') throw new ParleyError('PARLEY_ERR_CLI_USAGE', '--jwt-secret was given an empty value; give a secret or leave the option out.');
  const method = (options.jwtMethod ?? 'HS256') as JwtMethod;
  if (!JWT_METHODS.includes(method)) {
    throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--jwt-method '${method}' is not supported; use one of ${JWT_METHODS.join(', ')}.`);
  }
  const enabled = token !== null || secret !== null;
  const jwt = secret === null ? null : loadJsonWebToken();
  return {
    enabled,
    check(request) {
      if (!enabled) return;
      if (token !== null && request.token !== undefined && tokensMatch(request.token, token)) return;
      if (secret !== null && jwt !== null) {
        const payload = verifiedPayload(jwt, request.authorization, secret, method);
        if (payload !== null) {
          const user = userClaims(payload);
          if (user.role === 'admin') return;
          if (user.role === 'user' && request.conversationId !== null && user.username === request.conversationId) return;
          throw notAuthorized();
        }
      }
      throw notAuthenticated();
    },
  };
}
