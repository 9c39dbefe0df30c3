/**
 * The REST transport: Rasa's `rest` channel (`POST /webhooks/rest/webhook` answering with the
 * turn's messages). Used when Socket.IO is off or unreachable. Messages go one at a time, in order;
 * the conversation id is made here and kept by the caller.
 */
import { randomHexId } from './ids.js';
import { restHealthUrl, restWebhookUrl, type OutgoingMessage, type Transport, type TransportEvents } from './transport.js';

export interface RestTransportOptions {
  /** The chat server's base URL (may include a path prefix behind a proxy). */
  serverUrl: string;
}

/** A turn can run actions on an action server; give it time, but not forever. */
const REQUEST_TIMEOUT_MS = 120_000;
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 30_000;

/** Whether the REST channel answers its health route (`{"status":"ok"}`). */
export async function restChannelAvailable(serverUrl: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(restHealthUrl(serverUrl), { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    const body = (await response.json()) as { status?: unknown };
    return body.status === 'ok';
  } catch {
    return false;
  }
}

export class RestTransport implements Transport {
  readonly kind = 'rest';
  readonly #options: RestTransportOptions;
  readonly #events: TransportEvents;
  #sessionId = '';
  #queue: Promise<void> = Promise.resolve();
  #retryDelay = FIRST_RETRY_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #stopped = new AbortController();

  constructor(options: RestTransportOptions, events: TransportEvents) {
    this.#options = options;
    this.#events = events;
  }

  start(sessionId: string | null): void {
    this.#sessionId = sessionId ?? randomHexId();
    this.#events.status('connecting', null);
    void this.#probe();
  }

  deliver(message: OutgoingMessage, sessionId: string): void {
    this.#queue = this.#queue.then(() => this.#post(message, sessionId));
  }

  restart(): void {
    this.#sessionId = randomHexId();
    this.#events.session(this.#sessionId);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#stopped.abort();
  }

  async #probe(): Promise<void> {
    if (this.#stopped.signal.aborted) return;
    if (await restChannelAvailable(this.#options.serverUrl, this.#stopped.signal)) {
      this.#retryDelay = FIRST_RETRY_MS;
      this.#events.status('online', null);
      this.#events.session(this.#sessionId);
      return;
    }
    if (this.#stopped.signal.aborted) return;
    this.#events.status('offline', 'Cannot reach the chat server. Retrying…');
    this.#retryLater();
  }

  #retryLater(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#probe(), this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, MAX_RETRY_MS);
  }

  async #post(message: OutgoingMessage, sessionId: string): Promise<void> {
    if (this.#stopped.signal.aborted) return;
    let response: Response;
    const request = new AbortController();
    const abort = (): void => request.abort();
    const timeout = setTimeout(abort, REQUEST_TIMEOUT_MS);
    this.#stopped.signal.addEventListener('abort', abort);
    try {
      response = await fetch(restWebhookUrl(this.#options.serverUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ sender: sessionId, message: message.text, metadata: message.metadata }),
        signal: request.signal,
      });
    } catch {
      if (this.#stopped.signal.aborted) return;
      this.#events.failed(message.id, 'The message could not be sent: the chat server is not reachable.');
      this.#events.status('offline', 'Cannot reach the chat server. Retrying…');
      this.#retryLater();
      return;
    } finally {
      clearTimeout(timeout);
      this.#stopped.signal.removeEventListener('abort', abort);
    }
    const messages: unknown = response.ok ? await response.json().catch(() => null) : null;
    if (!Array.isArray(messages)) {
      const problem = response.ok ? 'an unreadable answer' : `error ${response.status}`;
      this.#events.failed(message.id, `The chat server answered with ${problem}.`);
      this.#events.status('error', `The chat server answered with ${problem}. Retrying…`);
      this.#retryLater();
      return;
    }
    this.#events.status('online', null);
    for (const payload of messages) this.#events.bot(payload);
    this.#events.turnEnd(message.id);
  }
}
