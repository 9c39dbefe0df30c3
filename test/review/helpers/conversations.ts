/** Test helper: hand-built moodbot conversations, a review server over them, and moodbot's domain. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { actionExecuted, botUttered, slotSet, userUttered } from '../../../src/core/events.js';
import { silentLogger } from '../../../src/logger.js';
import { loadProject } from '../../../src/project/index.js';
import { openReviewDatabase, type ReviewDatabase } from '../../../src/review/review-db.js';
import { reviewPlugin, type ReviewPluginOptions } from '../../../src/review/plugin.js';
import { registerErrorHandler } from '../../../src/server/error-handler.js';
import type { Domain } from '../../../src/shared/domain.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { MemoryTrackerStore } from '../../../src/stores/memory-tracker-store.js';

export const MOODBOT = fileURLToPath(new URL('../../../../shared/fixtures/bots/moodbot/', import.meta.url));
export const FORMBOT = fileURLToPath(new URL('../../../../shared/fixtures/bots/formbot/', import.meta.url));

const domains = new Map<string, Promise<Domain>>();

/** The domain of a fixture bot (loaded once per file). */
export function domainOf(root: string): Promise<Domain> {
  let domain = domains.get(root);
  if (!domain) {
    domain = loadProject(root, { tests: null }).then(({ project }) => project.domain);
    domains.set(root, domain);
  }
  return domain;
}

function at<E extends TrackerEvent>(event: E, timestamp: number): E {
  return { ...event, timestamp };
}

export function user(text: string, intent: string, confidence: number, timestamp: number, extra: { shareLink?: string; entities?: Array<Record<string, unknown>> } = {}): TrackerEvent {
  return userUttered({
    text,
    timestamp,
    inputChannel: 'socketio',
    metadata: extra.shareLink ? { share_link: extra.shareLink } : {},
    parseData: {
      intent: { name: intent, confidence },
      intent_ranking: [
        { name: intent, confidence },
        { name: 'greet', confidence: 1 - confidence },
      ],
      entities: (extra.entities ?? []) as never,
    },
  });
}

export function action(name: string, timestamp: number, policy: string | null = 'RulePolicy', confidence: number | null = 1): TrackerEvent {
  return actionExecuted(name, { policy, confidence, timestamp });
}

export function bot(text: string, template: string | null, timestamp: number): TrackerEvent {
  return at(botUttered(text, {}, template ? { utter_action: template } : {}), timestamp);
}

export function slot(name: string, value: unknown, timestamp: number): TrackerEvent {
  return at(slotSet(name, value), timestamp);
}

/** A tester's moodbot conversation: a greeting, then a sad message misread as `mood_great`. */
export function testerConversation(start = 100, shareLink = 'link-1'): TrackerEvent[] {
  return [
    action('action_session_start', start, null, null),
    action('action_listen', start, null, null),
    user('hello there', 'greet', 0.97, start + 1, { shareLink }),
    action('utter_greet', start + 2, 'MemoizationPolicy', 1),
    bot('Hey! How are you?', 'utter_greet', start + 2),
    action('action_listen', start + 2, 'MemoizationPolicy', 1),
    user('i feel a bit down today', 'mood_great', 0.41, start + 3, { shareLink }),
    action('utter_happy', start + 4, 'TEDPolicy', 0.62),
    bot('Great, carry on!', 'utter_happy', start + 4),
    action('action_listen', start + 4, 'TEDPolicy', 0.9),
  ];
}

/** The user event index of the misread message in `testerConversation`. */
export const MISREAD_INDEX = 6;

export interface ReviewHarness {
  app: FastifyInstance;
  store: MemoryTrackerStore;
  database: ReviewDatabase;
  domain: Domain;
  close(): Promise<void>;
}

/** A fastify app with the error handler and the review plugin over an in-memory tracker store. */
export async function startReview(options: Partial<ReviewPluginOptions> & { domainRoot?: string } = {}): Promise<ReviewHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-review-'));
  const database = openReviewDatabase(join(dir, 'review.db'));
  const store = new MemoryTrackerStore();
  const domain = await domainOf(options.domainRoot ?? MOODBOT);
  const app = Fastify();
  registerErrorHandler(app, silentLogger(), { bodyLimit: 1_048_576 });
  await app.register(reviewPlugin, {
    database,
    trackerStore: store,
    domain: () => domain,
    modelName: () => '20260101-000000-test.tar.gz',
    botName: 'moodbot',
    auth: { token: 'secret' },
    ...options,
  });
  await app.ready();
  return {
    app,
    store,
    database,
    domain,
    close: async () => {
      await app.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
