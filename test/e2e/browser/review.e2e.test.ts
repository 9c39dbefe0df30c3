/**
 * Issue #9's "done means", through the built CLI in a real Chromium: `parley run --share` serves
 * a trained moodbot copy; a tester opens the invite link and chats, sending a message the bot
 * misclassifies; the owner opens /review, finds that conversation, corrects the message (intent
 * and next action), downloads the export into data/, retrains, and the same message is now
 * understood. Along the way: keyboard use, a 375 px phone, and the sign-in and empty states.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReviewUi } from '../../../review-ui/build.mjs';
import { copyFixtureBot, runCli, startCli, type RunningCli } from '../helpers.js';
import { eventually, HAS_CHROMIUM, launchBrowser, loopbackContext, SCREENSHOT_DIR, watchPage } from './helpers.js';

/**
 * Unhappy messages the moodbot trained on its own data tends to get wrong (`I am not feeling great`
 * → `mood_great` 0.96 today). The test uses the first one the current model misclassifies, so an
 * NLU that improves on some of them does not break it.
 */
const UNHAPPY_CANDIDATES = ['I am not feeling great', 'not so great', 'could be better', 'I am not feeling super stoked'];
/** What the moodbot answers to each intent a misclassified unhappy message may get. */
const FIRST_ANSWER: Record<string, string> = {
  mood_great: 'Great, carry on!',
  greet: 'Hey! How are you?',
  goodbye: 'Bye',
  bot_challenge: 'I am a bot, powered by Rasa.',
};
const REVIEW_TOKEN = 'review-e2e-secret';
const CREDENTIALS = ['rest:', 'socketio:', '  session_persistence: true', ''].join('\n');
const PHONE = { width: 375, height: 740 };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The text of every bot bubble of the share page's widget. */
const botTexts = (page: Page) => page.locator('parley-chat .item.bot .bubble').allTextContents();

async function parse(url: string, text: string): Promise<{ name: string; confidence: number }> {
  const response = await fetch(`${url}/model/parse?token=${REVIEW_TOKEN}`, { method: 'POST', body: JSON.stringify({ text }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { intent: { name: string; confidence: number } }).intent;
}

describe.skipIf(!HAS_CHROMIUM)('share, review, correct, export and retrain (issue #9)', () => {
  let bot: { dir: string; remove: () => void };
  let cli: RunningCli;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let inviteUrl: string;
  /** The message the model gets wrong, and what it predicts for it. */
  let misunderstood: { text: string; predicted: string };
  let reviewUrl: string;
  const args = ['--share', '--auth-token', REVIEW_TOKEN, '--enable-api', '--credentials', 'browser-credentials.yml'];

  beforeAll(async () => {
    // The server serves dist/review/review.js; build it from the current sources.
    await buildReviewUi();
    bot = copyFixtureBot('moodbot');
    writeFileSync(join(bot.dir, 'browser-credentials.yml'), CREDENTIALS);
    const trained = await runCli(['train'], { cwd: bot.dir });
    expect(trained.code, trained.stdout + trained.stderr).toBe(0);
    cli = await startCli(args, { cwd: bot.dir });
    await waitForOutput(cli, /Review: \S+/);
    inviteUrl = /Invite testers: (\S+)/.exec(cli.output())![1];
    reviewUrl = /Review: (\S+)/.exec(cli.output())![1];
    for (const text of UNHAPPY_CANDIDATES) {
      const { name } = await parse(cli.url, text);
      if (name !== 'mood_unhappy' && name in FIRST_ANSWER) {
        misunderstood = { text, predicted: name };
        break;
      }
    }
    if (!misunderstood) throw new Error(`The moodbot understands every candidate (${UNHAPPY_CANDIDATES.join(', ')}); add one it gets wrong.`);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
    bot?.remove();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function open(url: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    ({ context } = await loopbackContext(browser, viewport));
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    await page.goto(url);
    return { page, problems };
  }

  it('prints an invite link and a review link with the token', () => {
    expect(new URL(inviteUrl).pathname).toBe('/share');
    expect(new URL(inviteUrl).searchParams.get('token')).toMatch(/\S{16,}/);
    expect(new URL(reviewUrl).pathname).toBe('/review');
    expect(new URL(reviewUrl).searchParams.get('token')).toBe(REVIEW_TOKEN);
  });

  it('asks for the token, says how to get one, and refuses a wrong one', async () => {
    const { page } = await open(`${cli.url}/review`);
    const token = page.getByLabel('API token');
    await eventually(() => token.count()).toBe(1);
    expect(await page.getByText('parley run --auth-token <secret>').count()).toBe(1);
    await token.fill('not-the-token');
    await token.press('Enter');
    await eventually(() => page.getByRole('alert').textContent()).toContain('did not accept this token');
    await shot(page, 'review-sign-in-refused');
    await token.fill(REVIEW_TOKEN);
    await token.press('Enter');
    await eventually(() => page.getByRole('heading', { name: /Review conversations/ }).count()).toBe(1);
    await eventually(() => page.getByText('No conversations yet.').count()).toBe(1);
    await shot(page, 'review-empty');
  });

  it('lets a tester chat through the invite link; the page names the bot and the model', async () => {
    const { page, problems } = await open(inviteUrl);
    const model = newestModel(bot.dir);
    expect(model).not.toBe('');
    await eventually(() => page.locator('body').textContent()).toContain(model.replace(/\.tar\.gz$/, ''));
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('hello');
    await input.press('Enter');
    await eventually(() => botTexts(page)).toContain('Hey! How are you?');
    await input.fill(misunderstood.text);
    await input.press('Enter');
    // Misunderstood (as mood_great, say): the happy answer instead of cheering up.
    await eventually(() => botTexts(page)).toContain(FIRST_ANSWER[misunderstood.predicted]);
    await shot(page, 'share-tester-chat');
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'share-tester-phone');
    expect(problems).toEqual([]);
  });

  it('finds the conversation, corrects the message with the keyboard, and exports it', async () => {
    const { page, problems } = await open(reviewUrl);
    // The token moves to sessionStorage and leaves the address bar.
    await eventually(() => new URL(page.url()).searchParams.has('token')).toBe(false);
    const list = page.getByRole('list', { name: 'Conversations, newest first' });
    await eventually(() => list.getByRole('link').count()).toBe(1);
    expect(await list.getByRole('link').textContent()).toContain('tester');

    const search = page.getByLabel('Search messages');
    await search.fill(misunderstood.text.split(' ').slice(-2).join(' ').toUpperCase());
    await eventually(() => page.getByText('1 conversation match').count()).toBe(1);
    await search.fill('no such words anywhere');
    await eventually(() => page.getByText('No conversation matches these filters.').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await eventually(() => list.getByRole('link').count()).toBe(1);
    await page.getByLabel('Intent', { exact: true }).selectOption(misunderstood.predicted);
    await eventually(() => page.getByText('1 conversation match').count()).toBe(1);

    // Keyboard only from here: Tab to the conversation, Enter opens it.
    await search.focus();
    for (let step = 0; step < 10; step += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.querySelector('parley-review')?.shadowRoot?.activeElement?.tagName === 'A')) break;
    }
    const outline = await page.evaluate(() => {
      const active = document.querySelector('parley-review')!.shadowRoot!.activeElement as HTMLElement;
      return getComputedStyle(active).outlineStyle;
    });
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    const title = page.getByRole('heading', { name: /^Conversation / });
    await eventually(() => title.count()).toBe(1);
    await eventually(() => page.evaluate(() => document.querySelector('parley-review')?.shadowRoot?.activeElement?.id)).toBe('conversation-title');

    const turn = page.locator('li.turn', { hasText: misunderstood.text });
    await eventually(() => turn.locator('.prediction').textContent()).toBe(misunderstood.predicted);
    await shot(page, 'review-desktop-conversation');

    // Escape closes the form and gives focus back to its button.
    const correct = page.getByRole('button', { name: `Correct “${misunderstood.text}”` });
    await correct.focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.evaluate(() => document.querySelector('parley-review')?.shadowRoot?.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('Escape');
    await eventually(() => turn.locator('form').count()).toBe(0);
    await eventually(() => page.evaluate(() => document.querySelector('parley-review')?.shadowRoot?.activeElement?.textContent)).toBe('Correct');

    await page.keyboard.press('Enter');
    const form = turn.locator('form');
    await form.getByLabel('Intent').selectOption('mood_unhappy');
    await form.getByLabel('Next action').selectOption('utter_cheer_up');
    await shot(page, 'review-desktop-correcting');
    await form.getByRole('button', { name: 'Save correction' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => turn.locator('.correction').textContent()).toContain('Intent: mood_unhappy');
    expect(await turn.locator('.correction').textContent()).toContain('Next action: utter_cheer_up');
    await eventually(() => page.getByRole('status').first().textContent()).toContain('Correction saved');
    await shot(page, 'review-desktop-corrected');

    await page.getByRole('button', { name: 'Export' }).click();
    await eventually(() => page.getByText('1 correction will be exported.').count()).toBe(1);
    for (const [button, file] of [
      ['Download review_nlu.yml', 'review_nlu.yml'],
      ['Download review_stories.yml', 'review_stories.yml'],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toBe(file);
      await saved.saveAs(join(bot.dir, 'data', file));
    }
    const nlu = readFileSync(join(bot.dir, 'data', 'review_nlu.yml'), 'utf8');
    expect(nlu).toMatch(/intent: mood_unhappy\s+examples: \|/);
    expect(nlu).toContain(`- ${misunderstood.text}\n`);
    expect(readFileSync(join(bot.dir, 'data', 'review_stories.yml'), 'utf8')).toContain('utter_cheer_up');

    // `parley export` writes the same two files from the saved corrections, without the server.
    const out = mkdtempSync(join(tmpdir(), 'parley-review-export-'));
    const exported = await runCli(['export', '--out', out], { cwd: bot.dir });
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    for (const file of ['review_nlu.yml', 'review_stories.yml']) {
      expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join(bot.dir, 'data', file), 'utf8'));
    }
    rmSync(out, { recursive: true, force: true });
    expect(problems).toEqual([]);
  });

  it('fits a 375 px phone: the list, then the conversation alone', async () => {
    const { page, problems } = await open(reviewUrl, PHONE);
    const link = page.getByRole('list', { name: 'Conversations, newest first' }).getByRole('link');
    await eventually(() => link.count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'review-phone-list');
    await link.click();
    await eventually(() => page.locator('li.turn .correction').count()).toBe(1);
    expect(await page.getByLabel('Search messages').isVisible()).toBe(false);
    await page.getByRole('button', { name: `Correct “${misunderstood.text}”` }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'review-phone-conversation');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: '← All conversations' }).click();
    await eventually(() => page.getByLabel('Search messages').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('makes a labelled invite link and revokes it, which stops it at once', async () => {
    const { page, problems } = await open(reviewUrl);
    await page.getByRole('button', { name: 'Invite testers' }).click();
    const links = page.getByRole('list', { name: 'Invite links' });
    await eventually(() => links.getByRole('listitem').count()).toBe(1);
    expect(await links.getByRole('textbox').inputValue()).toBe(inviteUrl);

    await page.getByLabel('Label (optional)').fill('Friday group');
    await page.getByLabel('Label (optional)').press('Enter');
    await eventually(() => links.getByRole('listitem').count()).toBe(2);
    const friday = links.getByRole('listitem').filter({ hasText: 'Friday group' });
    const fridayUrl = await friday.getByRole('textbox').inputValue();
    expect(new URL(fridayUrl).pathname).toBe('/share');
    expect((await fetch(fridayUrl)).status).toBe(200);
    await shot(page, 'review-invite-links');

    await page.getByRole('button', { name: 'Revoke Friday group' }).click();
    await eventually(() => friday.textContent()).toContain('revoked');
    expect(await friday.getByRole('textbox').count()).toBe(0);
    expect((await fetch(fridayUrl)).status).toBe(403);
    expect((await fetch(inviteUrl)).status).toBe(200);
    expect(problems).toEqual([]);
  });

  it('understands the message after parley train with the exported files', async () => {
    expect((await parse(cli.url, misunderstood.text)).name).toBe(misunderstood.predicted);
    await cli.stop();
    const trained = await runCli(['train'], { cwd: bot.dir });
    expect(trained.code, trained.stdout + trained.stderr).toBe(0);
    cli = await startCli(args, { cwd: bot.dir });
    const exported = ['review_nlu.yml', 'review_stories.yml'].map((file) => readFileSync(join(bot.dir, 'data', file), 'utf8')).join('\n');
    expect((await parse(cli.url, misunderstood.text)).name, `${trained.stdout}\n${exported}`).toBe('mood_unhappy');

    // The same invite link still works after the restart, and the bot now cheers the tester up.
    const { page, problems } = await open(inviteUrl.replace(/^http:\/\/[^/]+/, cli.url));
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('hello');
    await input.press('Enter');
    await eventually(() => botTexts(page)).toContain('Hey! How are you?');
    await input.fill(misunderstood.text);
    await input.press('Enter');
    await eventually(() => botTexts(page)).toContain('Here is something to cheer you up:');
    await shot(page, 'share-after-retraining');
    expect(problems).toEqual([]);
  }, 120_000);
});

/** Resolves once `parley run` has printed a line matching `pattern` (the share links follow "up and running"). */
async function waitForOutput(running: RunningCli, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(running.output())) {
    if (Date.now() > deadline) throw new Error(`parley run did not print ${pattern}. Output:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The newest model's file name in models/. */
function newestModel(dir: string): string {
  return readdirSync(join(dir, 'models')).filter((name) => name.endsWith('.tar.gz')).sort().pop() ?? '';
}
