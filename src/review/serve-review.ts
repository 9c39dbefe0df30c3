/** Mounts share and review on a running Parley server (`parley run`), next to the web chat. */
import { basename } from 'node:path';
import type { ApiAuthOptions } from '../api/auth.js';
import type { Logger } from '../logger.js';
import type { ModelHolder } from '../runtime/model-holder.js';
import type { ParleyServer } from '../server/app.js';
import type { TrackerStore } from '../stores/types.js';
import { reviewPlugin } from './plugin.js';
import { reviewDatabasePath } from './review-db.js';

/** The `assistant_id` Rasa's project template ships with: it names no bot. */
const PLACEHOLDER_ASSISTANT_ID = 'placeholder_default';

export interface ServeReviewOptions {
  /** The project folder (its name is the bot's name when config.yml has no `assistant_id`). */
  root: string;
  holder: ModelHolder;
  /** The store the server writes conversations to. */
  trackerStore: TrackerStore;
  /** The review API's auth (the HTTP API's flags, plus the token `--share` generates). */
  auth?: ApiAuthOptions;
  /** The share page widget's `initial-payload`. @default '' */
  initialPayload?: string;
  logger: Logger;
}

/** The name testers and reviewers see: config.yml `assistant_id`, else the project folder's name. */
export function botNameOf(root: string, assistantId: string | null | undefined): string {
  return assistantId && assistantId !== PLACEHOLDER_ASSISTANT_ID ? assistantId : basename(root);
}

/**
 * Registers `/share`, `/review` and `/review/api/*` on `server` (call before `listen`).
 * Corrections and share links live in `<root>/.parley/review.db`.
 */
export async function registerReview(server: ParleyServer, options: ServeReviewOptions): Promise<void> {
  await server.app.register(reviewPlugin, {
    database: reviewDatabasePath(options.root),
    trackerStore: options.trackerStore,
    domain: () => options.holder.agent()?.domain ?? null,
    modelName: () => options.holder.current()?.modelFile ?? null,
    botName: botNameOf(options.root, options.holder.agent()?.assistantId),
    auth: options.auth,
    initialPayload: options.initialPayload,
    logger: options.logger,
  });
}
