import { describe, expect, it } from 'vitest';
import { countTrackerStoreErrors } from '../../src/observability/instrumented-tracker-store.js';
import { createServerMetrics } from '../../src/observability/server-metrics.js';
import type { TrackerStore } from '../../src/stores/types.js';

function store(fail: boolean, withCount: boolean): TrackerStore {
  const failing = async () => {
    if (fail) throw new Error('store down');
    return undefined;
  };
  const base: TrackerStore = {
    type: 'test',
    retrieve: failing as TrackerStore['retrieve'],
    append: failing as TrackerStore['append'],
    keys: async () => [],
    close: async () => {},
  };
  if (withCount) base.eventCount = async () => (fail ? Promise.reject(new Error('store down')) : 3);
  return base;
}

describe('countTrackerStoreErrors', () => {
  it('counts each failing operation and rethrows the error unchanged', async () => {
    const metrics = createServerMetrics();
    const counted = countTrackerStoreErrors(store(true, true), metrics);
    await expect(counted.retrieve('u')).rejects.toThrow('store down');
    await expect(counted.append('u', [])).rejects.toThrow('store down');
    await expect(counted.append('u', [])).rejects.toThrow('store down');
    await expect(counted.eventCount!('u')).rejects.toThrow('store down');
    expect(metrics.trackerStoreErrors.value({ operation: 'retrieve' })).toBe(1);
    expect(metrics.trackerStoreErrors.value({ operation: 'append' })).toBe(2);
    expect(metrics.trackerStoreErrors.value({ operation: 'event_count' })).toBe(1);
  });

  it('passes results through and keeps eventCount optional', async () => {
    const metrics = createServerMetrics();
    expect(await countTrackerStoreErrors(store(false, true), metrics).eventCount!('u')).toBe(3);
    expect(countTrackerStoreErrors(store(false, false), metrics).eventCount).toBeUndefined();
    expect(countTrackerStoreErrors(store(false, false), metrics).type).toBe('test');
    expect(metrics.registry.render()).not.toMatch(/parley_tracker_store_errors_total\{/);
  });
});
