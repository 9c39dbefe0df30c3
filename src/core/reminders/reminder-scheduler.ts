/**
 * The reminder scheduler (dialogue-engine §12): one timer per pending reminder, keyed by
 * conversation and reminder name, firing into the current processor through the output channel
 * the conversation used when the reminder was set. `restore()` rebuilds the timers from the
 * tracker store after a restart.
 */
import { createLogger, type Logger } from '../../logger.js';
import type { CancelReminderEvent, ReminderEvent } from '../../shared/events.js';
import type { OutputChannel } from '../../shared/messages.js';
import type { TrackerStore } from '../../stores/types.js';
import type { ReminderScheduler } from '../dialogue-turn.js';
import { pendingReminders } from './pending-reminders.js';
import { MAX_TIMER_DELAY_MS, systemClock, type ReminderClock, type TimerHandle } from './reminder-clock.js';
import { cancels, reminderDueAt, type ReminderOutcome } from './reminder-rules.js';

/** What a fired reminder runs in: the processor (`MessageProcessor.handleReminder`). */
export interface ReminderTarget {
  handleReminder(reminder: ReminderEvent, senderId: string, output: OutputChannel): Promise<ReminderOutcome>;
}

export interface ReminderSchedulerOptions {
  /**
   * The processor to fire into, asked each time a reminder fires (a new model may have been
   * loaded since it was set). Null means no model is loaded: the reminder is dropped and logged.
   */
  target: () => ReminderTarget | null;
  /**
   * The output of a running channel by name (the server's `outputChannel`), asked when a reminder
   * fires. A channel that cannot push (rest) or is gone yields null: the bot still reacts and its
   * tracker is saved, but its messages reach no one.
   * @default () => null
   */
  outputChannel?: (name: string) => OutputChannel | null;
  /** Where `restore()` finds pending reminders. Required for `restore()`. */
  trackerStore?: TrackerStore;
  /** @default the system clock */
  clock?: ReminderClock;
  /** @default a logger writing to stdout (LOG_LEVEL) */
  logger?: Logger;
  /** Conversations `restore()` reads at the same time. @default 8 */
  restoreConcurrency?: number;
}

/** A scheduled reminder, as `jobs()` lists it. */
export interface ScheduledReminder {
  senderId: string;
  reminder: ReminderEvent;
  /** The output channel's name when it was scheduled. */
  channelName: string;
  /** Epoch milliseconds. */
  dueAt: number;
}

interface Job extends ScheduledReminder {
  timer: TimerHandle;
}

/** Schedules reminders on timers in this process. */
export class TimerReminderScheduler implements ReminderScheduler {
  readonly #options: ReminderSchedulerOptions;
  readonly #clock: ReminderClock;
  readonly #logger: Logger;
  /** senderId → reminder name → job. */
  readonly #jobs = new Map<string, Map<string, Job>>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(options: ReminderSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? createLogger()).child({ module: 'reminders' });
  }

  /** Sets a timer for the reminder, replacing one of the same name in this conversation. */
  schedule(reminder: ReminderEvent, senderId: string, output: OutputChannel): void {
    this.#add(reminder, senderId, output.name);
  }

  /** Removes every reminder of the conversation that `cancellation` matches. */
  cancel(cancellation: CancelReminderEvent, senderId: string): void {
    const jobs = this.#jobs.get(senderId);
    if (!jobs) return;
    for (const [name, job] of jobs) {
      if (!cancels(cancellation, job.reminder)) continue;
      this.#clock.clearTimer(job.timer);
      jobs.delete(name);
      this.#logger.debug({ event: 'reminders.cancelled', senderId, name }, `Cancelled the reminder '${name}'.`);
    }
    if (jobs.size === 0) this.#jobs.delete(senderId);
  }

  /** The scheduled reminders, of one conversation or all. */
  jobs(senderId?: string): ScheduledReminder[] {
    const groups = senderId === undefined ? [...this.#jobs.values()] : [this.#jobs.get(senderId) ?? new Map<string, Job>()];
    return groups.flatMap((jobs) => [...jobs.values()].map(({ timer: _timer, ...job }) => job));
  }

  /**
   * Schedules again the reminders stored conversations still wait for (after a restart). Reads
   * every conversation id once and the latest session of each: startup cost grows with the
   * number of stored conversations, never with message traffic. Reminders already due fire at
   * once. A conversation that cannot be read is logged and skipped.
   * @returns how many reminders were scheduled.
   */
  async restore(): Promise<number> {
    const store = this.#options.trackerStore;
    if (!store) throw new Error('TimerReminderScheduler.restore() needs the `trackerStore` option.');
    const senderIds = await store.keys();
    let restored = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < senderIds.length && !this.#closed) {
        const senderId = senderIds[next++];
        try {
          const events = (await store.retrieve(senderId, { allSessions: false })) ?? [];
          for (const { reminder, channelName } of pendingReminders(events)) {
            if (this.#jobs.get(senderId)?.has(reminder.name)) continue;
            if (this.#add(reminder, senderId, channelName ?? 'collector')) restored += 1;
          }
        } catch (error) {
          this.#logger.error(
            { event: 'reminders.restore.failed', senderId, err: error },
            `Could not restore the reminders of a conversation: ${(error as Error).message}`,
          );
        }
      }
    };
    const workers = Math.max(1, Math.min(this.#options.restoreConcurrency ?? 8, senderIds.length));
    await Promise.all(Array.from({ length: workers }, worker));
    this.#logger.info({ event: 'reminders.restored', count: restored, conversations: senderIds.length }, `Restored ${restored} pending reminder(s).`);
    return restored;
  }

  /** Resolves once no reminder is firing (those due meanwhile included). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Stops every timer and waits for reminders that are firing; later schedules are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const jobs of this.#jobs.values()) {
      for (const job of jobs.values()) this.#clock.clearTimer(job.timer);
    }
    this.#jobs.clear();
    await this.idle();
  }

  #add(reminder: ReminderEvent, senderId: string, channelName: string): boolean {
    if (this.#closed) return false;
    const dueAt = reminderDueAt(reminder);
    if (dueAt === null) {
      this.#logger.error(
        { event: 'reminders.date_invalid', senderId, name: reminder.name, dateTime: reminder.date_time },
        `Ignoring the reminder '${reminder.name}': its date_time '${reminder.date_time}' is not a date.`,
      );
      return false;
    }
    let jobs = this.#jobs.get(senderId);
    if (!jobs) {
      jobs = new Map();
      this.#jobs.set(senderId, jobs);
    }
    const previous = jobs.get(reminder.name);
    if (previous) this.#clock.clearTimer(previous.timer);
    const job: Job = { senderId, reminder, channelName, dueAt, timer: undefined };
    jobs.set(reminder.name, job);
    this.#arm(job);
    this.#logger.debug(
      { event: 'reminders.scheduled', senderId, name: reminder.name, dueAt: new Date(dueAt).toISOString(), replaced: previous !== undefined },
      `Scheduled the reminder '${reminder.name}'.`,
    );
    return true;
  }

  /** Long delays are covered in steps, since one Node timer cannot wait longer than ~24.8 days. */
  #arm(job: Job): void {
    const delay = job.dueAt - this.#clock.now();
    if (delay > MAX_TIMER_DELAY_MS) {
      job.timer = this.#clock.setTimer(() => this.#arm(job), MAX_TIMER_DELAY_MS);
    } else {
      job.timer = this.#clock.setTimer(() => this.#fire(job), Math.max(0, delay));
    }
  }

  #fire(job: Job): void {
    const jobs = this.#jobs.get(job.senderId);
    if (jobs?.get(job.reminder.name) !== job) return;
    jobs.delete(job.reminder.name);
    if (jobs.size === 0) this.#jobs.delete(job.senderId);
    const running = this.#run(job).finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  async #run(job: Job): Promise<void> {
    const { senderId, reminder } = job;
    const target = this.#options.target();
    if (!target) {
      this.#logger.warn({ event: 'reminders.no_model', senderId, name: reminder.name }, `Dropped the reminder '${reminder.name}': no model is loaded.`);
      return;
    }
    const output = this.#options.outputChannel?.(job.channelName) ?? discardingOutput(job.channelName);
    try {
      const outcome = await target.handleReminder(reminder, senderId, output);
      this.#logger.debug({ event: 'reminders.handled', senderId, name: reminder.name, outcome }, `The reminder '${reminder.name}' was handled: ${outcome}.`);
    } catch (error) {
      this.#logger.error(
        { event: 'reminders.failed', senderId, name: reminder.name, err: error },
        `The reminder '${reminder.name}' failed: ${(error as Error).message}`,
      );
    }
  }
}

/**
 * Builds the scheduler. Create one per server (not per model) and pass it to every agent as
 * `reminders`, then call `restore()` once at startup.
 * @example
 * const reminders = createReminderScheduler({
 *   target: () => holder.agent?.processor ?? null,
 *   outputChannel: (name) => server.outputChannel(name),
 *   trackerStore,
 * });
 * await reminders.restore();
 */
export function createReminderScheduler(options: ReminderSchedulerOptions): TimerReminderScheduler {
  return new TimerReminderScheduler(options);
}

/**
 * Stands in for a channel that cannot push: keeps the channel's name, so response variations for
 * that channel are still chosen, and sends nothing.
 */
function discardingOutput(name: string): OutputChannel {
  return { name, sendResponse: async () => {} };
}
