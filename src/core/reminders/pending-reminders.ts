/**
 * Finds the reminders a stored conversation is still waiting for, so that a restarted server can
 * schedule them again: replays the `reminder`, `cancel_reminder` and user events of the latest
 * session and keeps those that would still fire.
 */
import type { ReminderEvent, TrackerEvent } from '../../shared/events.js';
import { computeAppliedEvents } from '../applied-events.js';
import { cancels, firedReminderName } from './reminder-rules.js';

/** A reminder still to fire and the channel the conversation was using when it was scheduled. */
export interface PendingReminder {
  reminder: ReminderEvent;
  /** `input_channel` of the latest user message before the reminder; null if none. */
  channelName: string | null;
}

/**
 * The reminders of `events` (one conversation's latest session) that would still fire: not
 * replaced, cancelled, killed by a user message, already fired, or undone by a restart.
 * Reminders of earlier sessions never fire (a session start removes them from the applied
 * events), so the latest session is all this needs. Cost: one pass over the events plus one
 * applied-events pass when a reminder is pending.
 */
export function pendingReminders(events: readonly TrackerEvent[]): PendingReminder[] {
  const pending = new Map<string, PendingReminder>();
  let channelName: string | null = null;
  for (const event of events) {
    if (event.event === 'reminder') {
      pending.delete(event.name);
      pending.set(event.name, { reminder: event, channelName });
    } else if (event.event === 'cancel_reminder') {
      for (const [name, entry] of pending) {
        if (cancels(event, entry.reminder)) pending.delete(name);
      }
    } else if (event.event === 'user') {
      if (event.input_channel) channelName = event.input_channel;
      const fired = firedReminderName(event);
      if (fired !== null) pending.delete(fired);
      if (!event.text) continue;
      for (const [name, entry] of pending) {
        if (entry.reminder.kill_on_user_msg) pending.delete(name);
      }
    }
  }
  if (pending.size === 0) return [];
  const appliedNames = new Set<string>();
  for (const event of computeAppliedEvents(events)) {
    if (event.event === 'reminder') appliedNames.add(event.name);
  }
  return [...pending.values()].filter((entry) => appliedNames.has(entry.reminder.name));
}
