/**
 * The npm package `@scalableminds/chatroom@0.12.0` (its shipped bundle and stylesheet, unmodified)
 * on a page of another origin, talking to the REST channel of the real `parley run` with
 * credentialed CORS requests, as its README shows.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHEER_UP_IMAGE,
  css,
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

function chatroomPage(host: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Chatroom against Parley</title>
<link rel="stylesheet" href="/Chatroom.css">
<style>.chat-container { width: 420px; height: 640px; margin: 16px; }</style></head>
<body><div class="chat-container"></div>
<script src="/Chatroom.js"></script>
<script>
  window.chatroom = new window.Chatroom({
    host: ${JSON.stringify(host)},
    title: 'Moodbot on Parley',
    container: document.querySelector('.chat-container'),
    welcomeMessage: 'Welcome! (shown by the page, not the bot)',
    startMessage: '/greet',
    fetchOptions: { credentials: 'include' },
  });
  window.chatroom.openChat();
</script></body></html>`;
}

interface SentMessage {
  sender: string;
  message: string;
}

describe.skipIf(!HAS_CHROMIUM)('@scalableminds/chatroom 0.12.0 against parley run', () => {
  let parley: MoodbotServer;
  let pages: PageServer;
  let browser: Browser;
  let context: BrowserContext;
  let blocked: string[];
  let page: Page;
  let problems: string[];
  const sent: SentMessage[] = [];
  const answers: Response[] = [];

  beforeAll(async () => {
    parley = await startMoodbot();
    pages = await startPageServer({
      '/': html(chatroomPage(parley.url)),
      '/Chatroom.js': javascript(packageFile('@scalableminds/chatroom/dist/Chatroom.js')),
      '/Chatroom.css': css(packageFile('@scalableminds/chatroom/dist/Chatroom.css')),
    });
    browser = await launchBrowser();
    ({ context, blocked } = await loopbackContext(browser, { width: 480, height: 700 }));
    page = await context.newPage();
    ({ problems } = await watchPage(page));
    page.on('request', (request) => {
      if (request.url() !== `${parley.url}/webhooks/rest/webhook` || request.method() !== 'POST') return;
      sent.push(JSON.parse(request.postData() ?? '{}') as SentMessage);
    });
    page.on('response', (response) => {
      if (response.url() === `${parley.url}/webhooks/rest/webhook`) answers.push(response);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await parley?.dispose();
  });

  const botTexts = () => page.locator('.chats li.chat.left .text').allTextContents();
  const say = async (text: string) => {
    const input = page.locator('form.input input[type="text"]');
    await input.fill(text);
    await input.press('Enter');
  };

  it('sends its start message for a new session and shows the greeting', async () => {
    expect(new URL(pages.url).origin).not.toBe(new URL(parley.url).origin);
    await page.goto(pages.url);
    await eventually(() => botTexts()).toContain('Hey! How are you?');
    expect(sent).toEqual([{ sender: expect.stringMatching(/^[0-9a-f-]{36}$/), message: '/greet' }]);
    await screenshot(page, 'chatroom-greeting');
  });

  it('shows what the user typed and the text and image of the reply', async () => {
    await say('I am very sad');
    await eventually(() => page.locator('.chats li.chat.right .text').allTextContents()).toContain('I am very sad');
    await eventually(() => botTexts()).toEqual([
      'Welcome! (shown by the page, not the bot)',
      'Hey! How are you?',
      'Here is something to cheer you up:',
      'Did that help you?',
    ]);
    const image = page.locator('.chats li.chat-img img');
    expect(await image.getAttribute('src')).toBe(CHEER_UP_IMAGE);
    await eventually(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'chatroom-image');
  });

  it('keeps its conversation id across a reload (the page forgets the bubbles, the server does not)', async () => {
    await page.reload();
    await eventually(() => botTexts()).toEqual(['Welcome! (shown by the page, not the bot)']);
    await say('yes');
    await eventually(() => botTexts()).toContain('Great, carry on!');
    expect(sent.map((message) => message.message)).toEqual(['/greet', 'I am very sad', 'yes']);
    expect(new Set(sent.map((message) => message.sender)).size).toBe(1);
    await screenshot(page, 'chatroom-after-reload');
  });

  it('got credentialed CORS answers from Parley and needed nothing from outside loopback', async () => {
    // A request with `credentials: 'include'` is only readable when the Origin is echoed (not `*`).
    expect(answers).toHaveLength(3);
    for (const answer of answers) {
      expect(answer.status()).toBe(200);
      expect(answer.headers()['access-control-allow-origin']).toBe(pages.url);
      expect(answer.headers()['access-control-allow-credentials']).toBe('true');
    }
    expect(problems).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
