/** `parley test`, `parley test core` and `parley shell` through the real CLI in a child process. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyFixtureBot, runCli } from './helpers.js';

let bot: { dir: string; remove: () => void };
beforeAll(async () => {
  bot = copyFixtureBot('moodbot');
  const trained = await runCli(['train'], { cwd: bot.dir });
  expect(trained.code, trained.stderr).toBe(0);
}, 180_000);
afterAll(() => bot.remove());

describe('parley test', () => {
  it('passes the moodbot\'s 7 test stories, prints the summary and writes the reports into results/', async () => {
    const result = await runCli(['test', '--fail-on-prediction-errors'], { cwd: bot.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Stories passed: 7 of 7; action accuracy 1.000');
    for (const file of ['story_report.json', 'story_report.html', 'failed_test_stories.yml', 'stories_with_warnings.yml']) {
      expect(existsSync(join(bot.dir, 'results', file)), file).toBe(true);
    }
  });

  it('exits 1 with --fail-on-prediction-errors when a story fails, naming the failed stories file', async () => {
    const stories = join(bot.dir, 'tests', 'test_wrong.yml');
    writeFileSync(stories, 'stories:\n- story: wrong\n  steps:\n  - user: |\n      hi\n    intent: greet\n  - action: utter_goodbye\n');
    try {
      const lenient = await runCli(['test', 'core', '--out', 'lenient'], { cwd: bot.dir });
      expect(lenient.code, lenient.stderr).toBe(0);
      const strict = await runCli(['test', 'core', '--fail-on-prediction-errors', '--out', 'strict'], { cwd: bot.dir });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('Stories passed: 7 of 8');
      expect(strict.stderr).toMatch(/1 of 8 test stories failed; .*strict\/failed_test_stories\.yml/);
      expect(readFileSync(join(bot.dir, 'strict', 'failed_test_stories.yml'), 'utf8')).toContain('- action: utter_goodbye  # predicted: utter_greet');
    } finally {
      writeFileSync(stories, 'stories: []\n');
    }
  });
});

describe('parley shell', () => {
  it('chats over stdin/stdout: images as Image: lines, /stop ends the session', async () => {
    const child = spawn(process.execPath, [CLI, 'shell', '--sender-id', 'terminal-user'], {
      cwd: bot.dir,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('hello\nvery sad\n/stop\n');
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain('Hey! How are you?');
    expect(stdout).toContain('Image: https://i.imgur.com/nGF1K8f.jpg');
    expect(stdout).toContain('Did that help you?');
  });
});
