import { describe, expect, it } from 'vitest';
import { computeAppliedEvents } from '../../../src/core/applied-events.js';
import { simpleEvent, userUttered } from '../../../src/core/events.js';
import { pendingReminders } from '../../../src/core/reminders/pending-reminders.js';
import { cancels, reminderDueAt, staleReason } from '../../../src/core/reminders/reminder-rules.js';
import { now, type ReminderEvent, type TrackerEvent } from '../../../src/shared/events.js';

function reminder(overrides: Partial<ReminderEvent> = {}): ReminderEvent {
  return {
    event: 'reminder',
    timestamp: now(),
    intent: 'due',
    date_time: '2030-01-01T10:00:00+00:00',
    entities: null,
    name: 'r',
    kill_on_user_msg: true,
    ...overrides,
  };
}

const user = (text: string | null, channel = 'socketio', metadata = {}) => userUttered({ text, inputChannel: channel, metadata });

describe('reminderDueAt', () => {
  it('reads ISO dates with offsets and microseconds, as Rasa SDK sends them', () => {
    expect(reminderDueAt({ date_time: '2030-01-01T10:00:00.123456+02:00' })).toBe(Date.UTC(2030, 0, 1, 8, 0, 0, 123));
  });

  it('reads times without an offset, and bare dates, as local time', () => {
    expect(reminderDueAt({ date_time: '2030-01-01T10:00:00' })).toBe(new Date(2030, 0, 1, 10).getTime());
    expect(reminderDueAt({ date_time: '2030-01-01' })).toBe(new Date(2030, 0, 1).getTime());
  });

  it('returns null for text that is not a date', () => {
    expect(reminderDueAt({ date_time: 'soon' })).toBeNull();
  });
});

describe('cancels', () => {
  const scheduled = { name: 'r', intent: 'due', entities: [{ entity: 'e', value: 1, role: null }] };

  it('matches on every criterion given, ignoring empty ones', () => {
    expect(cancels({ name: 'r', intent: '', entities: [] }, scheduled)).toBe(true);
    expect(cancels({ name: null, intent: 'due', entities: [{ role: null, value: 1, entity: 'e' }] }, scheduled)).toBe(true);
    expect(cancels({ name: 'r', intent: 'other' }, scheduled)).toBe(false);
    expect(cancels({ entities: [{ entity: 'e', value: 2 }] }, scheduled)).toBe(false);
  });

  it('matches everything when no criterion is given', () => {
    expect(cancels({}, scheduled)).toBe(true);
  });
});

describe('staleReason', () => {
  const check = (target: ReminderEvent, events: TrackerEvent[]) => staleReason(target, events, computeAppliedEvents(events));

  it('lets a reminder fire when nothing happened since', () => {
    const set = reminder();
    expect(check(set, [user('hi'), set, user(null)])).toBeNull();
  });

  it('counts any user text after the reminder, and a reminder it cannot find, as a kill', () => {
    const set = reminder();
    expect(check(set, [set, user('hi')])).toBe('user_message_after');
    expect(check(set, [user('hi')])).toBe('user_message_after');
    expect(check(reminder({ kill_on_user_msg: false }), [user('hi')])).toBe('not_applied');
  });

  it('drops a reminder a restart undid', () => {
    const set = reminder({ kill_on_user_msg: false });
    expect(check(set, [set, simpleEvent('restart')])).toBe('not_applied');
  });

  it('recognises the external message of a reminder that already fired', () => {
    const set = reminder({ kill_on_user_msg: false });
    expect(check(set, [set, user('EXTERNAL: due', 'socketio', { is_external: true, reminder_name: 'r' })])).toBe('already_fired');
  });
});

describe('pendingReminders', () => {
  it('keeps the latest reminder of each name with the channel in use when it was set', () => {
    const first = reminder({ date_time: '2030-01-01T10:00:00Z', kill_on_user_msg: false });
    const second = reminder({ date_time: '2030-01-02T10:00:00Z', kill_on_user_msg: false });
    const pending = pendingReminders([user('hi', 'socketio'), first, user('again', 'callback'), second]);
    expect(pending).toEqual([{ reminder: second, channelName: 'callback' }]);
  });

  it('leaves out cancelled, killed, fired and restarted reminders', () => {
    const events: TrackerEvent[] = [
      reminder({ name: 'cancelled', kill_on_user_msg: false }),
      { event: 'cancel_reminder', timestamp: now(), name: 'cancelled', intent: null, entities: null },
      reminder({ name: 'killed' }),
      reminder({ name: 'fired', kill_on_user_msg: false }),
      user('EXTERNAL: due', 'socketio', { is_external: true, reminder_name: 'fired' }),
      reminder({ name: 'kept', kill_on_user_msg: false }),
    ];
    expect(pendingReminders(events).map((entry) => entry.reminder.name)).toEqual(['kept']);
    expect(pendingReminders([...events, simpleEvent('restart')])).toEqual([]);
  });
});
