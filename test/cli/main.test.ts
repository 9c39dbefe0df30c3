import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/output.js';

function recordingOutput() {
  const lines: string[] = [];
  const output: CliOutput = {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`Warning: ${message}`),
    error: (message) => lines.push(`Error: ${message}`),
    progress: (event) => lines.push(`[${event.stage}] ${event.message}`),
  };
  return { output, text: () => lines.join('\n') };
}

async function cli(args: string[]) {
  const recorder = recordingOutput();
  process.exitCode = undefined;
  await main(['node', 'parley', ...args], recorder.output);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, text: recorder.text() };
}

const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('parley CLI', () => {
  it('rejects an unknown command with a non-zero exit and the help hint', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.text).toMatch(/unknown command 'frobnicate'/);
  });

  it('rejects a port that is not a number, naming the flag', async () => {
    const result = await cli(['run', '--port', 'abc']);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/--port must be a whole number between 0 and 65535, not 'abc'/);
  });

  it('refuses to run without a model when there is no project to train from', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    directories.push(empty);
    const result = await cli(['run', '--project', empty, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/No model found .* no project here to train one from/);
  });

  it('init writes the starter bot and refuses to overwrite an existing project', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'parley-cli-')), 'bot');
    directories.push(target);
    const first = await cli(['init', '--init-dir', target, '--no-train']);
    expect(first.code).toBe(0);
    for (const file of ['config.yml', 'domain.yml', 'credentials.yml', 'endpoints.yml', 'data/nlu.yml', 'data/rules.yml', 'data/stories.yml']) {
      expect(existsSync(join(target, file)), file).toBe(true);
    }
    writeFileSync(join(target, 'domain.yml'), 'version: "3.1"\n');
    const second = await cli(['init', '--init-dir', target, '--no-train']);
    expect(second.code).toBe(1);
    expect(second.text).toMatch(/already exists/);
  });
});
