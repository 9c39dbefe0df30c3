/** The time source and timers the reminder scheduler uses; tests swap in a manual clock. */

/** An opaque handle of a started timer. */
export type TimerHandle = unknown;

export interface ReminderClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs` (never more than {@link MAX_TIMER_DELAY_MS}). */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Node's timers overflow (and fire at once) above 2^31 − 1 ms, about 24.8 days. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * The wall clock with Node timers. Timers are unref'd: a pending reminder alone does not keep
 * the process alive (the server's socket does).
 */
export const systemClock: ReminderClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
