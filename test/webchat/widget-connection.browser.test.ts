/**
 * `<parley-chat>` connection behaviour in Chromium: server restarts, offline queueing, the REST
 * fallback, unread messages while closed, storage modes and two tabs of one conversation.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestWidget, eventually, HAS_CHROMIUM, launchBrowser, screenshot, widgetPage } from './helpers/browser.js';
import { startTestChatServer, type TestChatServer } from './helpers/test-chat-server.js';

const PAGES = {
  '/open': widgetPage('chat-title="Testbot" initial-payload="/greet" open'),
  '/closed': widgetPage('chat-title="Testbot" initial-payload="/greet"'),
  '/no-storage': widgetPage('chat-title="Testbot" initial-payload="/greet" storage="none" open'),
  '/tab-storage': widgetPage('chat-title="Testbot" initial-payload="/greet" storage="session" open'),
};

describe.skipIf(!HAS_CHROMIUM)('<parley-chat> connection', () => {
  let browser: Browser;
  let scriptFile: string;
  let context: BrowserContext;
  let page: Page;
  let server: TestChatServer;

  beforeAll(async () => {
    ({ scriptFile } = await buildTestWidget());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
    await server?.stop();
  });

  const logOf = (target: Page) => target.locator('parley-chat .log');
  const log = () => logOf(page);

  async function say(text: string, target: Page = page): Promise<void> {
    const input = target.getByRole('textbox', { name: 'Message' });
    await input.fill(text);
    await input.press('Enter');
  }

  it('reconnects after the server restarts, rejoins its session and sends nothing twice', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES });
    await page.goto(`${server.url}/open`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    const sessionId = server.sessions[0];

    await server.stop();
    await eventually(() => page.locator('parley-chat [part="status"]').textContent()).toMatch(/Connection lost|Cannot reach/);
    await say('sent while offline');
    await eventually(() => log().getByText('Sending…').count()).toBe(1);
    await screenshot(page, 'offline-banner');

    await server.start();
    await eventually(() => log().getByText('You said: sent while offline').count(), 15_000).toBe(1);
    expect(await log().getByText('Sending…').count()).toBe(0);
    expect(server.sessionRequests.at(-1)).toEqual({ session_id: sessionId });
    await say('after restart');
    await eventually(() => log().getByText('You said: after restart').count()).toBe(1);
    expect(server.received.map((message) => message.message)).toEqual(['/greet', 'sent while offline', 'after restart']);
    expect(await log().getByText('How are you?').count()).toBe(1);
    expect(await page.locator('parley-chat [part="status"]').isHidden()).toBe(true);
  });

  it('uses long-polling at once when the server refuses WebSocket upgrades', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES, websocket: false });
    await page.goto(`${server.url}/open`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    expect(server.transports).toEqual(['polling']);
    await say('polling works');
    await eventually(() => log().getByText('You said: polling works').count()).toBe(1);
  });

  it('falls back to the REST channel when Socket.IO is off', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES, socketio: false });
    await page.goto(`${server.url}/open`);
    await page.evaluate(() => {
      (document.querySelector('parley-chat') as HTMLElement & { customData: object }).customData = { language: 'de' };
    });
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    await log().getByRole('button', { name: 'Sad' }).click();
    await eventually(() => log().getByRole('img').count()).toBe(1);
    expect(server.received.map((message) => [message.channel, message.message])).toEqual([
      ['rest', '/greet'],
      ['rest', '/mood_sad'],
    ]);
    expect(server.received[1].metadata).toEqual({ language: 'de' });
    expect(server.received[0].sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.received[1].sessionId).toBe(server.received[0].sessionId);
    await page.reload();
    await eventually(() => log().getByRole('img').count()).toBe(1);
    await say('via rest again');
    await eventually(() => log().getByText('You said: via rest again').count()).toBe(1);
    expect(server.received.at(-1)?.sessionId).toBe(server.received[0].sessionId);
    expect(server.received.filter((message) => message.message === '/greet')).toHaveLength(1);
  });

  it('marks a message the server failed on as not sent and lets the user try again', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES, socketio: false });
    await page.goto(`${server.url}/open`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    server.failRest(1);
    await say('please work');
    await eventually(() => log().getByText('Not sent.').count()).toBe(1);
    expect(await page.locator('parley-chat [part="status"]').textContent()).toMatch(/error 500/);
    await log().getByRole('button', { name: 'Try again' }).click();
    await eventually(() => log().getByText('You said: please work').count()).toBe(1);
    expect(await log().getByText('Not sent.').count()).toBe(0);
    expect(server.received.map((message) => message.message)).toEqual(['/greet', 'please work']);
    await eventually(() => page.locator('parley-chat [part="status"]').isHidden()).toBe(true);
  });

  it('says it cannot reach the server instead of waiting forever', async () => {
    server = await startTestChatServer({ scriptFile, pages: { '/dead': widgetPage('server-url="http://127.0.0.1:9" open') } });
    await page.goto(`${server.url}/dead`);
    await eventually(() => page.locator('parley-chat [part="status"]').textContent()).toMatch(/Cannot reach the chat server/);
    expect(await page.locator('parley-chat .presence').textContent()).toBe('Offline');
    await say('anyone?');
    expect(await log().getByText('Sending…').count()).toBe(1);
  });

  it('counts bot messages that arrive while closed and greets only once opened', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES });
    await page.goto(`${server.url}/closed`);
    await eventually(() => server.sessions.length).toBe(1);
    expect(server.received).toEqual([]);
    server.push(server.sessions[0], { text: 'Psst, we have a discount today.' });
    const launcher = page.getByRole('button', { name: 'Open chat, 1 unread message' });
    await eventually(() => launcher.count()).toBe(1);
    expect(await page.locator('parley-chat [part="badge"]').textContent()).toBe('1');
    await screenshot(page, 'unread-badge');
    await launcher.click();
    await eventually(() => page.locator('parley-chat [part="badge"]').count()).toBe(0);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    expect(await log().getByText('Psst, we have a discount today.').count()).toBe(1);
    expect(server.received.map((message) => message.message)).toEqual(['/greet']);
  });

  it('starts afresh on every load with storage="none"', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES });
    await page.goto(`${server.url}/no-storage`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    await page.reload();
    await eventually(() => server.received.length).toBe(2);
    expect(server.sessionRequests).toEqual([{ session_id: null }, { session_id: null }]);
    expect(server.received[1].sessionId).not.toBe(server.received[0].sessionId);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
  });

  it('shares one conversation between two tabs with local storage, not with session storage', async () => {
    server = await startTestChatServer({ scriptFile, pages: PAGES });
    await page.goto(`${server.url}/open`);
    await eventually(() => log().getByText('How are you?').count()).toBe(1);
    const second = await context.newPage();
    await second.goto(`${server.url}/open`);
    await eventually(() => server.sessionRequests.length).toBe(2);
    expect(server.sessionRequests[1]).toEqual({ session_id: server.sessions[0] });
    await eventually(() => second.locator('parley-chat .presence').textContent()).toBe('Online');
    await say('from tab one');
    // Both tabs are in the session's room, so both see the reply.
    await eventually(() => logOf(second).getByText('You said: from tab one').count()).toBe(1);

    const third = await context.newPage();
    await third.goto(`${server.url}/tab-storage`);
    await eventually(() => logOf(third).getByText('How are you?').count()).toBe(1);
    const tabSession = server.received.at(-1)?.sessionId;
    expect(tabSession).not.toBe(server.sessions[0]);
  });
});
