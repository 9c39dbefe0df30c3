/**
 * Share and review as one fastify plugin: `/share` (tester invites, the token is the credential),
 * `/review` and its script (open pages), and `/review/api/*` behind the HTTP API's token/JWT auth
 * (admin only). Without a token or JWT secret review is off and its API says how to turn it on.
 */
import type { FastifyInstance } from 'fastify';
import { createApiAuth, type ApiAuthOptions } from '../api/auth.js';
import { queryValue, type Query } from '../api/params.js';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import { sharePlugin } from '../share/share-plugin.js';
import type { TrackerStore } from '../stores/types.js';
import { ConversationIndex } from './conversation-index.js';
import { openReviewDatabase, type ReviewDatabase } from './review-db.js';
import { registerReviewPage } from './review-page.js';

export interface ReviewPluginOptions {
  /** Where corrections and share links are kept (`reviewDatabasePath(root)`), or an open database. */
  database: string | ReviewDatabase;
  trackerStore: TrackerStore;
  /** The served model's domain, or null when none is loaded. */
  domain: () => Domain | null;
  /** The served model's file name, or null. */
  modelName: () => string | null;
  /** Shown on the share and review pages: the project folder name or config.yml `assistant_id`. */
  botName: string;
  /** The same options as the HTTP API (`--auth-token`, `--jwt-secret`, `--jwt-method`). @default {} (review off) */
  auth?: ApiAuthOptions;
  /** The share page widget's `initial-payload`. @default '' */
  initialPayload?: string;
  /** The built review page script. @default DEFAULT_REVIEW_SCRIPT */
  scriptFile?: string;
  logger?: Logger;
}

/** Headers on every review API answer: data, never a page to render, frame or cache. */
const API_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const REVIEW_OFF_MESSAGE =
  'Review is off because this server has no API authentication. Start it with `parley run --auth-token <secret>` ' +
  '(or `--jwt-secret`), or with `parley run --share`, which generates a review token and prints the review link.';

/**
 * Registers the share page, the review page and the review API.
 * @example await app.register(reviewPlugin, { database: reviewDatabasePath(root), trackerStore, domain: () => holder.agent()?.domain ?? null, modelName: () => null, botName: 'moodbot', auth: { token } });
 */
export async function reviewPlugin(app: FastifyInstance, options: ReviewPluginOptions): Promise<void> {
  const auth = createApiAuth(options.auth);
  const logger = options.logger?.child({ module: 'review' });
  let database: ReviewDatabase | null = typeof options.database === 'string' ? null : options.database;
  const openDatabase = (): ReviewDatabase => {
    database ??= openReviewDatabase(options.database as string);
    return database;
  };
  if (typeof options.database === 'string') {
    // Opened here, closed here; a database handed in belongs to the caller.
    app.addHook('onClose', async () => database?.close());
  }

  await app.register(sharePlugin, {
    links: () => openDatabase().shareLinks,
    botName: options.botName,
    modelName: options.modelName,
    initialPayload: options.initialPayload,
  });
  registerReviewPage(app, { botName: options.botName, scriptFile: options.scriptFile, logger });

  if (!auth.enabled) {
    // Nothing to protect the data with: every API route says how to turn review on.
    await app.register(
      async (api) => {
        api.all('/*', async () => {
          throw new ParleyError('PARLEY_ERR_NOT_AUTHORIZED', REVIEW_OFF_MESSAGE);
        });
      },
      { prefix: '/review/api' },
    );
    return;
  }
  // Loaded only when review is on: the routes bring the zod schemas with them.
  const { registerReviewApiRoutes } = await import('./api-routes.js');
  const index = new ConversationIndex(options.trackerStore);
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        auth.check({ token: queryValue(request.query as Query, 'token'), authorization: request.headers.authorization, conversationId: null });
      });
      api.addHook('onSend', async (_request, reply, payload) => {
        for (const [name, value] of Object.entries(API_HEADERS)) reply.header(name, value);
        return payload;
      });
      registerReviewApiRoutes(api, { database: openDatabase, trackerStore: options.trackerStore, index, domain: options.domain });
    },
    { prefix: '/review/api' },
  );
}
