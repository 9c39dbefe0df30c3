/**
 * Calls the HTTP API makes to other servers (model downloads, `callback_url` deliveries): every
 * one has a time limit, refuses redirects (the caller named the exact URL it trusts) and, for
 * downloads, a size limit.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ParleyError } from '../errors.js';

export interface OutboundOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** Only plain http(s) URLs are called; anything else (file:, data:, …) is refused up front. */
export function checkOutboundUrl(url: string, parameter: string, where: 'body' | 'query' = 'body'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `'${parameter}' is not a valid URL.`, { details: { parameter, in: where } });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `'${parameter}' must be an http or https URL.`, { details: { parameter, in: where } });
  }
  return parsed;
}

function describeFailure(url: URL, error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `the request to ${url.origin} timed out`;
  return `the request to ${url.origin} failed (${(error as Error).message})`;
}

/**
 * Streams `url` into `destination`. Throws a `PARLEY_ERR_MODEL_LOADING` error on timeout,
 * non-2xx answers, redirects or when the body exceeds `maxBytes`.
 */
export async function downloadToFile(url: URL, destination: string, options: OutboundOptions & { maxBytes: number }): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers: options.headers, redirect: 'error', signal });
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_MODEL_LOADING', `An unexpected error occurred. Error: ${describeFailure(url, error)}.`, { cause: error });
  }
  if (!response.ok || !response.body) {
    throw new ParleyError('PARLEY_ERR_MODEL_LOADING', `An unexpected error occurred. Error: ${url.origin} answered ${response.status} for the model.`);
  }
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > options.maxBytes) {
        callback(new ParleyError('PARLEY_ERR_MODEL_LOADING', `An unexpected error occurred. Error: the model at ${url.origin} is larger than ${options.maxBytes} bytes.`));
        return;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), limit, createWriteStream(destination), { signal });
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    throw new ParleyError('PARLEY_ERR_MODEL_LOADING', `An unexpected error occurred. Error: ${describeFailure(url, error)}.`, { cause: error });
  }
}

/** POSTs `body` to `url`; resolves with the status, or rejects on timeout / network failure. */
export async function postBody(url: URL, body: string | Buffer, contentType: string, options: OutboundOptions): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...options.headers, 'content-type': contentType },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  await response.arrayBuffer();
  return response.status;
}
