/**
 * `<parley-chat>` in Chromium against the scripted test server, on the real /chat demo page (with
 * its strict CSP): every message type, buttons, history across reloads, the initial payload.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestWidget,
  eventually,
  collectEvents,
  collectedEvents,
  HAS_CHROMIUM,
  launchBrowser,
  screenshot,
  watchPage,
} from './helpers/browser.js';
import { startTestChatServer, type TestChatServer } from './helpers/test-chat-server.js';

describe.skipIf(!HAS_CHROMIUM)('<parley-chat> on the demo page', () => {
  let browser: Browser;
  let server: TestChatServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let gzipBytes: number;

  beforeAll(async () => {
    const built = await buildTestWidget();
    gzipBytes = built.gzipBytes;
    server = await startTestChatServer({ scriptFile: built.scriptFile });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    server.received.length = 0;
    server.sessionRequests.length = 0;
    server.transports.length = 0;
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    ({ problems } = await watchPage(page));
  });

  afterEach(async () => {
    await context.close();
  });

  const log = () => page.locator('parley-chat .log');
  const input = () => page.getByRole('textbox', { name: 'Message' });

  async function openDemo(): Promise<void> {
    await page.goto(`${server.url}/chat`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
  }

  async function say(text: string): Promise<void> {
    await input().fill(text);
    await input().press('Enter');
  }

  it('stays within the 40 KB gzipped size budget', () => {
    expect(gzipBytes).toBeLessThan(40 * 1024);
  });

  it('greets a new conversation once, over a websocket, with no CSP violation', async () => {
    await openDemo();
    await eventually(() => server.received.map((message) => message.message)).toEqual(['/greet']);
    expect(server.transports).toEqual(['websocket']);
    expect(server.sessionRequests).toEqual([{ session_id: null }]);
    await eventually(() => page.getByText('Online').count()).toBe(1);
    await eventually(() => page.locator('parley-chat .typing').isHidden()).toBe(true);
    // The initial payload itself is never shown.
    expect(await log().getByText('/greet').count()).toBe(0);
    await screenshot(page, 'desktop-greeting');
    expect(problems).toEqual([]);
  });

  it('sends a typed message with session id and customData, and shows the answer', async () => {
    await openDemo();
    await page.evaluate(() => {
      (document.querySelector('parley-chat') as HTMLElement & { customData: object }).customData = { language: 'en', page: 'demo' };
    });
    await say('hello there');
    await eventually(() => log().getByText('You said: hello there').count()).toBe(1);
    const sent = server.received.find((message) => message.message === 'hello there');
    expect(sent?.customData).toEqual({ language: 'en', page: 'demo' });
    expect(sent?.metadata).toEqual({ language: 'en', page: 'demo' });
    expect(sent?.sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(sent?.sessionId).toBe(server.received[0].sessionId);
  });

  it('sends the payload of a clicked quick reply, shows its title and then the choice', async () => {
    await openDemo();
    await log().getByRole('button', { name: 'Great' }).click();
    await eventually(() => log().getByText('Great, carry on!').count()).toBe(1);
    expect(server.received.at(-1)?.message).toBe('/mood_great');
    await expect(log().locator('.item.user .bubble').last().textContent()).resolves.toBe('Great');
    const great = log().getByRole('button', { name: 'Great' });
    expect(await great.getAttribute('aria-pressed')).toBe('true');
    expect(await great.isDisabled()).toBe(true);
    expect(await log().getByRole('button', { name: 'Sad' }).isDisabled()).toBe(true);
  });

  it('keeps buttons usable after later messages until one is chosen', async () => {
    await openDemo();
    await say('buttons');
    await eventually(() => log().getByText('Take your time, the buttons stay.').count()).toBe(1);
    await say('something else');
    await eventually(() => log().getByText('You said: something else').count()).toBe(1);
    await log().getByRole('button', { name: 'Large' }).click();
    await eventually(() => server.received.at(-1)?.message).toBe('/inform{"size":"large"}');
    // The earlier greeting's quick replies were never chosen: still usable.
    expect(await log().getByRole('button', { name: 'Sad' }).isEnabled()).toBe(true);
  });

  it('renders safe Markdown and shows HTML from the bot as text', async () => {
    await openDemo();
    await say('markdown');
    const bubble = log().locator('.item.bot .bubble').last();
    await eventually(() => bubble.locator('strong').textContent()).toBe('Bold');
    expect(await bubble.locator('em').textContent()).toBe('italic');
    expect(await bubble.locator('li').allTextContents()).toEqual(['first item', 'second item']);
    const link = bubble.getByRole('link', { name: /safe link/ });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await bubble.locator('img, script').count()).toBe(0);
    expect(await bubble.textContent()).toContain('<img src=x onerror="window.__xss = 1">');
    expect(await bubble.getByRole('link').count()).toBe(1);
    expect(await bubble.textContent()).toContain('bad link');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('shows an image and a carousel built from one event per card', async () => {
    await openDemo();
    await log().getByRole('button', { name: 'Sad' }).click();
    const image = log().getByRole('img', { name: 'A cat' });
    await eventually(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await say('carousel');
    const cards = log().locator('.carousel .card');
    await eventually(() => cards.count()).toBe(3);
    expect(await log().locator('.carousel').count()).toBe(1);
    expect(await cards.locator('.card-title').allTextContents()).toEqual(['Latte', 'Espresso', 'Mocha']);
    await screenshot(page, 'desktop-carousel');
    await log().getByRole('button', { name: 'Order Espresso' }).click();
    await eventually(() => server.received.at(-1)?.message).toBe('/order{"drink":"espresso"}');
    expect(await log().getByRole('button', { name: 'Order Mocha' }).isDisabled()).toBe(true);
  });

  it('shows a video and hands custom payloads to the page as an event', async () => {
    await openDemo();
    await collectEvents(page, 'parley-custom');
    await say('video');
    await eventually(() => log().locator('video').getAttribute('src')).toBe(`${server.url}/static/clip.webm`);
    await say('custom');
    await eventually(() => collectedEvents(page, 'parley-custom')).toEqual([{ payload: { widget: 'map', lat: 52.52, lng: 13.4 } }]);
  });

  it('shows the typing indicator while the bot works on a reply', async () => {
    await openDemo();
    const typing = page.locator('parley-chat [part="typing"]');
    await say('slow');
    await eventually(() => typing.isVisible()).toBe(true);
    expect(await typing.getByText('Testbot is typing').count()).toBe(1);
    server.releaseSlow();
    await eventually(() => log().getByText('Sorry for the wait.').count()).toBe(1);
    await eventually(() => typing.isHidden()).toBe(true);
  });

  it('reports what happens through events', async () => {
    await openDemo();
    for (const name of ['parley-user-message', 'parley-bot-message', 'parley-close', 'parley-open']) {
      await collectEvents(page, name);
    }
    await log().getByRole('button', { name: 'Great' }).click();
    await eventually(() => collectedEvents(page, 'parley-bot-message')).toEqual([
      { payload: { text: 'Great, carry on!' }, views: [{ kind: 'text', text: 'Great, carry on!' }] },
    ]);
    expect(await collectedEvents(page, 'parley-user-message')).toEqual([{ text: 'Great', message: '/mood_great' }]);
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    await page.getByRole('button', { name: 'Open chat' }).click();
    expect(await collectedEvents(page, 'parley-close')).toHaveLength(1);
    expect(await collectedEvents(page, 'parley-open')).toHaveLength(1);
  });

  it('falls back to HTTP long-polling when a proxy accepts WebSockets and then drops them', async () => {
    await page.routeWebSocket(/\/socket\.io\//, (socket) => socket.close());
    await page.goto(`${server.url}/chat`);
    // The dropped WebSocket only fails by timing out (10 s), then polling goes first.
    await eventually(() => log().getByText('How are you?').count(), 25_000).toBe(1);
    expect(server.transports).toEqual(['polling']);
    await say('over polling');
    await eventually(() => log().getByText('You said: over polling').count()).toBe(1);
  });

  it('keeps the conversation across a reload and does not greet again', async () => {
    await openDemo();
    await say('remember me');
    await eventually(() => log().getByText('You said: remember me').count()).toBe(1);
    const sessionId = server.received[0].sessionId;
    await page.reload();
    await eventually(() => log().getByText('You said: remember me').count()).toBe(1);
    await eventually(() => server.sessionRequests.length).toBe(2);
    expect(server.sessionRequests[1]).toEqual({ session_id: sessionId });
    await eventually(() => page.getByText('Online').count()).toBe(1);
    expect(await log().getByText('How are you?').count()).toBe(1);
    await say('still here');
    await eventually(() => log().getByText('You said: still here').count()).toBe(1);
    expect(server.received.map((message) => message.message)).toEqual(['/greet', 'remember me', 'still here']);
    expect(new Set(server.received.map((message) => message.sessionId))).toEqual(new Set([sessionId]));
  });

  it('starts a new conversation with a new session and one new greeting', async () => {
    await openDemo();
    const first = server.received[0].sessionId;
    await page.getByRole('button', { name: 'Start a new conversation' }).click();
    await eventually(() => server.received.length).toBe(2);
    expect(server.received[1].message).toBe('/greet');
    expect(server.received[1].sessionId).not.toBe(first);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    expect(await log().getByText('New conversation').count()).toBe(1);
    await page.reload();
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    expect(server.received.filter((message) => message.message === '/greet')).toHaveLength(2);
  });
});
