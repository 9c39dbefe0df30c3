import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/cli-bundle/main.js', import.meta.url));
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('bin/parley.js', () => {
  it('runs the bundled CLI the build made', () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Parley \d+\.\d+\.\d+/);
  });

  it('finds the files shipped beside the code from the bundle: `parley init` copies the starter project', () => {
    const parent = mkdtempSync(join(tmpdir(), 'parley-bin-init-'));
    folders.push(parent);
    const target = join(parent, 'bot');
    const run = spawnSync(process.execPath, [BIN, 'init', '--init-dir', target, '--no-train'], { encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const starter = fileURLToPath(new URL('../../examples/starter/domain.yml', import.meta.url));
    expect(readFileSync(join(target, 'domain.yml'), 'utf8')).toBe(readFileSync(starter, 'utf8'));
  });
});
