/** `parley train nlu`, `shell nlu`, `test nlu`, `parley test` (core + NLU) and serving an NLU-only model, through the built CLI. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyFixtureBot, runCli, sendRest, startCli } from './helpers.js';

let bot: { dir: string; remove: () => void };
beforeAll(async () => {
  bot = copyFixtureBot('moodbot');
  const trained = await runCli(['train', 'nlu', '--fixed-model-name', 'mood-nlu', '--out', 'nlu-models'], { cwd: bot.dir });
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => bot.remove());

const NLU_MODEL = () => join(bot.dir, 'nlu-models', 'mood-nlu.tar.gz');

describe('parley train nlu / shell nlu / test nlu', () => {
  it('trains an NLU-only archive with progress on stderr', () => {
    expect(existsSync(NLU_MODEL())).toBe(true);
  });

  it('prints each typed message as the /model/parse JSON in `shell nlu`', async () => {
    const child = spawn(process.execPath, [CLI, 'shell', 'nlu', '--model', NLU_MODEL()], { cwd: bot.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('hello there\n/stop\n');
    expect(await exited, stderr).toBe(0);
    const json = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1));
    expect(json.text).toBe('hello there');
    expect(json.intent.name).toBe('greet');
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['text', 'intent', 'entities', 'intent_ranking', 'text_tokens']));
  });

  it('writes the NLU result files with `test nlu`', async () => {
    const result = await runCli(['test', 'nlu', '--model', NLU_MODEL(), '--nlu', 'data/nlu.yml', '--out', 'nlu-results'], { cwd: bot.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Intent evaluation results \(68 examples\)/);
    const files = readdirSync(join(bot.dir, 'nlu-results'));
    expect(files).toEqual(expect.arrayContaining(['intent_report.json', 'DIETClassifier_report.json', 'nlu_report.html']));
    expect(JSON.parse(readFileSync(join(bot.dir, 'nlu-results', 'intent_report.json'), 'utf8'))['weighted avg'].support).toBe(68);
  });

  it('exits 1 naming an unknown flag', async () => {
    const result = await runCli(['test', 'nlu', '--no-such-flag'], { cwd: bot.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown option '--no-such-flag'/);
  });

  it('serves an NLU-only model: /model/parse answers, the REST channel stays quiet', async () => {
    const server = await startCli(['--model', NLU_MODEL(), '--enable-api'], { cwd: bot.dir });
    try {
      const response = await fetch(`${server.url}/model/parse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'I am very sad' }) });
      expect(response.status).toBe(200);
      expect((await response.json()).intent.name).toBe('mood_unhappy');
      // Without dialogue policies the bot only listens, as Rasa with an NLU-only model.
      expect(await sendRest(server.url, 'nlu-user', 'hello')).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('parley test (every suite)', () => {
  it('tests the stories and then the NLU, as Rasa does', async () => {
    const trained = await runCli(['train'], { cwd: bot.dir });
    expect(trained.code, trained.stderr).toBe(0);
    const result = await runCli(['test', '--out', 'all-results'], { cwd: bot.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.indexOf('Stories passed: 7 of 7')).toBeLessThan(result.stderr.indexOf('Intent evaluation results'));
    const files = readdirSync(join(bot.dir, 'all-results'));
    expect(files).toEqual(expect.arrayContaining(['story_report.json', 'failed_test_stories.yml', 'intent_report.json', 'nlu_report.html']));
  }, 120_000);
});
