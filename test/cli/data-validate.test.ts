import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/output.js';

const MOODBOT = new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url).pathname;
const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function validate(dir: string, ...flags: string[]) {
  const lines: string[] = [];
  const output: CliOutput = {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`Warning: ${message}`),
    error: (message) => lines.push(`Error: ${message}`),
    progress: () => {},
  };
  process.exitCode = undefined;
  await main(['node', 'parley', 'data', 'validate', '--project', dir, ...flags], output);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, text: lines.join('\n') };
}

function moodbotCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-validate-'));
  directories.push(dir);
  cpSync(MOODBOT, dir, { recursive: true });
  return dir;
}

describe('parley data validate: story structure', () => {
  it('finds no conflicts in the moodbot', async () => {
    const result = await validate(moodbotCopy());
    expect(result.code).toBe(0);
    expect(result.text).toContain('No story structure conflicts found.');
  });

  it('reports two stories that answer the same greeting differently, with file:line of both, and fails', async () => {
    const dir = moodbotCopy();
    appendFileSync(join(dir, 'data', 'stories.yml'), '\n- story: rude greeting\n  steps:\n  - intent: greet\n  - action: utter_goodbye\n');
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/Warning: data\/stories\.yml:\d+:\d+: Story structure conflict after intent 'greet'/);
    expect(result.text).toMatch(/'utter_greet' is predicted in 'happy path' \(data\/stories\.yml:\d+\)/);
    expect(result.text).toMatch(/'utter_goodbye' is predicted in 'rude greeting' \(data\/stories\.yml:32\)/);
  });

  it('compares only the last turns with --max-history', async () => {
    const dir = moodbotCopy();
    // Same last turn as 'sad path 1' (mood_unhappy → utter_cheer_up), but a different history before it.
    appendFileSync(
      join(dir, 'data', 'stories.yml'),
      '\n- story: straight to sadness\n  steps:\n  - intent: mood_unhappy\n  - action: utter_goodbye\n',
    );
    expect((await validate(dir)).code).toBe(0);
    const short = await validate(dir, '--max-history', '1');
    expect(short.code).toBe(1);
    expect(short.text).toMatch(/conflict after intent 'mood_unhappy'/);
  });

  it('rejects a --max-history that is not a positive whole number', async () => {
    const result = await validate(moodbotCopy(), '--max-history', 'two');
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/--max-history must be a whole number/);
  });
});
