import { describe, expect, it } from 'vitest';
import { ReplayTracker } from '../../../src/core/policies/replay-tracker.js';
import type { TrackerEvent } from '../../../src/shared/events.js';
import { buildDomain } from './helpers/fixture-bot.js';
import { action, userEvent } from './helpers/conversation.js';

const domain = buildDomain({
  intents: ['greet'],
  slots: { tags: { type: 'list', mappings: [{ type: 'custom' }] } },
  forms: { some_form: { required_slots: [] } },
});

describe('ReplayTracker', () => {
  it('replays slots, the latest message, the latest action and the loop flags', () => {
    const tracker = new ReplayTracker('rule', domain);
    const events: TrackerEvent[] = [
      action('action_listen'),
      userEvent('greet'),
      { event: 'slot', timestamp: 1, name: 'tags', value: 'a' },
      { event: 'active_loop', timestamp: 1, name: 'some_form' },
      { event: 'action_execution_rejected', timestamp: 1, name: 'some_form', policy: null, confidence: null },
    ];
    for (const event of events) tracker.update(event);
    expect(tracker.slots.tags).toEqual(['a']);
    expect(tracker.latestMessage?.intent.name).toBe('greet');
    expect(tracker.latestActionName).toBe('action_listen');
    expect(tracker.activeLoop).toMatchObject({ name: 'some_form', rejected: true });
    tracker.update(action('utter_x'));
    expect(tracker.activeLoop?.rejected).toBe(true);
    tracker.update(action('some_form'));
    expect(tracker.activeLoop?.rejected).toBe(false);
    expect(tracker.appliedEvents).toHaveLength(7);
  });
});
