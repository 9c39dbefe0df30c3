import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/agent.js';
import { silentLogger } from '../../src/logger.js';
import { ModelHolder, type ServableModel } from '../../src/runtime/model-holder.js';
import type { MessageHandler } from '../../src/shared/messages.js';
import { trainProject } from '../../src/train/train.js';
import { fixtureDomain } from '../core/helpers/domain.js';
import { scriptedInterpreter } from '../core/helpers/scripted.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));

let modelPath: string;
beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'parley-holder-'));
  modelPath = (await trainProject({ root: MOODBOT, out, tests: null, force: true, logger: silentLogger() })).modelPath;
}, 60_000);

/** A loader that hands out stand-in models and lets the test decide when each load finishes. */
async function standIn(name: string, holder: ModelHolder): Promise<ServableModel> {
  const domain = await fixtureDomain('moodbot');
  const agent = createAgent({
    domain,
    interpreter: scriptedInterpreter(),
    policies: null,
    modelId: name,
    trackerStore: holder.trackerStore,
    lockStore: holder.lockStore,
  });
  return { agent, interpreter: scriptedInterpreter(), modelPath: `/m/${name}.tar.gz`, modelFile: `${name}.tar.gz`, modelId: name };
}

describe('ModelHolder', () => {
  it('loads a real archive and reports its file and id', async () => {
    const holder = new ModelHolder();
    expect(holder.agent()).toBeNull();
    const loaded = await holder.load(modelPath);
    expect(holder.agent()).toBe(loaded.agent);
    expect(holder.modelFile).toBe(modelPath.split('/').pop());
    expect(holder.modelId).toMatch(/^[0-9a-f]{32}$/);
    expect(loaded.interpreter.parse('hello').intent.name).toBe('greet');
    expect(loaded.agent.trackerStore).toBe(holder.trackerStore);
  });

  it('keeps the old model until the new one is fully loaded', async () => {
    let finish: () => void = () => {};
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let started: () => void = () => {};
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const holder: ModelHolder = new ModelHolder({
      loader: async (path) => {
        const model = await standIn(path, holder);
        if (path === 'slow') {
          started();
          await gate;
        }
        return model;
      },
    });
    await holder.load('first');
    const loading = holder.load('slow');
    await slowStarted;
    expect(holder.modelId).toBe('first');
    finish();
    await loading;
    expect(holder.modelId).toBe('slow');
  });

  it('keeps the old model when loading fails', async () => {
    const holder: ModelHolder = new ModelHolder({
      loader: async (path) => {
        if (path === 'broken') throw new Error('unreadable archive');
        return standIn(path, holder);
      },
    });
    await holder.load('good');
    await expect(holder.load('broken')).rejects.toThrow('unreadable archive');
    expect(holder.modelId).toBe('good');
  });

  it('tells listeners about every swap and unload, and once on subscribing', async () => {
    const holder: ModelHolder = new ModelHolder({ loader: (path) => standIn(path, holder) });
    const seen: Array<MessageHandler | null> = [];
    const stop = holder.onSwap((handler) => seen.push(handler));
    const first = await holder.load('a');
    holder.unload();
    stop();
    await holder.load('b');
    expect(seen).toEqual([null, first.agent, null]);
  });

  it('counts training jobs while they run, also when they fail', async () => {
    const holder = new ModelHolder();
    let release: () => void = () => {};
    const job = holder.countTraining(() => new Promise<void>((resolve) => (release = resolve)));
    const failing = holder.countTraining(async () => {
      throw new Error('bad data');
    });
    await expect(failing).rejects.toThrow('bad data');
    expect(holder.activeTrainingJobs).toBe(1);
    release();
    await job;
    expect(holder.activeTrainingJobs).toBe(0);
  });
});

describe('ModelHolder with overlapping changes', () => {
  it('lets the newest request win when an older load finishes last', async () => {
    let finishSlow: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => (finishSlow = resolve));
    const holder: ModelHolder = new ModelHolder({
      loader: async (path) => {
        const model = await standIn(path, holder);
        if (path === 'old-and-slow') await slowGate;
        return model;
      },
    });
    const slow = holder.load('old-and-slow');
    await holder.load('new-and-fast');
    finishSlow();
    await slow;
    expect(holder.modelId).toBe('new-and-fast');
  });

  it('does not bring a model back that was unloaded while it loaded', async () => {
    let finish: () => void = () => {};
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const holder: ModelHolder = new ModelHolder({
      loader: async (path) => {
        const model = await standIn(path, holder);
        await gate;
        return model;
      },
    });
    const loading = holder.load('late');
    holder.unload();
    finish();
    await loading;
    expect(holder.agent()).toBeNull();
  });
});
