import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/output.js';
import { silentLogger } from '../../src/logger.js';
import { openReviewDatabase, reviewDatabasePath } from '../../src/review/review-db.js';
import { createTrackerStore } from '../../src/stores/tracker-store-registry.js';
import { MISREAD_INDEX, testerConversation } from '../review/helpers/conversations.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));

async function cli(args: string[]) {
  const lines: string[] = [];
  const output: CliOutput = {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`Warning: ${message}`),
    error: (message) => lines.push(`Error: ${message}`),
    progress: () => undefined,
  };
  process.exitCode = undefined;
  await main(['node', 'parley', ...args], output);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, text: lines.join('\n') };
}

const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A moodbot copy whose default (SQLite) tracker store holds a tester's conversation. */
async function projectWithConversation(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-export-'));
  directories.push(dir);
  cpSync(MOODBOT, dir, { recursive: true });
  const store = await createTrackerStore(undefined, { projectRoot: dir, logger: silentLogger() }, 'sqlite');
  await store.append('tester', testerConversation());
  await store.close();
  return dir;
}

describe('parley export', () => {
  it('writes the saved corrections into data/ as review_nlu.yml and review_stories.yml', async () => {
    const dir = await projectWithConversation();
    const database = openReviewDatabase(reviewDatabasePath(dir));
    database.corrections.save({ sender_id: 'tester', event_index: MISREAD_INDEX, text: 'i feel a bit down today', intent: 'mood_unhappy', entities: null, action: 'utter_cheer_up' });
    database.close();

    const result = await cli(['export', '--project', dir]);
    expect(result.code).toBe(0);
    expect(result.text).toContain('Exported 1 correction;');
    expect(parse(readFileSync(join(dir, 'data', 'review_nlu.yml'), 'utf8'))).toEqual({
      version: '3.1',
      nlu: [{ intent: 'mood_unhappy', examples: '- i feel a bit down today\n' }],
    });
    expect(parse(readFileSync(join(dir, 'data', 'review_stories.yml'), 'utf8')).stories).toEqual([
      { story: 'review tester 1', steps: [{ intent: 'greet' }, { action: 'utter_greet' }, { intent: 'mood_unhappy' }, { action: 'utter_cheer_up' }] },
    ]);
  });

  it('writes to --out and removes a stale stories file when no story is left', async () => {
    const dir = await projectWithConversation();
    const out = join(dir, 'exported');
    const database = openReviewDatabase(reviewDatabasePath(dir));
    const saved = database.corrections.save({ sender_id: 'tester', event_index: MISREAD_INDEX, text: 'i feel a bit down today', intent: 'mood_unhappy', entities: null, action: 'utter_cheer_up' });
    database.close();
    await cli(['export', '--project', dir, '--out', out]);
    expect(existsSync(join(out, 'review_stories.yml'))).toBe(true);

    const again = openReviewDatabase(reviewDatabasePath(dir));
    again.corrections.delete(saved.id);
    again.corrections.save({ sender_id: 'tester', event_index: MISREAD_INDEX, text: 'i feel a bit down today', intent: 'mood_unhappy', entities: null, action: null });
    again.close();
    const result = await cli(['export', '--project', dir, '--out', out]);
    expect(result.code).toBe(0);
    expect(existsSync(join(out, 'review_nlu.yml'))).toBe(true);
    expect(existsSync(join(out, 'review_stories.yml'))).toBe(false);
  });

  it('says there is nothing to export before any correction is saved', async () => {
    const dir = await projectWithConversation();
    const result = await cli(['export', '--project', dir]);
    expect(result.code).toBe(0);
    expect(result.text).toContain('No corrections are saved yet');
    expect(existsSync(join(dir, 'data', 'review_nlu.yml'))).toBe(false);
  });
});
