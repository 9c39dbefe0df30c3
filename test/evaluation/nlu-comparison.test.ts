import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nluYaml } from '../../src/evaluation/nlu-comparison.js';
import { readNluData } from '../../src/evaluation/nlu-test-data.js';
import type { NluExample } from '../../src/shared/training-data.js';

describe('nluYaml', () => {
  it('writes examples that read back the same, entities, roles and synonyms included', async () => {
    const examples: NluExample[] = [
      { text: 'fly from berlin to new york', intent: 'book', entities: [
        { entity: 'city', value: 'berlin', start: 9, end: 15, role: 'from' },
        { entity: 'city', value: 'New York City', start: 19, end: 27, role: 'to' },
      ] },
      { text: 'hello: "there"', intent: 'greet', entities: [] },
      { text: 'what is your name', intent: 'chitchat/ask_name', entities: [] },
    ];
    const directory = mkdtempSync(join(tmpdir(), 'parley-nlu-yaml-'));
    try {
      const path = join(directory, 'nlu.yml');
      writeFileSync(path, nluYaml(examples));
      const { nlu } = await readNluData([path], directory);
      expect(nlu.examples.map(({ text, intent, entities }) => ({ text, intent, entities }))).toEqual(examples);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
