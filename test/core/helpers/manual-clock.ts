/** A clock for reminder tests: time moves only when the test says so; due timers then run in order. */
import type { ReminderClock, TimerHandle } from '../../../src/core/reminders/reminder-clock.js';

interface Timer {
  id: number;
  dueAt: number;
  callback: () => void;
}

export class ManualClock implements ReminderClock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.#nextId++, dueAt: this.#now + delayMs, callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet run. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, running every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.dueAt);
      due.callback();
    }
    this.#now = target;
  }

  /** An ISO date `ms` from now on this clock, as an action server would send it. */
  isoIn(ms: number): string {
    return new Date(this.#now + ms).toISOString();
  }
}
