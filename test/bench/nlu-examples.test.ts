import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotate, parseAnnotated, readNluExamples, writeNluOnlyProject } from '../../bench/lib/nlu-examples.mjs';

describe('NLU examples of the benchmarks', () => {
  it('turns annotations into entity spans, with synonyms as values', () => {
    expect(parseAnnotated('play [adele](artist) in the [living room](room:lounge)')).toEqual({
      text: 'play adele in the living room',
      entities: [
        { entity: 'artist', value: 'adele', start: 5, end: 10 },
        { entity: 'room', value: 'lounge', start: 18, end: 29 },
      ],
    });
  });

  it('writes back the annotation it read', () => {
    for (const line of ['play [adele](artist) now', 'to the [living room](room:lounge)', 'no entities here']) {
      expect(annotate(parseAnnotated(line))).toBe(line);
    }
  });

  it('reads the examples of intents only, in file order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-nlu-examples-'));
    try {
      const file = join(dir, 'nlu.yml');
      writeFileSync(
        file,
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello [Ann](name)\n- synonym: lounge\n  examples: |\n    - living room\n- intent: bye\n  examples: |\n    - bye\n',
      );
      expect(readNluExamples(file)).toEqual([
        { intent: 'greet', text: 'hi', entities: [] },
        { intent: 'greet', text: 'hello Ann', entities: [{ entity: 'name', value: 'Ann', start: 6, end: 9 }] },
        { intent: 'bye', text: 'bye', entities: [] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeNluOnlyProject', () => {
  it('writes nlu.yml grouped by intent, the default pipeline and a domain of the intents and entities', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'parley-nlu-project-')), 'project');
    try {
      const examples = [
        { intent: 'greet', ...parseAnnotated('hi [Ann](name)') },
        { intent: 'bye', ...parseAnnotated('bye') },
        { intent: 'greet', ...parseAnnotated('hello') },
      ];
      expect(writeNluOnlyProject(root, examples)).toBe(root);
      expect(readNluExamples(join(root, 'data', 'nlu.yml'))).toEqual([examples[0], examples[2], examples[1]]);
      expect(readFileSync(join(root, 'config.yml'), 'utf8')).toBe('recipe: default.v1\nlanguage: en\npipeline:\npolicies:\n');
      expect(readFileSync(join(root, 'domain.yml'), 'utf8')).toBe('version: "3.1"\nintents:\n  - "greet"\n  - "bye"\nentities:\n  - "name"\n');
      writeNluOnlyProject(root, [examples[1]], { entities: [] });
      expect(readFileSync(join(root, 'domain.yml'), 'utf8')).toBe('version: "3.1"\nintents:\n  - "bye"\nentities:\n  []\n');
    } finally {
      rmSync(join(root, '..'), { recursive: true, force: true });
    }
  });
});
