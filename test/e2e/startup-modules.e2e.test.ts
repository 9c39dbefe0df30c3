/**
 * Start-up loads only what the command and the project's endpoints.yml use: database, broker and
 * JWT libraries cost tens of milliseconds each, so they load only when configured.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixtureBot, REPO_ROOT } from './helpers.js';

const OPTIONAL_LIBRARIES = ['pg', 'mysql2', 'ioredis', 'amqplib', '@socket.io/redis-adapter', 'jsonwebtoken'];

/** Runs `body` (an ES module's text) in a fresh Node and returns the packages it loaded through require. */
function loadedPackages(body: string, cwd: string): Promise<string[]> {
  const script = `${body}
const { createRequire } = await import('node:module');
const files = Object.keys(createRequire(${JSON.stringify(join(REPO_ROOT, 'package.json'))}).cache);
const names = new Set(files.map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean));
process.stdout.write('PACKAGES ' + JSON.stringify([...names]) + '\\n');
process.exit(0);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.split('\n').find((text) => text.startsWith('PACKAGES '));
      if (!line) reject(new Error(`no package list; stderr: ${stderr}`));
      else resolve(JSON.parse(line.slice('PACKAGES '.length)) as string[]);
    });
  });
}

const dist = (path: string) => JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', path)).href);
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('start-up', () => {
  it('`parley --version` loads no server, logger, database, broker or JWT library', async () => {
    const packages = await loadedPackages(
      `const { main } = await import(${dist('cli/main.js')});
await main(['node', 'parley', '--version'], { info() {}, warn() {}, error() {}, progress() {} });`,
      REPO_ROOT,
    );
    expect(packages).toContain('commander');
    for (const name of [...OPTIONAL_LIBRARIES, 'fastify', 'socket.io', 'pino', 'better-sqlite3', 'yaml']) {
      expect(packages).not.toContain(name);
    }
  });

  it('serving the moodbot loads the SQLite driver it uses and none of the drivers endpoints.yml does not name', async () => {
    const bot = copyFixtureBot('moodbot');
    cleanups.push(bot.remove);
    const output = '{ info() {}, warn() {}, error() {}, progress() {} }';
    const packages = await loadedPackages(
      `const { startParley } = await import(${dist('runtime/serve.js')});
const { silentLogger } = await import(${dist('logger.js')});
const running = await startParley({ root: '.', cors: [], enableApi: true, host: '127.0.0.1', port: 0, trainIfNeeded: true, logger: silentLogger(), output: ${output} });
await running.close();`,
      bot.dir,
    );
    expect(packages).toEqual(expect.arrayContaining(['fastify', 'socket.io', 'better-sqlite3']));
    for (const name of OPTIONAL_LIBRARIES) expect(packages).not.toContain(name);
  }, 120_000);
});
