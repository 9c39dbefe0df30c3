/**
 * Parley's own `<parley-chat>`, loaded by a page of another origin from the real `parley run`
 * (`/webchat.js`, the README's two-line embed) serving the moodbot: every message type the moodbot
 * has, keyboard-only use, a reload, a server restart on the same port, a 360 px phone, and a file
 * attached through the upload endpoint (credentials.yml `socketio: uploads:`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CHEER_UP_IMAGE,
  eventually,
  HAS_CHROMIUM,
  html,
  launchBrowser,
  loopbackContext,
  screenshot,
  startMoodbot,
  startPageServer,
  watchPage,
  type MoodbotServer,
  type PageServer,
} from './helpers.js';

/** The README's embed snippet, as a site on another origin would paste it. */
function embedPage(parleyUrl: string, attributes = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A site embedding Parley</title>
<script type="module" src="${parleyUrl}/webchat.js"></script></head>
<body><h1>A site on another origin</h1><p>Its own content.</p>
<parley-chat server-url="${parleyUrl}" initial-payload="/greet" chat-title="Moodbot"${attributes}></parley-chat>
</body></html>`;
}

describe.skipIf(!HAS_CHROMIUM)('<parley-chat> against parley run', () => {
  let parley: MoodbotServer;
  let pages: PageServer;
  let browser: Browser;
  let context: BrowserContext;
  let blocked: string[];

  beforeAll(async () => {
    parley = await startMoodbot(['  uploads:', '    max_bytes: 200000', '    types: [image/png, application/pdf]']);
    pages = await startPageServer({
      '/': html(embedPage(parley.url)),
      '/open': html(embedPage(parley.url, ' open')),
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await parley?.dispose();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function open(path: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    ({ context, blocked } = await loopbackContext(browser, viewport));
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    await page.goto(`${pages.url}${path}`);
    return { page, problems };
  }

  const logOf = (page: Page) => page.locator('parley-chat .log');
  const botTexts = (page: Page) => page.locator('parley-chat .item.bot .bubble').allTextContents();

  /** The element focused inside the widget's shadow root. */
  function focused(page: Page): Promise<string> {
    return page.evaluate(() => {
      const active = document.querySelector('parley-chat')?.shadowRoot?.activeElement;
      if (!active) return `page:${document.activeElement?.tagName.toLowerCase()}`;
      return `${active.tagName.toLowerCase()}:${active.getAttribute('aria-label') ?? ''}`;
    });
  }

  it('is used with the keyboard alone and renders the text and image messages of the moodbot', async () => {
    expect(new URL(pages.url).origin).not.toBe(new URL(parley.url).origin);
    const { page, problems } = await open('/');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button:Open chat');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea:');
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?']);

    await page.keyboard.type('I am very sad');
    await page.keyboard.press('Enter');
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?', 'Here is something to cheer you up:', 'Did that help you?']);
    expect(await logOf(page).locator('.item.user .bubble').allTextContents()).toEqual(['I am very sad']);
    const image = logOf(page).getByRole('img');
    expect(await image.getAttribute('src')).toBe(CHEER_UP_IMAGE);
    await eventually(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await focused(page)).toBe('textarea:');
    await screenshot(page, 'parley-widget-keyboard-image');

    await page.keyboard.press('Escape');
    expect(await page.locator('parley-chat [part="panel"]').isHidden()).toBe(true);
    expect(await focused(page)).toBe('button:Open chat');
    expect(problems).toEqual([]);
    expect(blocked).toEqual([]);
  });

  it('keeps the conversation across a reload and continues it on the server', async () => {
    const { page, problems } = await open('/open');
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?']);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('not good');
    await input.press('Enter');
    await eventually(() => botTexts(page)).toContain('Did that help you?');
    await page.reload();
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?', 'Here is something to cheer you up:', 'Did that help you?']);
    await input.fill('no');
    await input.press('Enter');
    // The sad path's "deny" branch: the server still knows the conversation after the reload.
    await eventually(() => botTexts(page)).toContain('Bye');
    expect((await botTexts(page)).filter((text) => text === 'Hey! How are you?')).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it('reconnects after parley run restarts on the same port and sends nothing twice', async () => {
    const { page } = await open('/open');
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?']);
    const status = page.locator('parley-chat [part="status"]');

    await parley.stop();
    await eventually(() => status.textContent(), 15_000).toMatch(/Connection lost|Cannot reach/);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('I am great');
    await input.press('Enter');
    await eventually(() => logOf(page).getByText('Sending…').count()).toBe(1);
    await screenshot(page, 'parley-widget-offline');

    await parley.start();
    await eventually(() => botTexts(page), 30_000).toContain('Great, carry on!');
    expect(await logOf(page).getByText('Sending…').count()).toBe(0);
    await eventually(() => status.isHidden()).toBe(true);
    await input.fill('bye');
    await input.press('Enter');
    await eventually(() => botTexts(page)).toContain('Bye');
    expect(await logOf(page).locator('.item.user .bubble').allTextContents()).toEqual(['I am great', 'bye']);
    expect(await botTexts(page)).toEqual(['Hey! How are you?', 'Great, carry on!', 'Bye']);
    await screenshot(page, 'parley-widget-after-restart');
  });

  it('attaches a picture: uploads it, shows it, and sends its URL as message metadata', async () => {
    const { page, problems } = await open('/open');
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?']);
    const sentFrames: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => sentFrames.push(String(frame.payload))));
    await page.reload();
    await eventually(() => page.getByRole('button', { name: 'Attach a file' }).count()).toBe(1);
    const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 160, height: 90 } });

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles({ name: 'my mood.png', mimeType: 'image/png', buffer: picture });
    const shown = logOf(page).locator('.item.user img');
    await eventually(() => shown.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(160);
    const src = (await shown.getAttribute('src')) ?? '';
    expect(src).toMatch(new RegExp(`^${parley.url}/webhooks/socketio/uploads/[0-9a-f]{32}$`));
    expect(await shown.getAttribute('alt')).toBe('my mood.png');
    const userUttered = sentFrames.find((frame) => frame.includes('"user_uttered"') && frame.includes('attachment'));
    expect(userUttered).toBeDefined();
    const [, payload] = JSON.parse(userUttered!.replace(/^\d+/, '')) as [string, { message: string; metadata: unknown }];
    expect(payload.message).toBe('my mood.png');
    expect(payload.metadata).toEqual({ attachment: { url: src, type: 'image/png', name: 'my mood.png', size: picture.length } });
    expect(readdirSync(join(parley.dir, '.parley', 'uploads'))).toContain(src.split('/').pop());
    await eventually(() => logOf(page).getByText('Sending…').count()).toBe(0);
    await screenshot(page, 'parley-widget-attachment');

    // A type the server does not take is refused before anything is sent.
    const second = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach a file' }).click();
    await (await second).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await eventually(() => logOf(page).getByText('notes.txt was not sent: This type of file cannot be sent here.').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('fits a 360 px wide phone screen', async () => {
    const { page, problems } = await open('/open', { width: 360, height: 740 });
    await eventually(() => botTexts(page)).toEqual(['Hey! How are you?']);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('sad');
    await input.press('Enter');
    await eventually(() => logOf(page).getByRole('img').evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const panel = await page.locator('parley-chat [part="panel"]').boundingBox();
    expect(panel).not.toBeNull();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(360);
    const image = await logOf(page).getByRole('img').boundingBox();
    expect(image!.x + image!.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'parley-widget-phone-360');
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!HAS_CHROMIUM)('<parley-chat> against parley run with a strict message rate', () => {
  let parley: MoodbotServer;
  let pages: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    parley = await startMoodbot(['  max_messages_per_minute: 3']);
    pages = await startPageServer({ '/open': html(embedPage(parley.url, ' open')) });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await parley?.dispose();
  });

  it('marks a message over the rate as not sent, tells the page why, and stays connected', async () => {
    const { context } = await loopbackContext(browser);
    const page = await context.newPage();
    await page.goto(`${pages.url}/open`);
    await page.evaluate(() => {
      const errors: string[] = ((window as unknown as { __errors: string[] }).__errors = []);
      document.addEventListener('parley-error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message));
    });
    const log = page.locator('parley-chat .log');
    await eventually(() => log.locator('.item.bot .bubble').allTextContents()).toEqual(['Hey! How are you?']);
    const input = page.getByRole('textbox', { name: 'Message' });
    for (const text of ['I am great', 'bye', 'one too many']) {
      await input.fill(text);
      await input.press('Enter');
    }
    await eventually(() => log.getByText('Not sent.').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors)).toEqual([
      expect.stringMatching(/^Too many messages: this connection may send 3 per minute\./),
    ]);
    const failed = log.locator('.item.user', { hasText: 'Not sent.' });
    expect(await failed.locator('.bubble').textContent()).toBe('one too many');
    expect(await page.locator('parley-chat [part="status"]').isHidden()).toBe(true);
    expect(await log.locator('.item.bot .bubble').allTextContents()).toEqual(['Hey! How are you?', 'Great, carry on!', 'Bye']);
    await screenshot(page, 'parley-widget-rate-limited');
    await context.close();
  });
});
