/**
 * The npm package `rasa-webchat@1.0.1` (its shipped UMD bundle, unmodified) on a page of another
 * origin, talking Socket.IO to the real `parley run` serving the moodbot with session persistence.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHEER_UP_IMAGE,
  eventually,
  HAS_CHROMIUM,
  html,
  javascript,
  launchBrowser,
  loopbackContext,
  packageFile,
  screenshot,
  startMoodbot,
  startPageServer,
  watchPage,
  type MoodbotServer,
  type PageServer,
} from './helpers.js';

function webchatPage(socketUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>rasa-webchat against Parley</title></head>
<body><h1>A site on another origin</h1>
<script src="/rasa-webchat.js"></script>
<script>
  window.WebChat.default({
    initPayload: '/greet',
    customData: { language: 'en' },
    socketUrl: ${JSON.stringify(socketUrl)},
    socketPath: '/socket.io/',
    title: 'Moodbot',
    subtitle: 'served by Parley',
    params: { storage: 'local' },
  }, null);
</script></body></html>`;
}

describe.skipIf(!HAS_CHROMIUM)('rasa-webchat 1.0.1 against parley run', () => {
  let parley: MoodbotServer;
  let pages: PageServer;
  let browser: Browser;
  let context: BrowserContext;
  let blocked: string[];
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    parley = await startMoodbot();
    pages = await startPageServer({
      '/': html(webchatPage(parley.url)),
      '/rasa-webchat.js': javascript(packageFile('rasa-webchat/lib/index.js')),
    });
    browser = await launchBrowser();
    ({ context, blocked } = await loopbackContext(browser));
    page = await context.newPage();
    ({ problems } = await watchPage(page));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await parley?.dispose();
  });

  const responses = () => page.locator('.rw-response');
  const say = async (text: string) => {
    const input = page.locator('.rw-new-message');
    await input.fill(text);
    await input.press('Enter');
  };

  it('opens from its launcher and shows the greeting the initial payload asks for', async () => {
    expect(new URL(pages.url).origin).not.toBe(new URL(parley.url).origin);
    await page.goto(pages.url);
    await page.locator('.rw-launcher').click();
    await eventually(() => responses().allTextContents()).toEqual(['Hey! How are you?']);
    expect(await page.evaluate(() => Object.keys(localStorage))).toContain('chat_session');
    await screenshot(page, 'rasa-webchat-greeting');
  });

  it('shows what the user typed and the text and image of the reply', async () => {
    await say('I am very sad');
    await eventually(() => page.locator('.rw-client').allTextContents()).toContain('I am very sad');
    await eventually(() => responses().allTextContents()).toEqual([
      'Hey! How are you?',
      'Here is something to cheer you up:',
      'Did that help you?',
    ]);
    const image = page.locator('img.rw-image-frame');
    expect(await image.getAttribute('src')).toBe(CHEER_UP_IMAGE);
    await eventually(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'rasa-webchat-image');
  });

  it('keeps the conversation across a reload, on the page and on the server', async () => {
    const sessionBefore = await page.evaluate(() => localStorage.getItem('chat_session'));
    await page.reload();
    await eventually(() => responses().count()).toBe(3);
    expect(await page.locator('.rw-client').allTextContents()).toContain('I am very sad');
    expect(await page.locator('img.rw-image-frame').count()).toBe(1);
    // Same session: no second greeting, and the server continues the sad path where it was.
    await say('yes');
    await eventually(() => responses().allTextContents()).toContain('Great, carry on!');
    expect((await responses().allTextContents()).filter((text) => text === 'Hey! How are you?')).toHaveLength(1);
    const sessionAfter = await page.evaluate(() => localStorage.getItem('chat_session'));
    expect(JSON.parse(sessionAfter ?? '{}').session_id).toBe(JSON.parse(sessionBefore ?? '{}').session_id);
    await screenshot(page, 'rasa-webchat-after-reload');
  });

  it('needed nothing from outside loopback and hit no errors', () => {
    expect(problems).toEqual([]);
    // The widget's own stylesheet asks Google Fonts for "Inter"; refused here, it falls back to sans-serif.
    expect(blocked.filter((url) => !url.startsWith('https://fonts.googleapis.com/'))).toEqual([]);
  });
});
