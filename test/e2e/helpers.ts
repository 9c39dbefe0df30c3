/** Helpers for end-to-end tests: run the real `parley` CLI (built into dist/) in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO_ROOT, 'bin', 'parley.js');
export const FIXTURE_BOTS = join(REPO_ROOT, '..', 'shared', 'fixtures', 'bots');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `parley <args>` to completion. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM to the process we started and waits for it to exit. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `parley run <args>` on 127.0.0.1 and resolves once it prints the URL it listens on.
 * `port` defaults to 0 (any free port); a load balancer in front needs a known one.
 */
export function startCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; port?: number },
): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', '-i', '127.0.0.1', '-p', String(options.port ?? 0), ...args], {
      cwd: options.cwd,
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parley run did not start within the time limit. Output:\n${output}`));
    }, options.timeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /up and running on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parley run exited with code ${code} before it was ready. Output:\n${output}`));
    });
  });
}

/** Copies a fixture bot into a fresh temp folder (training writes models/ into it). */
export function copyFixtureBot(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `parley-${name}-`));
  cpSync(join(FIXTURE_BOTS, name), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** POSTs one message to the REST channel and returns the bot messages. */
export async function sendRest(url: string, sender: string, message: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message }),
  });
  if (response.status !== 200) throw new Error(`REST answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Array<Record<string, unknown>>;
}
