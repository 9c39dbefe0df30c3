import { mkdtempSync, writeFileSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel, newModelMetadata, saveModel } from '../../src/model/model.js';
import { listModels, newModelName, resolveModelPath } from '../../src/model/model-files.js';
import { fingerprintProject } from '../../src/model/fingerprint.js';
import type { Domain } from '../../src/shared/domain.js';

const directories: string[] = [];
function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'parley-model-test-'));
  directories.push(directory);
  return directory;
}
afterEach(() => directories.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('model archives', () => {
  it('round-trips metadata, domain, NLU and dialogue parts through a .tar.gz', async () => {
    const path = join(tempDir(), 'models', 'm.tar.gz');
    const metadata = newModelMetadata({ assistantId: 'bot', fingerprint: 'f'.repeat(64), language: 'en', parts: { nlu: true, core: true } });
    const domain = { intents: [], actionNames: ['action_listen'] } as unknown as Domain;
    await saveModel(path, { metadata, domain, nlu: { weights: 'AAAA' }, core: { rules: [1, 2] } });
    const loaded = await loadModel(path);
    expect(loaded.metadata).toEqual(metadata);
    expect(loaded.metadata.modelId).toMatch(/^[0-9a-f]{32}$/);
    expect(loaded.domain).toEqual(domain);
    expect(loaded.nlu).toEqual({ weights: 'AAAA' });
    expect(loaded.core).toEqual({ rules: [1, 2] });
  });

  it('rejects a file that is not a model archive with an error telling what to do', async () => {
    const path = join(tempDir(), 'broken.tar.gz');
    writeFileSync(path, 'not a tarball');
    await expect(loadModel(path)).rejects.toMatchObject({ code: 'PARLEY_ERR_MODEL_INVALID', message: expect.stringContaining('parley train') });
  });
});

describe('model files', () => {
  it('names models with a timestamp and two words like Rasa', () => {
    expect(newModelName(new Date(2026, 10, 28, 9, 5, 7), () => 0)).toBe('20261128-090507-amber-badger');
  });

  it('finds the newest archive in a directory and uses a file path as is', () => {
    const directory = tempDir();
    const older = join(directory, 'a.tar.gz');
    const newer = join(directory, 'b.tar.gz');
    writeFileSync(older, '');
    writeFileSync(newer, '');
    writeFileSync(join(directory, 'notes.txt'), '');
    utimesSync(older, 1000, 1000);
    utimesSync(newer, 2000, 2000);
    expect(listModels(directory)).toEqual([newer, older]);
    expect(resolveModelPath(directory)).toBe(newer);
    expect(resolveModelPath(older)).toBe(older);
    expect(resolveModelPath(join(directory, 'missing'))).toBeUndefined();
    expect(() => resolveModelPath(join(directory, 'missing.tar.gz'))).toThrow(/does not exist/);
  });
});

describe('fingerprintProject', () => {
  it('depends on file contents but not on the order files were listed in', () => {
    const a = { path: 'data/nlu.yml', sha256: '1' };
    const b = { path: 'domain.yml', sha256: '2' };
    expect(fingerprintProject([a, b])).toBe(fingerprintProject([b, a]));
    expect(fingerprintProject([a, b])).not.toBe(fingerprintProject([a, { ...b, sha256: '3' }]));
  });
});
