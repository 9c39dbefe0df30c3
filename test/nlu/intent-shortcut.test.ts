import { describe, expect, it } from 'vitest';
import { matchIntentShortcut, parseIntentShortcut } from '../../src/nlu/intent-shortcut.js';
import type { ParseResult } from '../../src/shared/nlu.js';
import { capturingLogger, testDomain, WARN } from './helpers.js';

const domain = testDomain(['greet', 'inform', 'buy'], ['city', 'qty']);

const nluResult: ParseResult = {
  text: '/unknown',
  intent: { name: 'greet', confidence: 0.8 },
  entities: [],
  intent_ranking: [{ name: 'greet', confidence: 0.8 }],
};

describe('parseIntentShortcut', () => {
  it('turns /greet into greet with confidence 1.0', () => {
    expect(parseIntentShortcut('/greet', domain)).toEqual({
      text: '/greet',
      intent: { name: 'greet', confidence: 1 },
      entities: [],
      intent_ranking: [{ name: 'greet', confidence: 1 }],
    });
  });

  it('gives entities the offsets of the JSON part and the RegexMessageHandler extractor', () => {
    const result = parseIntentShortcut('/inform{"city":"Paris"}', domain);
    expect(result.entities).toEqual([{ entity: 'city', value: 'Paris', start: 7, end: 23, extractor: 'RegexMessageHandler' }]);
    expect('/inform{"city":"Paris"}'.slice(7, 23)).toBe('{"city":"Paris"}');
  });

  it('reads a confidence and makes one entity per list element', () => {
    const result = parseIntentShortcut('/inform@0.5{"city": ["A", "B"]}', domain);
    expect(result.intent).toEqual({ name: 'inform', confidence: 0.5 });
    expect(result.entities.map((entity) => [entity.value, entity.start, entity.end])).toEqual([
      ['A', 11, 31],
      ['B', 11, 31],
    ]);
  });

  it('keeps numbers as numbers', () => {
    expect(parseIntentShortcut('/buy{"qty": 2}', domain).entities[0].value).toBe(2);
  });

  it('clamps a confidence above 1 and reads an unparsable one as 0', () => {
    expect(parseIntentShortcut('/greet@1.5', domain).intent.confidence).toBe(1);
    expect(parseIntentShortcut('/greet@1.2.3', domain).intent.confidence).toBe(0);
  });

  it('leaves the NLU result unchanged for an intent the domain does not know', () => {
    const { logger, logs } = capturingLogger();
    expect(parseIntentShortcut('/unknown', domain, nluResult, { logger })).toBe(nluResult);
    expect(logs.some((line) => line.level === WARN && line.msg.includes("'unknown'"))).toBe(true);
  });

  it('accepts any intent when no domain is given', () => {
    expect(parseIntentShortcut('/anything', null).intent.name).toBe('anything');
  });

  it('drops entities the domain does not know and ignores non-object JSON', () => {
    expect(parseIntentShortcut('/inform{"city": "Oslo", "planet": "Mars"}', domain).entities.map((e) => e.entity)).toEqual(['city']);
    expect(parseIntentShortcut('/inform{not json}', domain).entities).toEqual([]);
  });

  it('ignores text that is not a shortcut', () => {
    expect(matchIntentShortcut('hello', domain)).toBeNull();
    expect(parseIntentShortcut('hello', domain, nluResult)).toBe(nluResult);
    expect(parseIntentShortcut('hello', domain)).toEqual({ text: 'hello', intent: { name: null, confidence: 0 }, entities: [] });
  });

  it('strips surrounding whitespace before matching', () => {
    expect(parseIntentShortcut('  /greet  ', domain).intent.name).toBe('greet');
  });
});
