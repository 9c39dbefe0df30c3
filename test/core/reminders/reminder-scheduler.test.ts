import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseActionEndpoint } from '../../../src/core/actions/action-server.js';
import { simpleEvent } from '../../../src/core/events.js';
import { MessageProcessor } from '../../../src/core/processor.js';
import { createReminderScheduler, type TimerReminderScheduler } from '../../../src/core/reminders/reminder-scheduler.js';
import type { ReminderOutcome } from '../../../src/core/reminders/reminder-rules.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import type { Domain } from '../../../src/shared/domain.js';
import { now, type CancelReminderEvent, type ReminderEvent, type TrackerEvent } from '../../../src/shared/events.js';
import { MemoryLockStore } from '../../../src/stores/memory-lock-store.js';
import { MemoryTrackerStore } from '../../../src/stores/memory-tracker-store.js';
import { startActionServer, type ActionServer } from '../helpers/action-server.js';
import { domainFromYaml } from '../helpers/domain.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { capturingLogger, CollectingOutput, ruleLikePolicies, scriptedInterpreter } from '../helpers/scripted.js';

const DOMAIN_YAML = `
version: "3.1"
intents: [greet, remind_me, reminder_due, other_due]
entities: [name]
slots:
  name:
    type: text
    mappings:
    - type: from_entity
      entity: name
responses:
  utter_greet:
  - text: "Hello"
  utter_reminder:
  - text: "Time to stretch, {name}!"
  utter_other:
  - text: "The other reminder"
actions:
  - action_set_reminder
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
`;

const MINUTE = 60_000;

let domain: Domain;
let actionServer: ActionServer;
/** What `action_set_reminder` returns next (set per test). */
let reminderFromAction: Record<string, unknown> = {};

beforeAll(async () => {
  domain = await domainFromYaml(DOMAIN_YAML);
  actionServer = await startActionServer({ action_set_reminder: () => ({ events: [reminderFromAction] }) });
  return () => actionServer.close();
});

const schedulers: TimerReminderScheduler[] = [];
afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.close();
});

interface World {
  processor: MessageProcessor;
  scheduler: TimerReminderScheduler;
  socket: CollectingOutput;
  outcomes: ReminderOutcome[];
  send(text: string, senderId?: string): Promise<void>;
  stored(senderId?: string): Promise<TrackerEvent[]>;
}

/** A processor and scheduler sharing `store`; the running `socketio` channel records what it is sent. */
function world(clock: ManualClock, store = new MemoryTrackerStore(), logger: Logger = silentLogger()): World {
  const socket = new CollectingOutput('socketio');
  const outcomes: ReminderOutcome[] = [];
  let processor: MessageProcessor | null = null;
  const scheduler = createReminderScheduler({
    target: () =>
      processor && {
        handleReminder: async (reminder, senderId, output) => {
          const outcome = await (processor as MessageProcessor).handleReminder(reminder, senderId, output);
          outcomes.push(outcome);
          return outcome;
        },
      },
    outputChannel: (name) => (name === 'socketio' ? socket : null),
    trackerStore: store,
    clock,
    logger,
  });
  schedulers.push(scheduler);
  processor = new MessageProcessor({
    domain,
    interpreter: scriptedInterpreter(),
    policies: ruleLikePolicies(domain, {
      afterIntent: { greet: 'utter_greet', remind_me: 'action_set_reminder', reminder_due: 'utter_reminder', other_due: 'utter_other' },
    }),
    trackerStore: store,
    lockStore: new MemoryLockStore(),
    actionEndpoint: parseActionEndpoint({ url: actionServer.url }),
    logger,
    reminders: scheduler,
  });
  return {
    processor,
    scheduler,
    socket,
    outcomes,
    send: (text, senderId = 'ann') =>
      (processor as MessageProcessor).handleMessage({ text, senderId, inputChannel: 'socketio', output: socket }),
    stored: async (senderId = 'ann') => (await store.retrieve(senderId, { allSessions: true })) ?? [],
  };
}

function reminder(clock: ManualClock, overrides: Partial<ReminderEvent> = {}): ReminderEvent {
  return {
    event: 'reminder',
    timestamp: now(),
    intent: 'reminder_due',
    date_time: clock.isoIn(MINUTE),
    entities: [{ entity: 'name', value: 'Ann' }],
    name: 'stretch',
    kill_on_user_msg: true,
    ...overrides,
  };
}

function cancellation(criteria: Partial<CancelReminderEvent>): CancelReminderEvent {
  return { event: 'cancel_reminder', timestamp: now(), name: null, intent: null, entities: null, ...criteria };
}

/** Sets reminders on a conversation of the socketio channel, as `POST …/tracker/events?execute_side_effects=true` does. */
async function addWithSideEffects(w: World, events: TrackerEvent[], senderId = 'ann'): Promise<void> {
  await w.processor.addEvents(senderId, events, { output: w.socket, executeSideEffects: true });
}

async function advance(clock: ManualClock, w: World, ms: number): Promise<void> {
  clock.advance(ms);
  await w.scheduler.idle();
}

describe('reminders set by actions', () => {
  it('fires as an external message, fills slots from its entities and answers on the remembered channel', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    reminderFromAction = { ...reminder(clock), timestamp: undefined };
    await w.send('/remind_me');
    expect(w.scheduler.jobs('ann')).toMatchObject([{ channelName: 'socketio', reminder: { name: 'stretch' } }]);

    await advance(clock, w, MINUTE - 1);
    expect(w.socket.texts).toEqual([]);
    await advance(clock, w, 1);

    expect(w.outcomes).toEqual(['fired']);
    expect(w.socket.messages).toEqual([{ recipientId: 'ann', message: expect.objectContaining({ text: 'Time to stretch, Ann!' }) }]);
    const external = (await w.stored()).find((event) => event.event === 'user' && event.text === 'EXTERNAL: reminder_due');
    expect(external).toMatchObject({
      input_channel: 'socketio',
      metadata: { is_external: true, reminder_name: 'stretch' },
      parse_data: { intent: { name: 'reminder_due' }, entities: [{ entity: 'name', value: 'Ann' }] },
    });
    expect(w.scheduler.jobs()).toEqual([]);
  });

  it('gives a reminder without a name a generated one', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    reminderFromAction = { event: 'reminder', intent: 'reminder_due', date_time: clock.isoIn(MINUTE) };
    await w.send('/remind_me');
    const [job] = w.scheduler.jobs('ann');
    expect(job.reminder.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.reminder.kill_on_user_msg).toBe(true);
  });
});

describe('scheduling', () => {
  it('replaces a reminder of the same name in the same conversation, and only there', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await addWithSideEffects(w, [reminder(clock, { date_time: clock.isoIn(MINUTE) })]);
    await addWithSideEffects(w, [reminder(clock, { date_time: clock.isoIn(5 * MINUTE), kill_on_user_msg: false })]);
    await addWithSideEffects(w, [reminder(clock, { date_time: clock.isoIn(2 * MINUTE) })], 'bob');
    expect(w.scheduler.jobs('ann')).toHaveLength(1);
    expect(w.scheduler.jobs('bob')).toHaveLength(1);

    await advance(clock, w, 3 * MINUTE);
    expect(w.socket.messages.map((entry) => entry.recipientId)).toEqual(['bob']);
    await advance(clock, w, 2 * MINUTE);
    expect(w.socket.messages.map((entry) => entry.recipientId)).toEqual(['bob', 'ann']);
  });

  it('drops a reminder when the user writes before it is due (kill_on_user_msg)', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await addWithSideEffects(w, [reminder(clock)]);
    await w.send('/greet');
    await advance(clock, w, MINUTE);
    expect(w.outcomes).toEqual(['user_message_after']);
    expect(w.socket.texts).toEqual(['Hello']);
  });

  it('keeps a reminder with kill_on_user_msg false when the user writes', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await addWithSideEffects(w, [reminder(clock, { kill_on_user_msg: false })]);
    await w.send('/greet');
    await advance(clock, w, MINUTE);
    expect(w.outcomes).toEqual(['fired']);
    expect(w.socket.texts).toEqual(['Hello', 'Time to stretch, Ann!']);
  });

  it('does not fire a reminder after the conversation was restarted', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await addWithSideEffects(w, [reminder(clock, { kill_on_user_msg: false })]);
    await w.processor.addEvents('ann', [simpleEvent('restart')]);
    await advance(clock, w, MINUTE);
    expect(w.outcomes).toEqual(['not_applied']);
    expect(w.socket.texts).toEqual([]);
    expect((await w.stored()).some((event) => event.event === 'user')).toBe(false);
  });

  it('fires a reminder due later than one Node timer can wait (24.8 days)', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    const day = 24 * 60 * MINUTE;
    await addWithSideEffects(w, [reminder(clock, { date_time: clock.isoIn(40 * day), kill_on_user_msg: false })]);
    await advance(clock, w, 39 * day);
    expect(w.outcomes).toEqual([]);
    await advance(clock, w, day);
    expect(w.outcomes).toEqual(['fired']);
  });

  it('logs and ignores a reminder whose date_time is not a date', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const w = world(clock, new MemoryTrackerStore(), logger);
    await addWithSideEffects(w, [reminder(clock, { date_time: 'next tuesday-ish' })]);
    expect(w.scheduler.jobs()).toEqual([]);
    expect(lines().find((line) => line.event === 'reminders.date_invalid')).toMatchObject({ senderId: 'ann', name: 'stretch' });
  });

  it('drops a reminder that falls due while no model is loaded, with a warning', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const scheduler = createReminderScheduler({ target: () => null, clock, logger });
    schedulers.push(scheduler);
    scheduler.schedule(reminder(clock), 'ann', new CollectingOutput('socketio'));
    clock.advance(MINUTE);
    await scheduler.idle();
    expect(scheduler.jobs()).toEqual([]);
    expect(lines().some((line) => line.event === 'reminders.no_model')).toBe(true);
  });

  it('keeps the remembered channel name when that channel cannot push, so the bot still reacts', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await w.processor.addEvents('ann', [reminder(clock)], { output: new CollectingOutput('rest'), executeSideEffects: true });
    expect(w.scheduler.jobs('ann')[0].channelName).toBe('rest');
    await advance(clock, w, MINUTE);
    expect(w.outcomes).toEqual(['fired']);
    expect(w.socket.texts).toEqual([]);
    expect((await w.stored()).some((event) => event.event === 'bot' && event.text === 'Time to stretch, Ann!')).toBe(true);
  });
});

describe('cancel_reminder', () => {
  async function threeReminders(clock: ManualClock, w: World): Promise<void> {
    await addWithSideEffects(w, [
      reminder(clock, { name: 'a', intent: 'reminder_due', entities: [{ entity: 'name', value: 'Ann' }] }),
      reminder(clock, { name: 'b', intent: 'reminder_due', entities: [{ entity: 'name', value: 'Bea' }] }),
      reminder(clock, { name: 'c', intent: 'other_due', entities: null }),
    ]);
    await addWithSideEffects(w, [reminder(clock, { name: 'a' })], 'bob');
  }
  const names = (w: World, senderId = 'ann') => w.scheduler.jobs(senderId).map((job) => job.reminder.name).sort();

  it('cancels by name', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await threeReminders(clock, w);
    await addWithSideEffects(w, [cancellation({ name: 'a' })]);
    expect(names(w)).toEqual(['b', 'c']);
    expect(names(w, 'bob')).toEqual(['a']);
  });

  it('cancels by intent', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await threeReminders(clock, w);
    await addWithSideEffects(w, [cancellation({ intent: 'reminder_due' })]);
    expect(names(w)).toEqual(['c']);
  });

  it('cancels by intent and entities together', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await threeReminders(clock, w);
    await addWithSideEffects(w, [cancellation({ intent: 'reminder_due', entities: [{ value: 'Bea', entity: 'name' }] })]);
    expect(names(w)).toEqual(['a', 'c']);
  });

  it('cancels every reminder of the conversation when given no criteria, and nothing elsewhere', async () => {
    const clock = new ManualClock();
    const w = world(clock);
    await threeReminders(clock, w);
    await addWithSideEffects(w, [cancellation({})]);
    expect(names(w)).toEqual([]);
    expect(names(w, 'bob')).toEqual(['a']);
    await advance(clock, w, MINUTE);
    expect(w.socket.messages.map((entry) => entry.recipientId)).toEqual(['bob']);
  });
});

describe('surviving a restart', () => {
  it('rebuilds pending reminders from the tracker store and fires them on the remembered channel', async () => {
    const clock = new ManualClock();
    const store = new MemoryTrackerStore();
    const before = world(clock, store);
    await before.send('/greet');
    await addWithSideEffects(before, [
      reminder(clock, { name: 'pending', date_time: clock.isoIn(10 * MINUTE) }),
      reminder(clock, { name: 'cancelled' }),
      cancellation({ name: 'cancelled' }),
    ]);
    await addWithSideEffects(before, [reminder(clock, { name: 'killed' })], 'bob');
    await before.send('/greet', 'bob');
    await addWithSideEffects(before, [reminder(clock, { name: 'restarted', kill_on_user_msg: false }), simpleEvent('restart')], 'cem');
    await before.scheduler.close();

    const after = world(clock, store);
    expect(await after.scheduler.restore()).toBe(1);
    expect(after.scheduler.jobs()).toMatchObject([{ senderId: 'ann', channelName: 'socketio', reminder: { name: 'pending' } }]);
    await advance(clock, after, 10 * MINUTE);
    expect(after.outcomes).toEqual(['fired']);
    expect(after.socket.messages).toEqual([{ recipientId: 'ann', message: expect.objectContaining({ text: 'Time to stretch, Ann!' }) }]);
  });

  it('fires at once a restored reminder that fell due while the server was down', async () => {
    const clock = new ManualClock();
    const store = new MemoryTrackerStore();
    const before = world(clock, store);
    await before.send('/greet');
    await addWithSideEffects(before, [reminder(clock)]);
    await before.scheduler.close();

    clock.advance(60 * MINUTE);
    const after = world(clock, store);
    await after.scheduler.restore();
    await advance(clock, after, 0);
    expect(after.outcomes).toEqual(['fired']);
  });

  it('does not fire again a reminder that fired before the restart', async () => {
    const clock = new ManualClock();
    const store = new MemoryTrackerStore();
    const before = world(clock, store);
    await before.send('/greet');
    await addWithSideEffects(before, [reminder(clock, { kill_on_user_msg: false })]);
    await advance(clock, before, MINUTE);
    expect(before.outcomes).toEqual(['fired']);
    await before.scheduler.close();

    const after = world(clock, store);
    expect(await after.scheduler.restore()).toBe(0);
    // A second server that scheduled it too (e.g. restored earlier) finds it fired and stays quiet.
    after.scheduler.schedule(reminder(clock, { kill_on_user_msg: false, date_time: clock.isoIn(0) }), 'ann', after.socket);
    await advance(clock, after, 0);
    expect(after.outcomes).toEqual(['already_fired']);
    expect(after.socket.texts).toEqual([]);
  });

  it('skips a conversation it cannot read and restores the others', async () => {
    const clock = new ManualClock();
    const store = new MemoryTrackerStore();
    const before = world(clock, store);
    await addWithSideEffects(before, [reminder(clock)]);
    await before.scheduler.close();
    const failing = Object.assign(Object.create(store) as MemoryTrackerStore, {
      keys: async () => ['broken', 'ann'],
      retrieve: async (senderId: string, options?: { allSessions?: boolean }) => {
        if (senderId === 'broken') throw new Error('connection reset');
        return store.retrieve(senderId, options);
      },
    });
    const { logger, lines } = capturingLogger();
    const scheduler = createReminderScheduler({ target: () => null, trackerStore: failing, clock, logger });
    schedulers.push(scheduler);
    expect(await scheduler.restore()).toBe(1);
    expect(lines().find((line) => line.event === 'reminders.restore.failed')).toMatchObject({ senderId: 'broken' });
  });
});
