import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { fingerprintProject } from '../../src/model/fingerprint.js';
import { readModelMetadata } from '../../src/model/model.js';
import { loadServableModel } from '../../src/runtime/model-holder.js';
import { createMemoryLockStore } from '../../src/stores/memory-lock-store.js';
import { createMemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { readNluInputs, trainNluProject } from '../../src/train/train-nlu.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));

const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));
function temporary(): string {
  const directory = mkdtempSync(join(tmpdir(), 'parley-train-nlu-'));
  directories.push(directory);
  return directory;
}

/** A project with only config.yml and data/nlu.yml (no domain). */
function nluOnlyProject(): string {
  const root = temporary();
  mkdirSync(join(root, 'data'));
  copyFileSync(join(MOODBOT, 'config.yml'), join(root, 'config.yml'));
  copyFileSync(join(MOODBOT, 'data', 'nlu.yml'), join(root, 'data', 'nlu.yml'));
  return root;
}

describe('trainNluProject', () => {
  it('saves an nlu-… archive without dialogue that the server loads and parses with', async () => {
    const out = temporary();
    const progress: string[] = [];
    const result = await trainNluProject({ root: MOODBOT, out, logger: silentLogger(), onProgress: (event) => progress.push(event.stage) });
    expect(basename(result.modelPath)).toMatch(/^nlu-\d{8}-\d{6}-[a-z]+-[a-z]+\.tar\.gz$/);
    expect(result.examples).toBeGreaterThan(50);
    expect((await readModelMetadata(result.modelPath)).parts).toEqual({ nlu: true, core: false });
    expect(progress.at(-1)).toBe('done');
    const servable = await loadServableModel(result.modelPath, {
      trackerStore: createMemoryTrackerStore(),
      lockStore: createMemoryLockStore(),
      endpoints: {},
      logger: silentLogger(),
    });
    expect(servable.agent.hasPolicies).toBe(false);
    expect(servable.interpreter.parse('hello there').intent.name).toBe('greet');
  });

  it('trains without a domain file, using the given --fixed-model-name', async () => {
    const root = nluOnlyProject();
    const result = await trainNluProject({ root, fixedModelName: 'just-nlu', logger: silentLogger() });
    expect(result.modelPath).toBe(join(root, 'models', 'just-nlu.tar.gz'));
  });

  it('gives an NLU-only model a fingerprint different from a full model of the same files', async () => {
    const root = nluOnlyProject();
    const first = await trainNluProject({ root, fixedModelName: 'a', logger: silentLogger() });
    const second = await trainNluProject({ root, fixedModelName: 'b', logger: silentLogger() });
    expect(first.fingerprint).toBe(second.fingerprint);
    expect(first.fingerprint).not.toBe(fingerprintProject((await readNluInputs({ root })).files));
  });
});

describe('readNluInputs', () => {
  it('names a missing config file', async () => {
    const root = nluOnlyProject();
    await expect(readNluInputs({ root, config: 'nope.yml' })).rejects.toThrow(/config file 'nope\.yml' does not exist/);
  });

  it('names NLU data without examples', async () => {
    const root = nluOnlyProject();
    writeFileSync(join(root, 'data', 'nlu.yml'), 'version: "3.1"\nnlu: []\n');
    await expect(readNluInputs({ root })).rejects.toThrow(/'data' has no NLU examples/);
  });

  it('names a missing NLU path and a missing --domain', async () => {
    const root = nluOnlyProject();
    await expect(readNluInputs({ root, nlu: ['missing.yml'] })).rejects.toThrow(/'missing\.yml' does not exist/);
    await expect(readNluInputs({ root, domain: 'nowhere.yml' })).rejects.toThrow(/domain 'nowhere\.yml' does not exist/);
  });

  it('reads the domain when there is one, with its intents', async () => {
    const inputs = await readNluInputs({ root: MOODBOT });
    expect(inputs.domain.intents.map((intent) => intent.name)).toContain('mood_unhappy');
    expect(inputs.nlu.examples.length).toBeGreaterThan(50);
  });
});
