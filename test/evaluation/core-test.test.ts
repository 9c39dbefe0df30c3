/** `runCoreTest` on the fixture bots: trained for real, evaluated for real. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { runCoreTest } from '../../src/evaluation/core-test.js';
import { trainProject } from '../../src/train/train.js';

const BOTS = new URL('../../../shared/fixtures/bots/', import.meta.url).pathname;

async function trainedCopy(bot: string): Promise<{ dir: string; modelPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), `parley-test-${bot}-`));
  cpSync(join(BOTS, bot), dir, { recursive: true });
  const { modelPath } = await trainProject({ root: dir, logger: silentLogger() });
  return { dir, modelPath };
}

describe('parley test core on the moodbot', () => {
  let bot: { dir: string; modelPath: string };
  beforeAll(async () => {
    bot = await trainedCopy('moodbot');
  }, 120_000);
  afterAll(() => rmSync(bot.dir, { recursive: true, force: true }));

  it('passes all 7 of its own test stories and writes Rasa\'s result files', async () => {
    const out = join(bot.dir, 'results');
    const result = await runCoreTest({ modelPath: bot.modelPath, stories: join(bot.dir, 'tests'), out, root: bot.dir });
    expect(result.storiesTotal).toBe(7);
    expect(result.storiesFailed).toBe(0);
    expect(result.actionAccuracy).toBe(1);
    expect(readFileSync(join(out, 'failed_test_stories.yml'), 'utf8')).toBe('# None of the test stories failed - all good!\n');
    const report = JSON.parse(readFileSync(join(out, 'story_report.json'), 'utf8'));
    expect(report.utter_greet).toEqual({ precision: 1, recall: 1, 'f1-score': 1, support: 5 });
    expect(report.greet.support).toBe(5);
    expect(report.action_listen.support).toBe(16);
    expect(report.accuracy).toBe(1);
    expect(report.conversation_accuracy).toEqual({ accuracy: 1, correct: 7, with_warnings: 0, total: 7 });
    const html = readFileSync(join(out, 'story_report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('utter_cheer_up');
    expect(html).not.toMatch(/<script|src="http/);
    expect(existsSync(join(out, 'stories_with_warnings.yml'))).toBe(true);
  });

  it('reports a wrong story with the expected and predicted actions and intents, and continues with the story\'s action', async () => {
    const stories = join(bot.dir, 'wrong_stories.yml');
    writeFileSync(
      stories,
      [
        'stories:',
        '- story: wrong turns',
        '  steps:',
        '  - user: |',
        '      hello there!',
        '    intent: greet',
        '  - action: utter_happy',
        '  - user: |',
        '      amazing',
        '    intent: mood_unhappy',
        '  - action: utter_cheer_up',
        '  - action: utter_did_that_help',
        '',
      ].join('\n'),
    );
    const out = join(bot.dir, 'wrong-results');
    const result = await runCoreTest({ modelPath: bot.modelPath, stories, out, root: bot.dir });
    expect(result.storiesFailed).toBe(1);
    const failed = readFileSync(join(out, 'failed_test_stories.yml'), 'utf8');
    expect(failed).toContain('- story: wrong turns (wrong_stories.yml:2)');
    expect(failed).toContain('  - action: utter_happy  # predicted: utter_greet');
    expect(failed).toContain('  - intent: mood_unhappy  # predicted: mood_great: amazing');
    // The gold intent stays in the conversation, so the rest of the story is judged fairly.
    expect(failed).toMatch(/- action: utter_cheer_up\n {2}- action: utter_did_that_help\n/);
    expect(result.evaluation.actions.map((a) => [a.action, a.predicted])).toEqual([
      ['utter_happy', 'utter_greet'],
      ['action_listen', 'action_listen'],
      ['utter_cheer_up', 'utter_cheer_up'],
      ['utter_did_that_help', 'utter_did_that_help'],
      ['action_listen', 'action_listen'],
    ]);
  });
});

describe('parley test core on the formbot', () => {
  let bot: { dir: string; modelPath: string };
  beforeAll(async () => {
    bot = await trainedCopy('formbot');
  }, 180_000);
  afterAll(() => rmSync(bot.dir, { recursive: true, force: true }));

  it('fails its three outdated test stories exactly where its rules utter utter_submit first', async () => {
    const out = join(bot.dir, 'results');
    const result = await runCoreTest({ modelPath: bot.modelPath, stories: join(bot.dir, 'tests'), out, root: bot.dir });
    expect(result.storiesTotal).toBe(3);
    expect(result.storiesFailed).toBe(3);
    const wrong = result.evaluation.actions.filter((action) => action.action !== action.predicted);
    expect(wrong).toEqual([
      expect.objectContaining({ action: 'utter_slots_values', predicted: 'utter_submit', policy: 'RulePolicy' }),
      expect.objectContaining({ action: 'utter_slots_values', predicted: 'utter_submit', policy: 'RulePolicy' }),
      expect.objectContaining({ action: 'utter_slots_values', predicted: 'utter_submit', policy: 'RulePolicy' }),
    ]);
    // Every user turn, the form, the chitchat interruption and the closing thanks are predicted right.
    const wrongIntents = result.evaluation.stories.flatMap((story) => story.steps.filter((step) => step.kind === 'user' && !step.correct));
    expect(wrongIntents).toEqual([]);
    const failed = readFileSync(join(out, 'failed_test_stories.yml'), 'utf8');
    expect(failed.match(/- action: utter_slots_values {2}# predicted: utter_submit/g)).toHaveLength(3);
  });
});
