import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filterQuery, formatLocation, hasFilters, parseLocation } from '../../review-ui/src/filters.js';

describe('filterQuery', () => {
  it('leaves out empty filters', () => {
    expect(filterQuery(EMPTY_FILTERS).toString()).toBe('');
  });

  it('writes the API parameters of the review contract', () => {
    const query = filterQuery({ q: '  sad ', intent: 'mood_unhappy', action: 'utter_cheer_up', maxConfidence: 0.5, fallback: true });
    expect(Object.fromEntries(query)).toEqual({ q: 'sad', intent: 'mood_unhappy', action: 'utter_cheer_up', max_confidence: '0.5', fallback: 'true' });
  });
});

describe('page location in the URL fragment', () => {
  it('round-trips filters and the open conversation', () => {
    const location = { filters: { q: 'a & b', intent: 'greet', action: '', maxConfidence: 0.7, fallback: true }, conversation: 'id with space' };
    const hash = formatLocation(location);
    expect(hash.startsWith('#')).toBe(true);
    expect(parseLocation(hash)).toEqual(location);
  });

  it('is empty for the plain list and reads back as no filters', () => {
    expect(formatLocation({ filters: EMPTY_FILTERS, conversation: null })).toBe('');
    expect(parseLocation('')).toEqual({ filters: EMPTY_FILTERS, conversation: null });
  });

  it('ignores a confidence outside (0, 1] and unknown keys', () => {
    expect(parseLocation('#max_confidence=7&colour=red').filters).toEqual(EMPTY_FILTERS);
  });

  it('knows when any filter is set', () => {
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, q: '  ' })).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, fallback: true })).toBe(true);
  });
});
