/**
 * `<parley-chat>` accessibility and layout in Chromium: keyboard-only use, focus, names for screen
 * readers, WCAG AA contrast of the default theme, a 360 px phone, right-to-left pages, theming.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestWidget, eventually, HAS_CHROMIUM, launchBrowser, screenshot, widgetPage } from './helpers/browser.js';
import { startTestChatServer, type TestChatServer } from './helpers/test-chat-server.js';

const PAGES = {
  '/closed': widgetPage('chat-title="Testbot" initial-payload="/greet"'),
  '/open': widgetPage('chat-title="Testbot" initial-payload="/greet" open'),
  '/rtl': widgetPage('chat-title="مساعد" initial-payload="/greet" open', { dir: 'rtl', lang: 'ar' }),
  '/themed': `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/webchat.js"></script>
<style>parley-chat { --parley-bubble-bot-bg: rgb(255, 240, 200); --parley-font: Georgia, serif; }</style></head>
<body><parley-chat chat-title="Café Bot" avatar="/static/cat.svg" accent-color="rgb(10, 90, 60)" initial-payload="/greet" open>
</parley-chat></body></html>`,
};

/** WCAG relative luminance of an `rgb(…)`/`rgba(…)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

describe.skipIf(!HAS_CHROMIUM)('<parley-chat> accessibility and layout', () => {
  let browser: Browser;
  let server: TestChatServer;
  let context: BrowserContext;

  beforeAll(async () => {
    const { scriptFile } = await buildTestWidget();
    server = await startTestChatServer({ scriptFile, pages: PAGES });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  async function open(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    return page;
  }

  /** The element focused inside the widget's shadow root, described by role-ish attributes. */
  function focused(page: Page): Promise<string> {
    return page.evaluate(() => {
      const active = document.querySelector('parley-chat')?.shadowRoot?.activeElement;
      if (!active) return `page:${document.activeElement?.tagName.toLowerCase()}`;
      return `${active.tagName.toLowerCase()}:${active.getAttribute('aria-label') ?? active.textContent?.trim() ?? ''}`;
    });
  }

  it('works from the keyboard alone, moving focus sensibly', async () => {
    const page = await open('/closed');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button:Open chat');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea:');
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);

    // Shift+Tab from the input reaches the newest buttons first.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button:Sad');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button:Great');
    await page.keyboard.press('Enter');
    await eventually(() => log.getByText('Great, carry on!').count()).toBe(1);
    expect(await focused(page)).toBe('textarea:');

    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await eventually(() => log.getByText('You said: typed without a mouse').count()).toBe(1);
    await page.keyboard.press('Shift+Enter');
    expect(await page.locator('parley-chat textarea').inputValue()).toBe('\n');

    await page.keyboard.press('Escape');
    expect(await page.locator('parley-chat [part="panel"]').isHidden()).toBe(true);
    expect(await focused(page)).toBe('button:Open chat');
  });

  it('names every control and region for screen readers', async () => {
    const page = await open('/open');
    await eventually(() => page.locator('parley-chat .log').getByText('How are you?').count()).toBe(1);
    expect(await page.getByRole('dialog', { name: 'Testbot' }).count()).toBe(1);
    expect(await page.getByRole('log', { name: 'Conversation' }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Start a new conversation' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Close chat' }).count()).toBe(2);
    const launcher = page.locator('parley-chat [part="launcher"]');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await launcher.getAttribute('aria-controls')).toBe('panel');
    // Each message says who wrote it.
    expect(await page.locator('parley-chat .item.bot .sr-only').first().textContent()).toBe('Testbot:');
  });

  it('meets WCAG AA contrast with the default theme', async () => {
    const page = await open('/open');
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);
    const colourPairs = (selectors: Array<[string, string?]>) =>
      page.evaluate((pairs) => {
        const root = document.querySelector('parley-chat')!.shadowRoot!;
        return pairs.map(([selector, backgroundSelector]) => {
          const pseudo = selector.endsWith('::placeholder') ? '::placeholder' : null;
          const element = root.querySelector(selector.replace('::placeholder', ''))!;
          const background = root.querySelector(backgroundSelector ?? selector.replace('::placeholder', ''))!;
          return [selector, getComputedStyle(element, pseudo).color, getComputedStyle(background).backgroundColor];
        });
      }, selectors);
    const before = await colourPairs([
      ['.title', 'header'],
      ['.presence', 'header'],
      ['.item.bot .bubble'],
      ['.choice', '.panel'],
      ['.launcher'],
      ['.send'],
      ['textarea::placeholder'],
    ]);
    await log.getByRole('button', { name: 'Great' }).click();
    await eventually(() => log.getByText('Great, carry on!').count()).toBe(1);
    const after = await colourPairs([['.item.user .bubble'], ['.choice[aria-pressed="true"]']]);
    for (const [name, foreground, background] of [...before, ...after]) {
      expect(contrast(foreground, background), `${name}: ${foreground} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('fills a 360 px phone screen without sideways scrolling', async () => {
    const page = await open('/open', { width: 360, height: 740 });
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);
    await screenshot(page, 'phone-360-greeting');
    await page.getByRole('textbox', { name: 'Message' }).fill('carousel');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await eventually(() => log.locator('.card').count()).toBe(3);
    const box = await page.locator('parley-chat [part="panel"]').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 360, height: 740 });
    const overflow = await page.evaluate(() => {
      const root = document.querySelector('parley-chat')!.shadowRoot!;
      const panel = root.querySelector('.panel') as HTMLElement;
      return { page: document.documentElement.scrollWidth, panel: panel.scrollWidth, log: (root.querySelector('.log') as HTMLElement).scrollWidth };
    });
    expect(overflow).toEqual({ page: 360, panel: 360, log: 360 });
    // Buttons stay big enough to tap.
    const choice = await log.getByRole('button', { name: 'Order Latte' }).boundingBox();
    expect(choice?.height).toBeGreaterThanOrEqual(36);
    const scrolled = log.locator('.cards').evaluate(
      (element) => new Promise<number>((resolve) => element.addEventListener('scrollend', () => resolve(element.scrollLeft), { once: true })),
    );
    await page.getByRole('button', { name: 'Next card' }).click();
    expect(await scrolled).toBeGreaterThan(0);
    await screenshot(page, 'phone-360-carousel');
    // The launcher hides behind the full-screen panel; the header's close button closes it.
    await page.getByRole('button', { name: 'Close chat' }).click();
    expect(await page.locator('parley-chat [part="launcher"]').isVisible()).toBe(true);
  });

  it('mirrors the layout on a right-to-left page and sets bot text direction by content', async () => {
    const page = await open('/rtl');
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Message' }).fill('rtl');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const arabic = log.getByText('مرحبا! كيف يمكنني مساعدتك؟');
    await eventually(() => arabic.count()).toBe(1);
    expect(await arabic.evaluate((element) => getComputedStyle(element.closest('.bubble')!).direction)).toBe('rtl');
    // Bubbles follow their own text, not the page: English stays left-to-right on this page.
    const english = log.getByText('How are you?');
    expect(await english.evaluate((element) => getComputedStyle(element.closest('.bubble')!).direction)).toBe('ltr');
    const launcher = await page.locator('parley-chat [part="launcher"]').boundingBox();
    const panel = await page.locator('parley-chat [part="panel"]').boundingBox();
    expect(launcher!.x).toBeLessThan(100);
    expect(panel!.x).toBeLessThan(100);
    // The user's bubble sits at the inline end (the left).
    const user = await log.locator('.item.user .bubble').last().boundingBox();
    expect(user!.x).toBeLessThan(panel!.x + 100);
    await screenshot(page, 'desktop-rtl');
  });

  it('takes its title, avatar, accent colour and custom properties from the page', async () => {
    const page = await open('/themed');
    const log = page.locator('parley-chat .log');
    await eventually(() => log.getByText('How are you?').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Café Bot' }).count()).toBe(1);
    expect(await page.locator('parley-chat [part="avatar"]').getAttribute('src')).toBe(`${server.url}/static/cat.svg`);
    const styles = await page.evaluate(() => {
      const root = document.querySelector('parley-chat')!.shadowRoot!;
      return {
        launcher: getComputedStyle(root.querySelector('.launcher')!).backgroundColor,
        header: getComputedStyle(root.querySelector('header')!).backgroundColor,
        bot: getComputedStyle(root.querySelector('.item.bot .bubble')!).backgroundColor,
        font: getComputedStyle(root.querySelector('.item.bot .bubble')!).fontFamily,
      };
    });
    expect(styles).toEqual({ launcher: 'rgb(10, 90, 60)', header: 'rgb(10, 90, 60)', bot: 'rgb(255, 240, 200)', font: 'Georgia, serif' });
    await screenshot(page, 'desktop-themed');
  });
});
