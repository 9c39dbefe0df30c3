/**
 * The bundled example bot, as a new user meets it: `parley init`, then `parley run` (which trains
 * first), then a chat that shows buttons, an image and a form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sendRest, startCli, type RunningCli } from './helpers.js';

let workspace: string;
let server: RunningCli;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'parley-starter-'));
  const init = await runCli(['init', '--init-dir', 'bot', '--no-train'], { cwd: workspace });
  expect(init.code, init.stderr).toBe(0);
  server = await startCli([], { cwd: join(workspace, 'bot') });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

describe('the starter bot', () => {
  it('was trained by parley run because no model existed, and said so', () => {
    expect(server.output()).toMatch(/No trained model found; training one first/);
  });

  it('greets with buttons whose payloads work', async () => {
    const [greeting] = await sendRest(server.url, 'tour', 'hello');
    expect(greeting.text).toMatch(/Pip/);
    expect(greeting.buttons).toEqual([
      { title: 'Order a coffee', payload: '/order_coffee' },
      { title: 'Show me a picture', payload: '/show_picture' },
      { title: 'What can you do?', payload: '/help' },
    ]);
    const picture = await sendRest(server.url, 'tour', '/show_picture');
    expect(picture).toEqual([
      { recipient_id: 'tour', text: 'Here is a cup I prepared earlier:' },
      { recipient_id: 'tour', image: expect.stringMatching(/^https:\/\//) },
    ]);
  });

  it('takes a coffee order through its form, asking only for what is missing', async () => {
    const [askSize] = await sendRest(server.url, 'order', "I'd like a latte");
    expect(askSize.text).toBe('Which size?');
    const [askName] = await sendRest(server.url, 'order', '/inform{"size": "large"}');
    expect(askName.text).toBe('And what name should I write on the cup?');
    expect(await sendRest(server.url, 'order', 'Sam')).toEqual([
      { recipient_id: 'order', text: 'Thanks, Sam! One large latte is on its way.' },
    ]);
  });

  it('maps synonyms when the user types a size', async () => {
    await sendRest(server.url, 'synonym', 'I want a coffee');
    await sendRest(server.url, 'synonym', 'tea');
    const [askName] = await sendRest(server.url, 'synonym', 'big please');
    expect(askName.text).toBe('And what name should I write on the cup?');
    expect(await sendRest(server.url, 'synonym', 'Ana')).toEqual([
      { recipient_id: 'synonym', text: 'Thanks, Ana! One large tea is on its way.' },
    ]);
  });
});
