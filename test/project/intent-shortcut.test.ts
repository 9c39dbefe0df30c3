import { describe, expect, it } from 'vitest';
import { parseIntentShortcut } from '../../src/project/intent-shortcut.js';

describe('parseIntentShortcut', () => {
  it('reads a bare intent with full confidence', () => {
    expect(parseIntentShortcut('/greet')).toEqual({ intent: 'greet', confidence: 1, entities: [], problem: null });
  });

  it('gives entities the offsets of the JSON part', () => {
    expect(parseIntentShortcut('/inform{"city": "Paris"}')?.entities).toEqual([
      { entity: 'city', value: 'Paris', start: 7, end: 24 },
    ]);
  });

  it('turns a list value into one entity per item', () => {
    expect(parseIntentShortcut('/order{"topping": ["ham", "olives"]}')?.entities.map((entity) => entity.value)).toEqual([
      'ham',
      'olives',
    ]);
  });

  it('reads a confidence and caps it at 1', () => {
    expect(parseIntentShortcut('/greet@0.4')?.confidence).toBe(0.4);
    const capped = parseIntentShortcut('/greet@1.5');
    expect(capped?.confidence).toBe(1);
    expect(capped?.problem).toContain('from 0 to 1');
  });

  it('keeps the intent but reports entities that are not a JSON object', () => {
    const shortcut = parseIntentShortcut('/inform{city: Paris}');
    expect(shortcut?.intent).toBe('inform');
    expect(shortcut?.entities).toEqual([]);
    expect(shortcut?.problem).toContain('not a JSON object');
  });

  it('returns null for ordinary text', () => {
    expect(parseIntentShortcut('hello')).toBeNull();
    expect(parseIntentShortcut('/')).toBeNull();
  });
});
