/** `parley run --enable-api` with an auth token: the HTTP API is served and secured from the CLI flags. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureBot, startCli, type RunningCli } from './helpers.js';

let bot: ReturnType<typeof copyFixtureBot>;
let server: RunningCli;

beforeAll(async () => {
  bot = copyFixtureBot('moodbot');
  server = await startCli(['--enable-api', '--auth-token', 's3cret', '--cors', '*'], { cwd: bot.dir });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  bot?.remove();
});

describe('parley run --enable-api --auth-token', () => {
  it('serves /version openly and /status only with the token', async () => {
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
    expect((await fetch(`${server.url}/status`)).status).toBe(401);
    const status = await fetch(`${server.url}/status?token=s3cret`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ model_file: expect.stringMatching(/\.tar\.gz$/), model_id: expect.any(String) });
  });

  it('drives a conversation the way the rasa-bot web component does', async () => {
    const base = `${server.url}/conversations/web-1`;
    const logged = await fetch(`${base}/messages?token=s3cret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', sender: 'user' }),
    });
    expect(logged.status).toBe(200);
    const texts: string[] = [];
    for (let step = 0; step < 10; step++) {
      const prediction = (await (await fetch(`${base}/predict?token=s3cret`, { method: 'POST' })).json()) as { scores: Array<{ action: string }> };
      const executed = await fetch(`${base}/execute?token=s3cret`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: prediction.scores[0].action }),
      });
      const { messages } = (await executed.json()) as { messages: Array<{ text?: string }> };
      if (messages.length === 0) break;
      texts.push(...messages.map((message) => message.text ?? ''));
    }
    expect(texts).toEqual(['Hey! How are you?']);
  });

  it('keeps the webhooks open: channels ignore the API token', async () => {
    const response = await fetch(`${server.url}/webhooks/rest/webhook`, {
      method: 'POST',
      body: JSON.stringify({ sender: 'open', message: 'hi' }),
    });
    expect(response.status).toBe(200);
  });
});
