/**
 * The request id of the work in progress: set for each HTTP request and each user message, kept
 * across `await`s by AsyncLocalStorage, and added to every log line by the logger's mixin, so
 * the processor's logs of a message carry the id of the request that brought it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What is known about the work in progress. */
export interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Incoming `X-Request-Id` values we keep: 1–128 characters of letters, digits and `-_.:/+=@`.
 * Anything else (control characters, spaces, very long values) is replaced by a fresh id, so a
 * client cannot forge log lines or grow them without bound.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9\-_.:/+=@]{1,128}$/;

/** The header value when it is a sane request id, else undefined. */
export function saneRequestId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : undefined;
}

/** A fresh random request id (32 hex characters). */
export function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Runs `task` with `context` as the current request context (for everything it awaits too). */
export function runWithRequestContext<T>(context: RequestContext, task: () => T): T {
  return storage.run(context, task);
}

/** The request id of the work in progress, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * pino `mixin`: adds `requestId` to every log line written while a request or message is in
 * progress. Explicit `requestId` fields on a line win over it.
 */
export function requestLogFields(): Record<string, string> {
  const context = storage.getStore();
  return context ? { requestId: context.requestId } : {};
}
