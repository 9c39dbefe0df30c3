/**
 * Delivering bot messages to a callback URL: one JSON POST per message, in order.
 *
 * Failure policy (Rasa differs on the second point, deliberately):
 * - the URL answers ≥ 400 → logged with status and body, the next message is still sent (as Rasa);
 * - connection refused, DNS failure or timeout → retried `retryDelaysMs.length` times after those
 *   delays, then logged as undeliverable and the turn goes on. Rasa lets the exception escape:
 *   the rest of the turn is lost, the tracker update too, and the webhook answers 500 — so one
 *   dead URL would break the conversation. A retry after a timeout may deliver a message twice;
 *   a receiver that cares can de-duplicate, a lost message cannot be recovered.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../logger.js';
import type { RestMessage } from './output.js';

export interface CallbackEndpoint {
  /** Target URL with `params` and the token already in its query string. */
  url: URL;
  /** Request headers (Content-Type, configured headers, Basic auth). */
  headers: Record<string, string>;
  /** CA bundle for TLS verification (`cafile`). */
  ca?: Buffer;
  /** Total time one POST may take. */
  timeoutMs: number;
  /** Pause before each retry of a POST that failed without an HTTP answer. */
  retryDelaysMs: readonly number[];
}

export interface CallbackAnswer {
  status: number;
  body: string;
}

/** POST `body` as JSON once; resolves with any HTTP answer, rejects on network failure or timeout. */
export function postJson(endpoint: CallbackEndpoint, body: unknown): Promise<CallbackAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const send = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(endpoint.url, {
      method: 'POST',
      headers: { ...endpoint.headers, 'content-length': String(payload.length) },
      ...(endpoint.ca && { ca: endpoint.ca }),
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${endpoint.timeoutMs / 1000} s`));
    }, endpoint.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(payload);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Why a POST failed, in words, without the URL's query string (it may hold the token). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Deliver one message under the failure policy above. Never rejects. */
export async function deliverMessage(endpoint: CallbackEndpoint, message: RestMessage, logger: Logger): Promise<void> {
  const target = `${endpoint.url.origin}${endpoint.url.pathname}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await postJson(endpoint, message);
      if (answer.status >= 400) {
        logger.error(
          { event: 'channel.callback.delivery.rejected', url: target, status: answer.status },
          `Failed to send output message to callback. Status: ${answer.status} Response: ${answer.body}`,
        );
      }
      return;
    } catch (error) {
      const delay = endpoint.retryDelaysMs[attempt];
      if (delay === undefined) {
        logger.error(
          {
            event: 'channel.callback.delivery.failed',
            url: target,
            attempts: attempt + 1,
            recipientId: message.recipient_id,
          },
          `Could not deliver a bot message to the callback URL ${target} after ${attempt + 1} attempts ` +
            `(${describe(error)}); the message is dropped and the conversation goes on.`,
        );
        return;
      }
      logger.warn(
        { event: 'channel.callback.delivery.retry', url: target, attempt: attempt + 1, delayMs: delay },
        `POST to the callback URL ${target} failed (${describe(error)}); retrying in ${delay} ms`,
      );
      await sleep(delay);
    }
  }
}
