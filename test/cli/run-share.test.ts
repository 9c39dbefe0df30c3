import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/output.js';
import { browsableBaseUrl, prepareShareLinks, shareMessages, shareSetup } from '../../src/share/run-share.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'parley-share-'));
cpSync(MOODBOT, dir, { recursive: true });
const previousLevel = process.env.LOG_LEVEL;
beforeAll(() => {
  process.env.LOG_LEVEL = 'silent';
});
afterAll(() => {
  process.env.LOG_LEVEL = previousLevel;
  rmSync(dir, { recursive: true, force: true });
});

describe('share set-up', () => {
  it('uses --auth-token as the review token, else generates one and says so', () => {
    expect(shareSetup('mine')).toEqual({ reviewToken: 'mine', generated: false });
    const generated = shareSetup(undefined);
    expect(generated.generated).toBe(true);
    expect(generated.reviewToken).toMatch(/^[\w-]{32}$/);
    expect(shareSetup(undefined).reviewToken).not.toBe(generated.reviewToken);
  });

  it('turns an any-interface listen address into one a browser can open', () => {
    expect(browsableBaseUrl('http://0.0.0.0:5005')).toBe('http://localhost:5005');
    expect(browsableBaseUrl('http://[::]:5005')).toBe('http://localhost:5005');
    expect(browsableBaseUrl('http://127.0.0.1:41234')).toBe('http://127.0.0.1:41234');
  });

  it('reuses the newest unrevoked link on the next start', () => {
    const project = mkdtempSync(join(tmpdir(), 'parley-share-links-'));
    const setup = shareSetup('t');
    const first = prepareShareLinks(project, 'http://127.0.0.1:1', setup);
    const second = prepareShareLinks(project, 'http://127.0.0.1:1', setup);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.inviteUrl).toBe(first.inviteUrl);
    expect(shareMessages(second, setup)).toEqual([`Invite testers: ${second.inviteUrl}`, 'Review: http://127.0.0.1:1/review?token=t']);
    rmSync(project, { recursive: true, force: true });
  });
});

describe('parley run --share', () => {
  it('prints an invite link that opens the chat page and a review link whose token opens the review API', async () => {
    const lines: string[] = [];
    const output: CliOutput = {
      info: (message) => lines.push(message),
      warn: (message) => lines.push(`Warning: ${message}`),
      error: (message) => lines.push(`Error: ${message}`),
      progress: () => undefined,
    };
    const running = main(['node', 'parley', 'run', '--project', dir, '-i', '127.0.0.1', '--port', '0', '--share'], output);
    try {
      const deadline = Date.now() + 120_000;
      while (!lines.some((line) => line.startsWith('Review: ')) && !lines.some((line) => line.startsWith('Error')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const invite = lines.find((line) => line.startsWith('Invite testers: '))?.slice('Invite testers: '.length);
      const reviewUrl = lines.find((line) => line.startsWith('Review: '))?.slice('Review: '.length);
      expect(invite, lines.join('\n')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/share\?token=[\w-]+$/);
      expect(reviewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/review\?token=[\w-]+$/);
      expect(lines.join('\n')).toContain('generated for this run');

      const page = await fetch(invite as string);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Chat with ');
      const token = new URL(reviewUrl as string).searchParams.get('token');
      const origin = new URL(reviewUrl as string).origin;
      const links = await fetch(`${origin}/review/api/share-links?token=${token}`);
      expect(links.status).toBe(200);
      const listed = (await links.json()) as { share_links: Array<{ token: string }> };
      expect(listed.share_links.map((link) => link.token)).toEqual([new URL(invite as string).searchParams.get('token')]);
      expect((await fetch(`${origin}/review/api/share-links?token=wrong`)).status).toBe(401);
    } finally {
      process.emit('SIGINT');
      await running;
    }
  }, 180_000);
});

describe('parley run --share (built CLI, JSON logs)', () => {
  it('prints the generated review token to the terminal only, never into the JSON log lines', async () => {
    const project = mkdtempSync(join(tmpdir(), 'parley-share-logs-'));
    cpSync(MOODBOT, project, { recursive: true });
    const cli = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'run', '-i', '127.0.0.1', '-p', '0', '--share'], {
      cwd: project,
      env: { ...process.env, LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 120_000;
      while (!/Review: \S+/.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const reviewUrl = /Review: (\S+)/.exec(stderr)?.[1];
      expect(reviewUrl, stderr + stdout).toBeDefined();
      const token = new URL(reviewUrl as string).searchParams.get('token') as string;
      // A request with the token, so that request logging (if any) had its chance to leak it.
      await fetch(`${new URL(reviewUrl as string).origin}/review/api/corrections?token=${token}`);
      expect(stdout.length).toBeGreaterThan(0);
      expect(stdout).not.toContain(token);
      expect(stderr.split(token).length - 1).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(project, { recursive: true, force: true });
    }
  }, 180_000);
});
