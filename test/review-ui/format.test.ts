import { describe, expect, it } from 'vitest';
import { count, formatCreated, formatTime, headline, percent, policyLabel, valueText } from '../../review-ui/src/format.js';

describe('format helpers', () => {
  it('shows confidences as percentages that never round to 0 or 100 when they are not', () => {
    expect(percent(0.623)).toBe('62%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.9996)).toBe('99.9%');
    expect(percent(0.004)).toBe('0.4%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('–');
  });

  it('drops the ensemble prefix of policy names', () => {
    expect(policyLabel('policy_2_RulePolicy')).toBe('RulePolicy');
    expect(policyLabel('MemoizationPolicy')).toBe('MemoizationPolicy');
    expect(policyLabel(null)).toBe('no policy');
  });

  it('formats tracker seconds and ISO creation times alike', () => {
    const expected = formatTime(1_700_000_000, 'en-GB', 'UTC');
    expect(expected).toBe('14 Nov 2023, 22:13');
    expect(formatCreated('2023-11-14T22:13:20Z', 'en-GB', 'UTC')).toBe(expected);
    expect(formatCreated(1_700_000_000, 'en-GB', 'UTC')).toBe(expected);
    expect(formatTime(null)).toBe('');
  });

  it('writes values and counts as text', () => {
    expect(valueText('Berlin')).toBe('Berlin');
    expect(valueText({ a: 1 })).toBe('{"a":1}');
    expect(count(1, 'message')).toBe('1 message');
    expect(count(2, 'message')).toBe('2 messages');
  });

  it('names a conversation by its first message, or its last when the first was a page-sent /intent', () => {
    expect(headline('hello there', 'bye')).toBe('hello there');
    expect(headline('/greet', 'I am sad')).toBe('I am sad');
    expect(headline(null, null)).toBe('(no user message)');
  });
});
