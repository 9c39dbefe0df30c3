import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseAnnotatedText } from '../../src/project/index.js';
import { annotate, buildNluYaml } from '../../src/review/nlu-export.js';

describe('annotate', () => {
  it('writes a plain entity as [text](entity)', () => {
    expect(annotate('a table for 4', [{ start: 12, end: 13, entity: 'number', value: '4' }])).toBe('a table for [4](number)');
  });

  it('writes roles, groups and a different value as a JSON annotation', () => {
    const text = 'fly from Berlin to NYC';
    const line = annotate(text, [
      { start: 9, end: 15, entity: 'city', value: 'Berlin', role: 'from' },
      { start: 19, end: 22, entity: 'city', value: 'New York', group: '1' },
    ]);
    expect(line).toBe('fly from [Berlin]{"entity": "city", "role": "from"} to [NYC]{"entity": "city", "value": "New York", "group": "1"}');
    expect(parseAnnotatedText(line)).toEqual({
      text,
      entities: [
        { entity: 'city', value: 'Berlin', start: 9, end: 15, role: 'from' },
        { entity: 'city', value: 'New York', start: 19, end: 22, group: '1' },
      ],
    });
  });
});

describe('buildNluYaml', () => {
  it('writes Rasa 3.x NLU data grouped by intent, version quoted', () => {
    const { yaml, skipped } = buildNluYaml([
      { text: 'hi there', intent: 'greet', entities: [] },
      { text: 'i feel low', intent: 'mood_unhappy', entities: [] },
      { text: 'yo', intent: 'greet', entities: [] },
    ]);
    expect(skipped).toEqual([]);
    expect(yaml).toContain('version: "3.1"');
    expect(parse(yaml)).toEqual({
      version: '3.1',
      nlu: [
        { intent: 'greet', examples: '- hi there\n- yo\n' },
        { intent: 'mood_unhappy', examples: '- i feel low\n' },
      ],
    });
  });

  it('keeps only the latest label of a text', () => {
    const { yaml } = buildNluYaml([
      { text: 'hi there', intent: 'goodbye', entities: [] },
      { text: 'hi there', intent: 'greet', entities: [] },
    ]);
    expect(parse(yaml).nlu).toEqual([{ intent: 'greet', examples: '- hi there\n' }]);
  });

  it('leaves out, with a reason, texts that would not read back as written', () => {
    const { yaml, skipped } = buildNluYaml([
      { text: 'see [this](link)', intent: 'greet', entities: [] },
      { text: 'two\nlines', intent: 'greet', entities: [] },
      { text: '/greet', intent: 'greet', entities: [] },
      { text: ' padded ', intent: 'greet', entities: [] },
      { text: 'fine', intent: 'greet', entities: [] },
    ]);
    expect(parse(yaml).nlu).toEqual([{ intent: 'greet', examples: '- fine\n' }]);
    expect(skipped).toHaveLength(4);
    expect(skipped[0]).toContain('brackets');
  });

  it('writes an empty list when there is nothing to export', () => {
    expect(parse(buildNluYaml([]).yaml)).toEqual({ version: '3.1', nlu: [] });
  });
});
