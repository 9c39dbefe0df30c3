/**
 * The exported files are training data `parley train` accepts: loaded with the project loader next
 * to moodbot's own data, trained, and the corrected message is then understood as corrected.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { loadProject } from '../../src/project/index.js';
import { buildReviewExport, EXPORT_FILES } from '../../src/review/review-export.js';
import type { Correction } from '../../src/review/correction-store.js';
import { loadServableModel } from '../../src/runtime/model-holder.js';
import { MemoryLockStore } from '../../src/stores/memory-lock-store.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { trainProject } from '../../src/train/train.js';
import type { TrackerEvent } from '../../src/shared/events.js';
import { action, bot, FORMBOT, MOODBOT, testerConversation, user } from './helpers/conversations.js';

const MISREAD = 'schnitzel time my friend';

function conversations(): Map<string, TrackerEvent[]> {
  const tester = testerConversation(100);
  tester[6] = user(MISREAD, 'mood_great', 0.38, 103);
  const sad: TrackerEvent[] = [
    action('action_session_start', 300, null, null),
    user('my day was a disaster', 'goodbye', 0.33, 301),
    action('utter_goodbye', 302),
    bot('Bye', 'utter_goodbye', 302),
    action('action_listen', 302),
  ];
  const challenger: TrackerEvent[] = [user('are you a real person or what', 'mood_great', 0.4, 400), action('utter_happy', 401)];
  return new Map([
    ['tester', tester],
    ['sad', sad],
    ['challenger', challenger],
  ]);
}

function correction(fields: Partial<Correction> & Pick<Correction, 'sender_id' | 'event_index' | 'text'>): Correction {
  return { id: `${fields.sender_id}-${fields.event_index}`, intent: null, entities: null, action: null, created_at: 1, ...fields };
}

const corrections: Correction[] = [
  correction({ sender_id: 'tester', event_index: 6, text: MISREAD, intent: 'greet', action: 'utter_greet' }),
  correction({ sender_id: 'sad', event_index: 1, text: 'my day was a disaster', intent: 'mood_unhappy', action: 'utter_cheer_up' }),
  // Intent only: NLU data, no story (a story cannot end at a user message without contradicting the rules).
  correction({ sender_id: 'challenger', event_index: 0, text: 'are you a real person or what', intent: 'bot_challenge' }),
];

const dir = mkdtempSync(join(tmpdir(), 'parley-review-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exported corrections', () => {
  it('load with the project loader next to moodbot data and train into a model that learned them', async () => {
    cpSync(MOODBOT, dir, { recursive: true });
    const exported = buildReviewExport(corrections, conversations());
    expect(exported.skipped).toEqual([]);
    writeFileSync(join(dir, 'data', EXPORT_FILES.nlu), exported.nlu);
    writeFileSync(join(dir, 'data', EXPORT_FILES.stories), exported.stories);

    const { project } = await loadProject(dir, { tests: null });
    const examples = project.training.nlu.examples.filter((example) => example.text === MISREAD);
    expect(examples.map((example) => example.intent)).toEqual(['greet']);
    const reviewStories = project.training.stories.filter((story) => story.name.startsWith('review '));
    expect(reviewStories.map((story) => story.name).sort()).toEqual(['review sad 1', 'review tester 1']);

    const { modelPath } = await trainProject({ root: dir, tests: null, force: true, logger: silentLogger() });
    const model = await loadServableModel(modelPath, {
      trackerStore: new MemoryTrackerStore(),
      lockStore: new MemoryLockStore(),
      endpoints: {},
      logger: silentLogger(),
    });
    expect(model.interpreter.parse(MISREAD).intent.name).toBe('greet');
    expect(model.interpreter.parse('my day was a disaster').intent.name).toBe('mood_unhappy');
    expect(model.interpreter.parse('are you a real person or what').intent.name).toBe('bot_challenge');
  }, 180_000);
});

describe('exported entity annotations', () => {
  it('read back through the project loader with the marked offsets and values', async () => {
    const formbot = mkdtempSync(join(tmpdir(), 'parley-review-formbot-'));
    try {
      cpSync(FORMBOT, formbot, { recursive: true });
      const text = 'a table for 4 with thai food';
      const tagged = user(text, 'inform', 0.7, 10);
      const exported = buildReviewExport(
        [
          correction({
            sender_id: 'diner',
            event_index: 0,
            text,
            intent: 'request_restaurant',
            entities: [
              { start: 12, end: 13, entity: 'number', value: 'four' },
              { start: 19, end: 23, entity: 'cuisine', value: 'thai' },
            ],
          }),
        ],
        new Map([['diner', [tagged]]]),
      );
      writeFileSync(join(formbot, 'data', EXPORT_FILES.nlu), exported.nlu);
      const { project } = await loadProject(formbot, { tests: null });
      const example = project.training.nlu.examples.find((entry) => entry.text === text);
      expect(example?.intent).toBe('request_restaurant');
      expect(example?.entities).toEqual([
        { entity: 'number', value: 'four', start: 12, end: 13 },
        { entity: 'cuisine', value: 'thai', start: 19, end: 23 },
      ]);
    } finally {
      rmSync(formbot, { recursive: true, force: true });
    }
  });
});
