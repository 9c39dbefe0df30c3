/** Runs one bench/ script on its smallest setting (`--smoke`) and returns the JSON it wrote. */
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchRun {
  code: number | null;
  output: string;
  result: Record<string, unknown> | null;
  files: (name: string) => string;
}

/** `node bench/<script>.mjs --smoke --out <temp dir>`; the temp dir is removed by `cleanup`. */
export async function runBenchScript(script: string, resultName = script, extraArgs: string[] = []): Promise<BenchRun & { cleanup(): void }> {
  const out = mkdtempSync(join(tmpdir(), 'parley-bench-test-'));
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bench', `${script}.mjs`), '--smoke', '--out', out, ...extraArgs], {
      cwd: REPO_ROOT,
      // No core pinning: the smoke runs share the machine with the rest of the test suite.
      env: { ...process.env, LOG_LEVEL: 'warn', PARLEY_BENCH_PIN: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  let result: Record<string, unknown> | null = null;
  try {
    result = JSON.parse(readFileSync(join(out, `${resultName}.json`), 'utf8')) as Record<string, unknown>;
  } catch {
    result = null;
  }
  return {
    code,
    output,
    result,
    files: (name) => readFileSync(join(out, name), 'utf8'),
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}

/** A `{ min, median, max, runs }` summary of finite numbers. */
export const spreadShape = {
  min: expectNumber(),
  median: expectNumber(),
  max: expectNumber(),
  runs: expectNumber(),
};

function expectNumber() {
  return expect.any(Number);
}

/** The machine block every result carries. */
export const machineShape = {
  cpuModel: expect.any(String),
  cores: expect.any(Number),
  memoryGiB: expect.any(Number),
  node: expect.stringMatching(/^v\d+/),
  date: expect.any(String),
};
