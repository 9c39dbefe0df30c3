/**
 * Real-browser plumbing for the widget tests: Debian's Chromium through playwright-core, the widget
 * built once per test file, and screenshots kept under test/webchat/screenshots/ (gitignored).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWidget } from '../../../webchat/build.mjs';

/** `PARLEY_CHROMIUM` overrides the path of the Chromium binary. */
export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
if (!HAS_CHROMIUM && process.env.CI) {
  // CI installs Chromium itself (.ci/run); a missing browser there is a broken setup, not a skip.
  throw new Error(`CI has no Chromium at ${CHROMIUM_PATH}; .ci/run should have installed it.`);
}
if (!HAS_CHROMIUM) {
  console.warn(`Skipping the web-chat browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
}

/** `expect.poll` with room for slow machines (its default gives up after one second). */
export function eventually<T>(read: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(read, { timeout });
}

export const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Build the widget into a temporary folder (tests never touch dist/). */
export async function buildTestWidget(): Promise<{ scriptFile: string; gzipBytes: number }> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'parley-webchat-build-')), 'parley-chat.js');
  const { gzipBytes } = await buildWidget({ outfile });
  return { scriptFile: outfile, gzipBytes };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Record page errors, console errors and CSP violations, and any script run by a bot message
 * (the XSS payloads set `window.__xss`).
 */
export async function watchPage(page: Page): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { problems };
}

/** Resolve with the `detail`s of events of `name` the widget fires from now on. */
export async function collectEvents(page: Page, name: string): Promise<void> {
  await page.evaluate((eventName) => {
    const store = ((window as unknown as { __events?: Record<string, unknown[]> }).__events ??= {});
    store[eventName] = [];
    document.addEventListener(eventName, (event) => store[eventName].push((event as CustomEvent).detail));
  }, name);
}

export function collectedEvents(page: Page, name: string): Promise<unknown[]> {
  return page.evaluate((eventName) => (window as unknown as { __events: Record<string, unknown[]> }).__events[eventName], name);
}

/** An HTML page that loads the widget with the given attributes. */
export function widgetPage(attributes: string, options: { dir?: 'ltr' | 'rtl'; lang?: string } = {}): string {
  return `<!doctype html><html lang="${options.lang ?? 'en'}" dir="${options.dir ?? 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>widget test</title>
<script type="module" src="/webchat.js"></script></head>
<body><h1>Test page</h1><p>Some page content.</p><parley-chat ${attributes}></parley-chat></body></html>`;
}
