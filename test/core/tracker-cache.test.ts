import { describe, expect, it } from 'vitest';
import { TrackerCache } from '../../src/core/tracker-cache.js';
import { DialogueStateTracker } from '../../src/core/tracker.js';

const entry = (senderId: string, storedEvents = 3) => ({ tracker: new DialogueStateTracker(senderId, []), storedEvents });

describe('TrackerCache', () => {
  it('hands an entry out once: a tracker in use is not in the cache', () => {
    const cache = new TrackerCache(2);
    const kept = entry('a');
    cache.put('a', kept);
    expect(cache.take('a')).toBe(kept);
    expect(cache.take('a')).toBeUndefined();
  });

  it('drops the least recently used conversation beyond its capacity', () => {
    const cache = new TrackerCache(2);
    cache.put('a', entry('a'));
    cache.put('b', entry('b'));
    cache.put('a', entry('a', 5));
    cache.put('c', entry('c'));
    expect(cache.size).toBe(2);
    expect(cache.take('b')).toBeUndefined();
    expect(cache.take('a')?.storedEvents).toBe(5);
    expect(cache.take('c')).toBeDefined();
  });

  it('keeps nothing with capacity 0 and refuses a negative or fractional size', () => {
    const cache = new TrackerCache(0);
    cache.put('a', entry('a'));
    expect(cache.take('a')).toBeUndefined();
    expect(() => new TrackerCache(-1)).toThrow(RangeError);
    expect(() => new TrackerCache(1.5)).toThrow(RangeError);
  });
});
