/**
 * The review API client: one method per route of the review contract, including the domain.
 * Every failure becomes a ReviewApiError that says what went wrong in words for the reviewer.
 */
import { authorize } from './credentials.js';
import type { FilterState } from './filters.js';
import { filterQuery } from './filters.js';
import type {
  ConversationDetail,
  ConversationPage,
  Correction,
  CorrectionRequest,
  ErrorBody,
  ExportFiles,
  ShareLink,
} from './types.js';

/** Why a request failed: `auth` (401/403: no, wrong or insufficient token), `network`, or `http`. */
export type FailureKind = 'auth' | 'network' | 'http';

export class ReviewApiError extends Error {
  readonly kind: FailureKind;
  readonly status: number;
  /** Rasa's error `reason` (`NotAuthenticated`, `BadRequest`…), if the server sent one. */
  readonly reason: string | null;

  constructor(kind: FailureKind, status: number, message: string, reason: string | null = null) {
    super(message);
    this.name = 'ReviewApiError';
    this.kind = kind;
    this.status = status;
    this.reason = reason;
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ReviewApiOptions {
  /** The Parley server's origin (the page's own). */
  baseUrl: string;
  token: string;
  /** @default globalThis.fetch */
  fetch?: Fetch;
}

/** The two export files and their download names. */
export const EXPORT_FILES = { nlu: 'nlu.yml', stories: 'stories.yml' } as const;
export type ExportKind = keyof typeof EXPORT_FILES;

export class ReviewApi {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #fetch: Fetch;

  constructor(options: ReviewApiOptions) {
    this.#baseUrl = options.baseUrl;
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  listConversations(filters: FilterState, offset = 0, limit = 50): Promise<ConversationPage> {
    const query = filterQuery(filters);
    query.set('limit', String(limit));
    query.set('offset', String(offset));
    return this.#json(`/review/api/conversations?${query}`);
  }

  getConversation(senderId: string): Promise<ConversationDetail> {
    return this.#json(`/review/api/conversations/${encodeURIComponent(senderId)}`);
  }

  createCorrection(body: CorrectionRequest): Promise<Correction> {
    return this.#json('/review/api/corrections', { method: 'POST', body: JSON.stringify(body) });
  }

  /** @param options.missingOk a correction that is already gone (404) is not an error */
  async deleteCorrection(id: string, options: { missingOk?: boolean } = {}): Promise<void> {
    try {
      await this.#request(`/review/api/corrections/${encodeURIComponent(id)}`, { method: 'DELETE' });
    } catch (error) {
      if (!(options.missingOk && error instanceof ReviewApiError && error.status === 404)) throw error;
    }
  }

  async listCorrections(): Promise<Correction[]> {
    return (await this.#json<{ corrections: Correction[] }>('/review/api/corrections')).corrections;
  }

  async listShareLinks(): Promise<ShareLink[]> {
    return (await this.#json<{ share_links: ShareLink[] }>('/review/api/share-links')).share_links;
  }

  createShareLink(label: string): Promise<ShareLink> {
    return this.#json('/review/api/share-links', { method: 'POST', body: JSON.stringify(label.trim() === '' ? {} : { label: label.trim() }) });
  }

  async revokeShareLink(id: string): Promise<void> {
    await this.#request(`/review/api/share-links/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  exportFiles(): Promise<ExportFiles> {
    return this.#json('/review/api/export');
  }

  /** The exported YAML file as a Blob, ready to hand to the browser as a download. */
  async exportFile(kind: ExportKind): Promise<Blob> {
    const response = await this.#request(`/review/api/export/${EXPORT_FILES[kind]}`);
    return response.blob();
  }

  /** The loaded model's domain (`GET /review/api/domain`, JSON; served whether or not `--enable-api` is on). */
  domain(): Promise<Record<string, unknown>> {
    return this.#json('/review/api/domain');
  }

  async #json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.#request(path, init);
    return (await response.json()) as T;
  }

  async #request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.#baseUrl);
    const headers: Record<string, string> = { accept: 'application/json', ...authorize(url, this.#token) };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(url.toString(), { ...init, headers, cache: 'no-store' });
    } catch {
      throw new ReviewApiError('network', 0, `Cannot reach the Parley server at ${url.origin}. Is \`parley run\` still running?`);
    }
    if (response.ok) return response;
    throw await errorFrom(response);
  }
}

async function errorFrom(response: Response): Promise<ReviewApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page, say): the status line is all we have.
  }
  const message = typeof body.message === 'string' && body.message !== '' ? body.message : `The server answered ${response.status} ${response.statusText}.`;
  const kind: FailureKind = response.status === 401 || response.status === 403 ? 'auth' : 'http';
  return new ReviewApiError(kind, response.status, message, typeof body.reason === 'string' ? body.reason : null);
}
