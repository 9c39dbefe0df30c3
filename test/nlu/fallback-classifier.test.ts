import { describe, expect, it } from 'vitest';
import { applyFallback } from '../../src/nlu/fallback-classifier.js';
import { createMessage } from '../../src/nlu/message.js';

const settings = { threshold: 0.3, ambiguityThreshold: 0.1 };

function messageWith(ranking: Array<[string, number]>) {
  const message = createMessage('text');
  message.intentRanking = ranking.map(([name, confidence]) => ({ name, confidence }));
  message.intent = message.intentRanking[0] ?? { name: null, confidence: 0 };
  return message;
}

describe('applyFallback', () => {
  it('predicts nlu_fallback at the threshold when the top two are too close, keeping the ranking', () => {
    const message = messageWith([
      ['greet', 0.45],
      ['goodbye', 0.4],
    ]);
    applyFallback(message, settings);
    expect(message.intent).toEqual({ name: 'nlu_fallback', confidence: 0.3 });
    expect(message.intentRanking).toEqual([
      { name: 'nlu_fallback', confidence: 0.3 },
      { name: 'greet', confidence: 0.45 },
      { name: 'goodbye', confidence: 0.4 },
    ]);
  });

  it('predicts nlu_fallback when the top confidence is below the threshold', () => {
    const message = messageWith([
      ['greet', 0.29],
      ['goodbye', 0.01],
    ]);
    applyFallback(message, settings);
    expect(message.intent?.name).toBe('nlu_fallback');
  });

  it('keeps a confident, unambiguous prediction', () => {
    const message = messageWith([
      ['greet', 0.5],
      ['goodbye', 0.39],
    ]);
    applyFallback(message, settings);
    expect(message.intent).toEqual({ name: 'greet', confidence: 0.5 });
    expect(message.intentRanking).toHaveLength(2);
  });

  it('treats a message without any intent as below the threshold', () => {
    const message = createMessage('text');
    applyFallback(message, settings);
    expect(message.intent).toEqual({ name: 'nlu_fallback', confidence: 0.3 });
    expect(message.intentRanking).toEqual([{ name: 'nlu_fallback', confidence: 0.3 }]);
  });
});
