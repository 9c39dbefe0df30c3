/**
 * The invite page in Chromium against a real moodbot server: the widget loads under the page's
 * strict CSP, the tester chats, and every message carries the share link, so review finds it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { registerReview } from '../../src/review/serve-review.js';
import { ModelHolder } from '../../src/runtime/model-holder.js';
import { createServer, type ParleyServer } from '../../src/server/app.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { webchatPlugin } from '../../src/webchat/plugin.js';
import { moodbotModel } from '../api/helpers/api-server.js';
import { buildTestWidget, eventually, HAS_CHROMIUM, launchBrowser, screenshot, watchPage } from '../webchat/helpers/browser.js';

describe.skipIf(!HAS_CHROMIUM)('the share page', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'parley-share-page-')), 'moodbot');
  let browser: Browser;
  let server: ParleyServer;
  let holder: ModelHolder;
  let url: string;

  beforeAll(async () => {
    const logger = silentLogger();
    const [{ scriptFile }, model] = await Promise.all([buildTestWidget(), moodbotModel()]);
    holder = new ModelHolder({ logger, trackerStore: new MemoryTrackerStore() });
    await holder.load(model);
    server = createServer({
      credentials: [
        { name: 'rest', options: null },
        { name: 'socketio', options: { session_persistence: true } },
      ],
      getHandler: () => holder.agent(),
      logger,
    });
    await server.app.register(webchatPlugin, { scriptFile, demoPage: false });
    await registerReview(server, { root, holder, trackerStore: holder.agent()!.trackerStore, auth: { token: 'secret' }, initialPayload: '/greet', logger });
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await holder?.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('lets a tester chat and tags the conversation with the share link', async () => {
    const link = (await (await fetch(`${url}/review/api/share-links?token=secret`, { method: 'POST' })).json()) as { id: string; url: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    await page.goto(link.url);
    expect(await page.title()).toBe('Chat with moodbot');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Chat with moodbot');
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Message' }).fill('I am very sad');
    await page.keyboard.press('Enter');
    await eventually(() => log.getByText('Did that help you?').count()).toBe(1);
    await screenshot(page, 'share-page-desktop');
    await page.setViewportSize({ width: 375, height: 720 });
    await screenshot(page, 'share-page-phone');
    expect(problems).toEqual([]);

    const listed = (await (await fetch(`${url}/review/api/conversations?token=secret`)).json()) as {
      conversations: Array<{ share_link: string | null; user_messages: number; last_message: string }>;
    };
    expect(listed.conversations).toHaveLength(1);
    expect(listed.conversations[0]).toMatchObject({ share_link: link.id, user_messages: 2, last_message: 'I am very sad' });
    await context.close();
  });
});
