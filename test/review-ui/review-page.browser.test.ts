/**
 * The review page in Chromium against a scripted review API (under the real page's strict CSP):
 * marking an entity with the keyboard, the server's validation message in the form, and the
 * error states a real server rarely produces on demand (review off, a 500, a missing
 * conversation, no domain).
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildReviewUi } from '../../review-ui/build.mjs';
import type { ConversationSummary, CorrectionRequest } from '../../review-ui/src/types.js';
import { eventually, HAS_CHROMIUM, launchBrowser, watchPage } from '../webchat/helpers/browser.js';
import { conversation } from './fixtures.js';

const TOKEN = 'ui-test-token';
/** Screenshots of this scripted page go to a temp folder (the e2e test keeps the real ones). */
const SHOTS = mkdtempSync(join(tmpdir(), 'parley-review-ui-shots-'));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review</title><link rel="icon" href="data:,"><script type="module" src="/review/review.js"></script></head>
<body><parley-review bot-name="testbot"></parley-review></body></html>`;

const SUMMARY: ConversationSummary = {
  sender_id: 'tester-1',
  latest_event_time: 1_700_000_000,
  user_messages: 3,
  first_message: 'hello there',
  last_message: 'book a flight to Berlin',
  intents: ['greet', 'mood_great', 'nlu_fallback'],
  min_confidence: 0.3,
  has_fallback: true,
  share_link: 'link-1',
  corrections: 0,
};

/** What the scripted API answers; tests change it before opening the page. */
interface Script {
  reviewOff: boolean;
  listStatus: number;
  domainStatus: number;
  correctionStatus: number;
}

interface FakeApi {
  url: string;
  script: Script;
  posted: CorrectionRequest[];
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

async function startFakeApi(scriptFile: string): Promise<FakeApi> {
  const { readFileSync } = await import('node:fs');
  const bundle = readFileSync(scriptFile, 'utf8');
  const api: Omit<FakeApi, 'url' | 'close'> = {
    script: { reviewOff: false, listStatus: 200, domainStatus: 200, correctionStatus: 201 },
    posted: [],
  };
  const rasaError = (status: number, message: string, reason: string) => ({ version: '3.6.0', status: 'failure', message, reason, details: {}, help: null, code: status });
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake.test');
    const send = (status: number, payload: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (url.pathname === '/review') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP });
      return response.end(PAGE);
    }
    if (url.pathname === '/review/review.js') return send(200, bundle, 'text/javascript');
    if (api.script.reviewOff) {
      return send(403, rasaError(403, 'Review is off because this server has no API authentication. Start it with `parley run --auth-token <secret>`.', 'NotAuthorized'));
    }
    if (url.searchParams.get('token') !== TOKEN) return send(401, rasaError(401, 'User is not authenticated.', 'NotAuthenticated'));
    if (url.pathname === '/review/api/domain') {
      if (api.script.domainStatus !== 200) return send(api.script.domainStatus, rasaError(api.script.domainStatus, 'Not Found', 'NotFound'));
      return send(200, { intents: ['greet', 'mood_great', 'travel'], entities: [{ city: { roles: ['origin', 'destination'] } }], responses: { utter_greet: [] } });
    }
    if (url.pathname === '/review/api/conversations') {
      if (api.script.listStatus !== 200) return send(api.script.listStatus, rasaError(api.script.listStatus, 'The tracker store is unreachable.', 'InternalError'));
      return send(200, { conversations: [SUMMARY], total: 1 });
    }
    if (url.pathname === '/review/api/conversations/tester-1') return send(200, conversation);
    if (url.pathname.startsWith('/review/api/conversations/')) return send(404, rasaError(404, 'No conversation.', 'NotFound'));
    if (url.pathname === '/review/api/corrections' && request.method === 'POST') {
      const posted = JSON.parse(await body(request)) as CorrectionRequest;
      api.posted.push(posted);
      if (api.script.correctionStatus !== 201) return send(400, rasaError(400, "'intent': 'travel' is not an intent of the domain.", 'BadRequest'));
      return send(201, { id: 'c1', text: 'book a flight to Berlin', intent: null, entities: null, action: null, created_at: 1_700_000_100, ...posted });
    }
    return send(404, rasaError(404, 'Not Found', 'NotFound'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...api,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as FakeApi;
}

describe.skipIf(!HAS_CHROMIUM)('the review page against a scripted API', () => {
  let api: FakeApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'parley-review-ui-')), 'review.js');
    await buildReviewUi({ outfile });
    api = await startFakeApi(outfile);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  beforeEach(async () => {
    Object.assign(api.script, { reviewOff: false, listStatus: 200, domainStatus: 200, correctionStatus: 201 });
    api.posted.length = 0;
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    context.setDefaultTimeout(5_000);
    page = await context.newPage();
    ({ problems } = await watchPage(page));
  });

  afterEach(async () => {
    await context.close();
  });

  const activeId = () => page.evaluate(() => document.querySelector('parley-review')?.shadowRoot?.activeElement?.id ?? '');

  it('marks an entity selected with the keyboard, with its role, and saves it', async () => {
    await page.goto(`${api.url}/review?token=${TOKEN}#conversation=tester-1`);
    const turn = page.locator('li.turn', { hasText: 'book a flight to' });
    await eventually(() => turn.locator('mark').textContent()).toBe('Berlincity');
    await turn.getByRole('button', { name: 'Correct “book a flight to Berlin”' }).click();
    await eventually(activeId).toBe('intent-11');

    const form = turn.locator('form');
    await form.getByLabel('Intent').selectOption('travel');
    await form.getByRole('button', { name: 'Remove Berlin → city' }).click();
    await eventually(() => form.getByText('No entities marked.').count()).toBe(1);
    // Keyboard only: the words are one tab stop; End goes to the last word, Space picks it.
    await form.getByLabel('Intent').focus();
    await page.keyboard.press('Tab');
    await eventually(activeId).toBe('word-11-0');
    await page.keyboard.press('End');
    await eventually(activeId).toBe('word-11-4');
    await page.keyboard.press('Space');
    expect(await form.getByRole('button', { name: 'Berlin', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await form.getByLabel('Role').selectOption('destination');
    await form.getByRole('button', { name: 'Mark entity' }).click();
    await eventually(() => form.getByRole('list', { name: 'Marked entities' }).textContent()).toContain('Berlin → city (role destination)');

    // Marking the same word twice is refused with a reason.
    await form.getByRole('button', { name: 'Berlin', exact: true }).click();
    await form.getByRole('button', { name: 'Mark entity' }).click();
    await eventually(() => form.getByRole('alert').textContent()).toBe('“Berlin” is already marked as city; remove it first.');
    await shot(page, 'review-ui-marking-entity');

    await form.getByRole('button', { name: 'Save correction' }).click();
    await eventually(() => api.posted.length).toBe(1);
    expect(api.posted[0]).toEqual({
      sender_id: 'tester-1',
      event_index: 11,
      intent: 'travel',
      entities: [{ start: 17, end: 23, entity: 'city', role: 'destination' }],
    });
    expect(problems).toEqual([]);
  });

  it("shows the server's validation message in the form and keeps the reviewer's choices", async () => {
    api.script.correctionStatus = 400;
    await page.goto(`${api.url}/review?token=${TOKEN}#conversation=tester-1`);
    await page.getByRole('button', { name: 'Correct “hello there”' }).click();
    const form = page.locator('form.fix');
    await form.getByLabel('Intent').selectOption('travel');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await eventually(() => form.getByRole('alert').textContent()).toBe("Not saved: 'intent': 'travel' is not an intent of the domain.");
    expect(await form.getByLabel('Intent').inputValue()).toBe('travel');
    await page.keyboard.press('Escape');
    await eventually(() => page.locator('form.fix').count()).toBe(0);
    await eventually(activeId).toBe('correct-3');
  });

  it('says that review is off and how to turn it on, with or without a token', async () => {
    api.script.reviewOff = true;
    await page.goto(`${api.url}/review?token=${TOKEN}`);
    await eventually(() => page.getByRole('alert').textContent()).toContain('parley run --auth-token <secret>');
    expect(await page.getByLabel('API token').count()).toBe(1);
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${api.url}/review`);
    await eventually(() => page.getByRole('alert').textContent()).toContain('Review is off');
  });

  it('asks for the token without an error when the server wants one', async () => {
    await page.goto(`${api.url}/review`);
    await eventually(() => page.getByLabel('API token').count()).toBe(1);
    await eventually(() => page.getByRole('heading', { name: 'Sign in to review conversations' }).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('shows a failed list with the server message and tries again', async () => {
    api.script.listStatus = 500;
    await page.goto(`${api.url}/review?token=${TOKEN}`);
    await eventually(() => page.getByRole('alert').textContent()).toContain('The tracker store is unreachable.');
    api.script.listStatus = 200;
    await page.getByRole('button', { name: 'Try again' }).click();
    await eventually(() => page.getByRole('link', { name: /hello there/ }).count()).toBe(1);
  });

  it('says when a conversation does not exist', async () => {
    await page.goto(`${api.url}/review?token=${TOKEN}#conversation=nobody`);
    await eventually(() => page.getByRole('alert').textContent()).toContain('There is no conversation “nobody” on this server.');
  });

  it('offers the intents of the conversation when the domain cannot be read', async () => {
    api.script.domainStatus = 404;
    await page.goto(`${api.url}/review?token=${TOKEN}#conversation=tester-1`);
    await page.getByRole('button', { name: 'Correct “hello there”' }).click();
    const form = page.locator('form.fix');
    await eventually(() => form.getByRole('alert').textContent()).toContain('could not be read');
    const intents = await form.getByLabel('Intent').locator('option').allTextContents();
    expect(intents).toEqual(['greet', 'mood_great', 'mood_unhappy', 'nlu_fallback', 'out_of_scope']);
  });

  it('keeps the filters and the open conversation in the address, so back returns to the list', async () => {
    await page.goto(`${api.url}/review?token=${TOKEN}`);
    expect(new URL(page.url()).search).toBe('');
    await page.getByLabel('Hit a fallback').check();
    await eventually(() => new URL(page.url()).hash).toBe('#fallback=true');
    await page.getByRole('link', { name: /hello there/ }).click();
    await eventually(() => new URL(page.url()).hash).toBe('#fallback=true&conversation=tester-1');
    await page.goBack();
    await eventually(() => page.getByRole('heading', { name: /^Conversation / }).count()).toBe(0);
    await eventually(() => page.getByLabel('Hit a fallback').isChecked()).toBe(true);
  });
});
