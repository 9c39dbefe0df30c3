/**
 * An outbound HTTP endpoint of endpoints.yml (Rasa's `EndpointConfig`): `url`, `headers`, `params`,
 * `token`/`token_name`, `basic_auth` and `timeout`, shared by the action server and the NLG server.
 */
import { z } from 'zod';
import { ParleyError } from '../errors.js';

export interface HttpEndpointConfig {
  url: string;
  /** Extra HTTP headers on every request. */
  headers: Record<string, string>;
  /** Extra query parameters on every request. */
  params: Record<string, string>;
  /** Sent as the query parameter `tokenName`. */
  token: string | null;
  /** @default "token" */
  tokenName: string;
  basicAuth: { username: string; password: string } | null;
  /** Seconds before a call counts as failed (`timeout:`). @default 300, as Rasa */
  timeoutSeconds: number;
}

const stringMap = z.record(z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** `${VAR}` expansion yields strings: "true"/"false" count as booleans. */
export const flagSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() === 'true' : value),
  z.boolean(),
);

/** `${VAR}` expansion yields strings: numeric strings count as numbers. */
const secondsSchema = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
  z.number().positive(),
);

/** The common keys; extend it with a section's own keys (`.extend({...})`). */
export const httpEndpointSchema = z
  .object({
    url: z.string().url(),
    headers: stringMap.nullish(),
    params: stringMap.nullish(),
    token: z.union([z.string(), z.number()]).transform(String).nullish(),
    token_name: z.string().nullish(),
    basic_auth: z
      .object({ username: z.string(), password: z.union([z.string(), z.number()]).transform(String) })
      .nullish(),
    timeout: secondsSchema.nullish(),
  })
  .passthrough();

/**
 * Validates `raw` with `schema` (the common keys, possibly extended).
 * @throws ParleyError `PARLEY_ERR_CONFIG_INVALID` naming every bad field as `<section>.<key>`.
 */
export function parseEndpointSection<S extends z.ZodTypeAny>(
  schema: S,
  raw: unknown,
  section: string,
  description = section,
): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `'${section}.${issue.path.join('.')}': ${issue.message}`);
    throw new ParleyError('PARLEY_ERR_CONFIG_INVALID', `endpoints.yml has an invalid ${description}: ${problems.join('; ')}.`, {
      location: { file: 'endpoints.yml' },
    });
  }
  return parsed.data;
}

/** The common keys with their defaults filled in. */
export function httpEndpointFrom(options: z.infer<typeof httpEndpointSchema>): HttpEndpointConfig {
  return {
    url: options.url,
    headers: options.headers ?? {},
    params: options.params ?? {},
    token: options.token ?? null,
    tokenName: options.token_name ?? 'token',
    basicAuth: options.basic_auth ?? null,
    timeoutSeconds: options.timeout ?? 300,
  };
}

/** The URL to call: `params` and the token as query parameters. */
export function endpointRequestUrl(endpoint: HttpEndpointConfig): string {
  const url = new URL(endpoint.url);
  for (const [key, value] of Object.entries(endpoint.params)) url.searchParams.set(key, value);
  if (endpoint.token !== null) url.searchParams.set(endpoint.tokenName, endpoint.token);
  return url.toString();
}

/** JSON content type, the configured headers and Basic auth. */
export function endpointRequestHeaders(endpoint: HttpEndpointConfig): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...endpoint.headers };
  if (endpoint.basicAuth) {
    const credentials = `${endpoint.basicAuth.username}:${endpoint.basicAuth.password}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return headers;
}

/** Why a request failed, in a few words (the network error's code when there is one). */
export function describeRequestFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
