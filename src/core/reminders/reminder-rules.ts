/**
 * Pure rules about reminders (dialogue-engine §12): when one is due, which scheduled reminders a
 * `cancel_reminder` event cancels, and whether a conversation still wants a reminder to fire.
 */
import type { CancelReminderEvent, ReminderEvent, TrackerEvent } from '../../shared/events.js';
import { jsonWithSortedKeys, pythonTruthy } from '../python-values.js';

/**
 * Metadata key Parley adds to the external user message a reminder injects, naming the reminder.
 * It lets a restarted server tell a reminder that already fired from one still pending.
 */
export const FIRED_REMINDER_METADATA_KEY = 'reminder_name';

/** What identifies a scheduled reminder for cancellation. */
export interface ReminderIdentity {
  name: string;
  intent: string;
  entities: unknown;
}

/**
 * When the reminder is due, in epoch milliseconds, or null if `date_time` is not a date.
 * Times without an offset are local time, as Python's `dateutil` reads them; a bare date means
 * local midnight.
 */
export function reminderDueAt(reminder: Pick<ReminderEvent, 'date_time'>): number | null {
  const text = reminder.date_time.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const millis = Date.parse(dateOnly ? `${text}T00:00:00` : text);
  return Number.isFinite(millis) ? millis : null;
}

/**
 * Whether `cancellation` cancels the reminder: every criterion it gives (name, intent, entities)
 * must match; one that gives none cancels every reminder of the conversation. Entities compare as
 * JSON with sorted keys (Rasa compares `str(entities)`, which also depends on key order).
 */
export function cancels(cancellation: Pick<CancelReminderEvent, 'name' | 'intent' | 'entities'>, reminder: ReminderIdentity): boolean {
  if (pythonTruthy(cancellation.name) && cancellation.name !== reminder.name) return false;
  if (pythonTruthy(cancellation.intent) && cancellation.intent !== reminder.intent) return false;
  if (pythonTruthy(cancellation.entities) && jsonWithSortedKeys(cancellation.entities) !== jsonWithSortedKeys(reminder.entities ?? null)) {
    return false;
  }
  return true;
}

/** Why a due reminder does not fire, or null when it should. */
export type StaleReason = 'user_message_after' | 'not_applied' | 'already_fired';

/**
 * Rasa's checks when a reminder fires, plus one of Parley's: it is dropped when
 * `kill_on_user_msg` is set and the user said something (a user event with text) since it was
 * scheduled — or it cannot be found, the tracker having been restarted; when it is no longer in
 * the applied events (a restart or a new session came after it); or when its external message is
 * already logged (another server, or this one before a restart, fired it).
 * @param events the conversation's events (at least its latest session).
 * @param appliedEvents the applied events of the same tracker.
 */
export function staleReason(
  reminder: ReminderEvent,
  events: readonly TrackerEvent[],
  appliedEvents: readonly TrackerEvent[],
): StaleReason | null {
  let userSpokeSince = false;
  let found = false;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.event === 'reminder' && event.name === reminder.name) {
      found = true;
      break;
    }
    if (event.event !== 'user') continue;
    if (firedReminderName(event) === reminder.name) return 'already_fired';
    if (event.text) userSpokeSince = true;
  }
  if (reminder.kill_on_user_msg && (userSpokeSince || !found)) return 'user_message_after';
  const applied = appliedEvents.some((event) => event.event === 'reminder' && event.name === reminder.name);
  return applied ? null : 'not_applied';
}

/** The reminder a user event was injected for, if it is a reminder's external message. */
export function firedReminderName(event: TrackerEvent): string | null {
  if (event.event !== 'user' || event.metadata?.is_external !== true) return null;
  const name = event.metadata[FIRED_REMINDER_METADATA_KEY];
  return typeof name === 'string' ? name : null;
}

/** What became of a reminder when its time came. */
export type ReminderOutcome = 'fired' | StaleReason;
