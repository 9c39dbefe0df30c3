/**
 * HTTP rate limits: requests per client IP (every route), and user messages per sender id (the
 * channel webhooks). Both are off unless configured. A refused request gets 429 with Rasa's error
 * body and `Retry-After`. The client IP is the socket's peer address, or the one the trusted
 * proxies report when fastify's `trustProxy` is set (`--trust-proxy`); otherwise
 * `X-Forwarded-For` is ignored, so clients cannot pick their own key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { KeyedRateLimiter } from '../observability/rate-limiter.js';
import type { ServerMetrics } from '../observability/server-metrics.js';

export interface RateLimitOptions {
  /** Requests per window one client IP may make, to any HTTP route; null: no limit. @default null */
  perIp?: number | null;
  /** User messages per window one sender id may post to the channel webhooks; null: no limit. @default null */
  perSender?: number | null;
  /** @default 60000 (limits are per minute) */
  windowMs?: number;
  /** Most IPs or senders remembered per limit. @default 100000 */
  maxKeys?: number;
  /** The clock (tests pass a fake one). @default Date.now */
  now?: () => number;
}

/** Both limiters of a server; either may be absent. */
export interface HttpRateLimits {
  readonly perIp: KeyedRateLimiter | null;
  readonly perSender: KeyedRateLimiter | null;
}

type Scope = 'ip' | 'sender';

function limiter(limit: number | null | undefined, options: RateLimitOptions): KeyedRateLimiter | null {
  if (limit === null || limit === undefined || limit === 0) return null;
  return new KeyedRateLimiter({ limit, windowMs: options.windowMs, maxKeys: options.maxKeys, now: options.now });
}

/**
 * The limiters of `options` (a limit of 0, null or absent is off).
 * @throws ParleyError `PARLEY_ERR_CLI_USAGE` for a limit that is not a whole number.
 */
export function createHttpRateLimits(options: RateLimitOptions = {}): HttpRateLimits {
  return { perIp: limiter(options.perIp, options), perSender: limiter(options.perSender, options) };
}

function refuse(reply: FastifyReply, limiter: KeyedRateLimiter, scope: Scope, retryAfterMs: number): ParleyError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  reply.header('retry-after', String(seconds));
  const who = scope === 'ip' ? 'this client address' : 'this sender';
  const per = limiter.windowMs === 60_000 ? 'minute' : `${limiter.windowMs / 1000} s`;
  return new ParleyError(
    'PARLEY_ERR_RATE_LIMITED',
    `Too many requests: ${who} may make ${limiter.limit} per ${per}. Try again in ${seconds} s.`,
    { details: { limit: limiter.limit, window_seconds: limiter.windowMs / 1000, retry_after_seconds: seconds, scope } },
  );
}

/**
 * The per-IP limit, on the root instance: register it after CORS, so that a browser can read the
 * 429 (its CORS headers are already set).
 */
export function registerIpRateLimit(app: FastifyInstance, limits: HttpRateLimits, metrics: ServerMetrics | null, logger: Logger): void {
  const perIp = limits.perIp;
  if (!perIp) return;
  app.addHook('onRequest', async (request, reply) => {
    const decision = perIp.take(request.ip);
    if (decision.allowed) return;
    metrics?.rateLimited.inc({ scope: 'ip' });
    logger.debug({ event: 'http.rate_limited', scope: 'ip', ip: request.ip }, 'a client went over the per-IP rate limit');
    throw refuse(reply, perIp, 'ip', decision.retryAfterMs);
  });
}

/**
 * The sender of a webhook body: Rasa's `sender` field as the channels read it (`default` when
 * missing). Bodies that are not JSON objects have none (the route then answers 400 itself).
 */
function senderKeyOf(request: FastifyRequest): string | undefined {
  const body = request.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const sender = (parsed as { sender?: unknown }).sender;
  if (sender === undefined || sender === null) return 'default';
  return typeof sender === 'string' ? sender : JSON.stringify(sender);
}

/** The per-sender limit, on one channel's plugin scope: every POST route of the channel counts. */
export function registerSenderRateLimit(scope: FastifyInstance, limits: HttpRateLimits, metrics: ServerMetrics | null, logger: Logger): void {
  const perSender = limits.perSender;
  if (!perSender) return;
  scope.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const sender = senderKeyOf(request);
    if (sender === undefined) return;
    const decision = perSender.take(sender);
    if (decision.allowed) return;
    metrics?.rateLimited.inc({ scope: 'sender' });
    logger.debug({ event: 'http.rate_limited', scope: 'sender', senderId: sender }, 'a sender went over the per-sender rate limit');
    throw refuse(reply, perSender, 'sender', decision.retryAfterMs);
  });
}

/**
 * A `--rate-limit-*` value: a whole number of requests per minute, 0 meaning no limit.
 * @throws ParleyError `PARLEY_ERR_CLI_USAGE` for anything else.
 */
export function perMinuteLimitFrom(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const limit = Number(value);
  if (value.trim() === '' || !Number.isInteger(limit) || limit < 0) {
    throw new ParleyError('PARLEY_ERR_CLI_USAGE', `${flag} must be a whole number of requests per minute (0 for no limit), not '${value}'.`);
  }
  return limit === 0 ? null : limit;
}

/**
 * A `--trust-proxy` value: `true` (every proxy; only when nothing but your proxy can reach the
 * server), a hop count (`1`: the nearest proxy), or addresses/CIDRs separated by commas.
 * @example trustProxyFrom('10.0.0.0/8, 127.0.0.1') // ['10.0.0.0/8', '127.0.0.1']
 */
export function trustProxyFrom(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value.trim() === '' || value.trim().toLowerCase() === 'false') return false;
  const text = value.trim();
  if (text.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}
