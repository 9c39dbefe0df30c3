/**
 * Plumbing for the browser end-to-end tests: the unmodified moodbot served by the real `parley run`
 * (rest + socketio with session persistence, `--cors "*"`), test pages served from a second
 * loopback origin so every request to Parley is cross-origin, and a browser context that keeps
 * all traffic on loopback (the moodbot's imgur picture is answered locally).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { copyFixtureBot, REPO_ROOT, runCli, startCli, type RunningCli } from '../helpers.js';

export { eventually, HAS_CHROMIUM, launchBrowser, watchPage } from '../../webchat/helpers/browser.js';

/** The picture `utter_cheer_up` sends. */
export const CHEER_UP_IMAGE = 'https://i.imgur.com/nGF1K8f.jpg';

/** What the browser gets instead of the imgur picture: a small SVG, so the test needs no internet. */
const CHEER_UP_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160">' +
  '<rect width="240" height="160" fill="#ffd166"/><circle cx="120" cy="80" r="50" fill="#06d6a0"/>' +
  '<text x="120" y="88" font-size="22" text-anchor="middle" font-family="sans-serif">cheer up</text></svg>';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test', 'e2e', 'browser', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** A file from node_modules, read once (the clients' shipped bundles). */
export function packageFile(relativePath: string): string {
  return readFileSync(join(REPO_ROOT, 'node_modules', relativePath), 'utf8');
}

export interface MoodbotServer {
  url: string;
  port: number;
  /** The running CLI (replaced by `restart`). */
  cli: RunningCli;
  /** The project folder (a temp copy of the fixture). */
  dir: string;
  /** Stop `parley run` (SIGTERM) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start `parley run` again on the same port. */
  start(): Promise<void>;
  /** Stop the server and remove the project folder. */
  dispose(): Promise<void>;
}

const CREDENTIALS = ['rest:', 'socketio:', '  session_persistence: true', ''].join('\n');

/**
 * Copy and train the moodbot, then serve it with `parley run --cors "*"`.
 * @param extraCredentials lines appended under `socketio:` (indented by the caller)
 */
export async function startMoodbot(extraCredentials: string[] = []): Promise<MoodbotServer> {
  const bot = copyFixtureBot('moodbot');
  writeFileSync(join(bot.dir, 'browser-credentials.yml'), CREDENTIALS + extraCredentials.map((line) => `${line}\n`).join(''));
  const trained = await runCli(['train'], { cwd: bot.dir });
  expect(trained.code, trained.stdout + trained.stderr).toBe(0);
  const args = ['--credentials', 'browser-credentials.yml', '--cors', '*'];
  let cli = await startCli(args, { cwd: bot.dir });
  const port = Number(new URL(cli.url).port);
  let running = true;
  const server: MoodbotServer = {
    url: cli.url,
    port,
    get cli() {
      return cli;
    },
    dir: bot.dir,
    async stop() {
      if (!running) return;
      running = false;
      await cli.stop();
    },
    async start() {
      // The same port: the page's widget reconnects to the address it knows.
      cli = await startCli(args, { cwd: bot.dir, port });
      running = true;
    },
    async dispose() {
      await server.stop();
      bot.remove();
    },
  };
  return server;
}

export interface PageServer {
  /** Its origin, e.g. http://127.0.0.1:40123 (another port than Parley, so another origin). */
  url: string;
  close(): Promise<void>;
}

/** Serves fixed pages and scripts: `routes` maps a path to [content type, body]. */
export async function startPageServer(routes: Record<string, [string, string]>): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://page.test').pathname];
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const html = (body: string): [string, string] => ['text/html; charset=utf-8', body];
export const javascript = (body: string): [string, string] => ['text/javascript; charset=utf-8', body];
export const css = (body: string): [string, string] => ['text/css; charset=utf-8', body];

/**
 * A browser context whose pages reach only loopback: the imgur picture is answered with a local
 * SVG and every other outside request is refused (and recorded in `blocked`).
 */
export async function loopbackContext(
  browser: Browser,
  viewport = { width: 1024, height: 768 },
): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await browser.newContext({ viewport });
  const blocked: string[] = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.protocol.startsWith('http'),
    (route) => {
      const url = route.request().url();
      if (url === CHEER_UP_IMAGE) return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: CHEER_UP_SVG });
      blocked.push(url);
      return route.abort();
    },
  );
  return { context, blocked };
}
