/**
 * The dialogue state tracker: one conversation's events and the state they add up to (slots,
 * latest message, active loop…). State changes only through events, each applied in O(1) except
 * rewinds and undos, which replay the applied events as Rasa does.
 */
import type { Logger } from '../logger.js';
import type { SlotDefinition } from '../shared/domain.js';
import type {
  BotUtteredEvent,
  EventMetadata,
  TrackerEvent,
  UserUtteredEvent,
} from '../shared/events.js';
import type { Entity, ParseResult } from '../shared/nlu.js';
import type { ActiveLoopState, PolicyTracker } from './policies/types.js';
import { AppliedEvents, loopNamesOf } from './applied-events.js';
import { restamped, serializeEvent } from './events.js';
import { assignOwn, clonePlainValue } from './plain-values.js';
import { pythonEquals } from './python-values.js';
import { storedSlotValue } from './slot-values.js';

/** Which events `currentState` includes (Rasa's `EventVerbosity`). */
export type EventVerbosity = 'ALL' | 'AFTER_RESTART' | 'APPLIED' | 'NONE';

export const ACTION_LISTEN = 'action_listen';
export const ACTION_SESSION_START = 'action_session_start';

/** `latest_action` as Rasa reports it. */
export type LatestAction = { action_name: string | null } | { action_text: string } | Record<string, never>;

/** The tracker JSON of `GET /conversations/{id}/tracker` and action-server requests. */
export interface TrackerState {
  sender_id: string;
  slots: Record<string, unknown>;
  latest_message: Record<string, unknown>;
  latest_event_time: number | null;
  followup_action: string | null;
  paused: boolean;
  events: Array<Record<string, unknown>> | null;
  latest_input_channel: string | null;
  active_loop: ActiveLoopState | Record<string, never>;
  latest_action: LatestAction;
  latest_action_name: string | null;
}

export interface TrackerOptions {
  /** Stamped as `metadata.model_id` on every event added with {@link DialogueStateTracker.update}. */
  modelId?: string | null;
  /** Stamped as `metadata.assistant_id` likewise. */
  assistantId?: string | null;
  /** Receives "slot not in domain" errors. */
  logger?: Logger;
}

const EMPTY_LATEST_MESSAGE = Object.freeze({
  intent: {},
  entities: [],
  text: null,
  message_id: null,
  metadata: {},
});

/** Events whose application assigns the followup action, whatever it was before. */
const SETS_FOLLOWUP: ReadonlySet<TrackerEvent['event']> = new Set([
  'user',
  'action',
  'followup',
  'restart',
  'session_started',
  'rewind',
  'undo',
]);

/**
 * Events that {@link DialogueStateTracker.updateTentatively} can take back: each is appended to
 * the applied events as is and changes at most the active loop (not the followup, slots or
 * latest message).
 */
const UNDOABLE: ReadonlySet<TrackerEvent['event']> = new Set(['user_featurization', 'loop_interrupted']);

/** Events logged by {@link DialogueStateTracker.updateTentatively}, and how to take them back. */
export interface TentativeUpdate {
  /** The events as logged (restamped, with model metadata). */
  readonly logged: TrackerEvent[];
  /** Restores the tracker to its state before the update (only before anything else is logged). */
  undo(): void;
}

/** A tracker's slot definitions handed to its copy (see the constructor). */
class SharedSlotDefinitions implements Iterable<SlotDefinition> {
  readonly byName: ReadonlyMap<string, SlotDefinition>;

  constructor(byName: ReadonlyMap<string, SlotDefinition>) {
    this.byName = byName;
  }

  [Symbol.iterator](): Iterator<SlotDefinition> {
    return this.byName.values();
  }
}

/** One conversation's state, rebuilt from and advanced by events. */
export class DialogueStateTracker implements PolicyTracker {
  readonly senderId: string;
  #slotDefinitions: ReadonlyMap<string, SlotDefinition>;
  #slots: Record<string, unknown> = {};
  #events: TrackerEvent[] = [];
  #applied = new AppliedEvents();
  #latestRestartIndex = 0;
  #latestSessionStartIndex = 0;
  #lastUserAnywhere: UserUtteredEvent | null = null;
  #latestUser: UserUtteredEvent | null = null;
  #latestEntities: Entity[] = [];
  #latestMessageView: ParseResult | null = null;
  #latestBot: BotUtteredEvent | null = null;
  #latestAction: LatestAction = {};
  #followupAction: string | null = ACTION_LISTEN;
  #paused = false;
  /** Set when the followup was consumed without an event: replaying the events would differ. */
  #followupConsumedSilently = false;
  #activeLoop: ActiveLoopState | null = null;
  #modelId: string | null;
  #assistantId: string | null;
  #logger?: Logger;

  constructor(senderId: string, slots: Iterable<SlotDefinition>, options: TrackerOptions = {}) {
    this.senderId = senderId;
    this.#modelId = options.modelId ?? null;
    this.#assistantId = options.assistantId ?? null;
    this.#logger = options.logger;
    // A copy shares the (never changed) definitions and sets every field itself.
    if (slots instanceof SharedSlotDefinitions) {
      this.#slotDefinitions = slots.byName;
      return;
    }
    this.#slotDefinitions = new Map([...slots].map((slot) => [slot.name, slot]));
    this.#reset();
  }

  /** Rebuilds a tracker from stored events (their metadata is kept as is). */
  static fromEvents(
    senderId: string,
    events: readonly TrackerEvent[],
    slots: Iterable<SlotDefinition>,
    options: TrackerOptions = {},
  ): DialogueStateTracker {
    const tracker = new DialogueStateTracker(senderId, slots, { logger: options.logger });
    tracker.#applied.addLoopNames(loopNamesOf(events));
    for (const event of events) tracker.#record(event);
    tracker.#modelId = options.modelId ?? null;
    tracker.#assistantId = options.assistantId ?? null;
    return tracker;
  }

  // ── reading ──────────────────────────────────────────────────────────────

  /** Every event of this tracker, oldest first. */
  get events(): readonly TrackerEvent[] {
    return this.#events;
  }

  get appliedEvents(): readonly TrackerEvent[] {
    return this.#applied.list;
  }

  get appliedEventsGeneration(): number {
    return this.#applied.generation;
  }

  /** Current slot values, in domain order. */
  get slots(): Readonly<Record<string, unknown>> {
    return this.#slots;
  }

  getSlot(name: string): unknown {
    return this.#slots[name] ?? null;
  }

  hasSlot(name: string): boolean {
    return this.#slotDefinitions.has(name);
  }

  slotDefinition(name: string): SlotDefinition | undefined {
    return this.#slotDefinitions.get(name);
  }

  /** Parse data of the latest applied user message (entities include `entities` events); null before any. */
  get latestMessage(): ParseResult | null {
    if (!this.#latestUser) return null;
    this.#latestMessageView ??= { ...this.#latestUser.parse_data, entities: this.#latestEntities };
    return this.#latestMessageView;
  }

  /** The latest applied `user` event itself. */
  get latestUserEvent(): UserUtteredEvent | null {
    return this.#latestUser;
  }

  get latestIntentName(): string | null {
    return this.#latestUser?.parse_data.intent?.name ?? null;
  }

  get latestBotUtterance(): BotUtteredEvent | null {
    return this.#latestBot;
  }

  get latestAction(): LatestAction {
    return this.#latestAction;
  }

  get latestActionName(): string | null {
    return 'action_name' in this.#latestAction ? this.#latestAction.action_name : null;
  }

  get followupAction(): string | null {
    return this.#followupAction;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get activeLoop(): ActiveLoopState | null {
    return this.#activeLoop;
  }

  get activeLoopName(): string | null {
    return this.#activeLoop?.name ?? null;
  }

  /** `input_channel` of the last `user` event of all events (not only applied ones). */
  get latestInputChannel(): string | null {
    return this.#lastUserAnywhere?.input_channel ?? null;
  }

  /** Index of the latest `action_session_start` event (0 if none). */
  get latestSessionStartIndex(): number {
    return this.#latestSessionStartIndex;
  }

  /**
   * Whether rebuilding a tracker from {@link events} gives this tracker's state (false while a
   * followup consumed with {@link clearFollowupAction} has not been overtaken by an event).
   */
  get matchesItsEvents(): boolean {
    return !this.#followupConsumedSilently;
  }

  /** Index of the first event after the latest `restart` (0 if none). */
  get latestRestartIndex(): number {
    return this.#latestRestartIndex;
  }

  eventsAfterLatestRestart(): TrackerEvent[] {
    return this.#events.slice(this.#latestRestartIndex);
  }

  /** The events of the latest session: from the last `action_session_start` on (all if none). */
  eventsOfLatestSession(): TrackerEvent[] {
    return this.#events.slice(this.#latestSessionStartIndex);
  }

  /** Values of entities of this type (and role/group, absent = must be absent) in the latest message. */
  latestEntityValues(entity: string, role?: string | null, group?: string | null): unknown[] {
    return this.#latestEntities
      .filter((candidate) => candidate.entity === entity && (candidate.role ?? null) === (role ?? null) && (candidate.group ?? null) === (group ?? null))
      .map((candidate) => candidate.value);
  }

  /** Whether the last executed action other than `action_listen` (skipping `skip` of them) is `name`. */
  lastExecutedActionHas(name: string, skip = 0): boolean {
    let toSkip = skip;
    const applied = this.#applied.list;
    for (let index = applied.length - 1; index >= 0; index--) {
      const event = applied[index];
      if (event.event !== 'action' || event.name === ACTION_LISTEN) continue;
      if (toSkip-- > 0) continue;
      return event.name === name;
    }
    return false;
  }

  /** The tracker JSON (Rasa's `current_state`) with the events of the given verbosity. */
  currentState(verbosity: EventVerbosity = 'NONE'): TrackerState {
    const last = this.#events[this.#events.length - 1];
    return {
      sender_id: this.senderId,
      slots: { ...this.#slots },
      latest_message: this.#latestUser
        ? { ...this.#latestUser.parse_data, entities: [...this.#latestEntities] }
        : structuredClone(EMPTY_LATEST_MESSAGE),
      latest_event_time: last ? last.timestamp : null,
      followup_action: this.#followupAction,
      paused: this.#paused,
      events: this.#eventsFor(verbosity),
      latest_input_channel: this.latestInputChannel,
      active_loop: this.#activeLoop ? { ...this.#activeLoop } : {},
      latest_action: { ...this.#latestAction },
      latest_action_name: this.latestActionName,
    };
  }

  #eventsFor(verbosity: EventVerbosity): Array<Record<string, unknown>> | null {
    switch (verbosity) {
      case 'ALL':
        return this.#events.map(serializeEvent);
      case 'AFTER_RESTART':
        return this.#events.slice(this.#latestRestartIndex).map(serializeEvent);
      case 'APPLIED':
        return this.#applied.list.map(serializeEvent);
      case 'NONE':
        return null;
      default: {
        const unknown: never = verbosity;
        throw new TypeError(`Unknown event verbosity '${String(unknown)}'`);
      }
    }
  }

  // ── changing ─────────────────────────────────────────────────────────────

  /** Stamp future events with these model ids (Rasa attaches them on load). */
  setModelMetadata(modelId: string | null, assistantId: string | null): void {
    this.#modelId = modelId;
    this.#assistantId = assistantId;
  }

  /**
   * Logs one event and applies it. Returns the event as stored: with `model_id`/`assistant_id`
   * added to its metadata when the tracker has them and the event does not.
   */
  update(event: TrackerEvent): TrackerEvent {
    const logged = this.#withModelMetadata(event, false);
    this.#record(logged);
    return logged;
  }

  /**
   * {@link update} for an event made for this tracker alone (the caller keeps no reference to it
   * and shares no object with anyone): it is stamped in place instead of copied.
   */
  updateOwned(event: TrackerEvent): TrackerEvent {
    const logged = this.#withModelMetadata(event, true);
    this.#record(logged);
    return logged;
  }

  /** Logs events in order; by default each gets a fresh timestamp, as Rasa does for action results. */
  updateWithEvents(events: readonly TrackerEvent[], options: { overrideTimestamp?: boolean } = {}): TrackerEvent[] {
    const override = options.overrideTimestamp ?? true;
    return events.map((event) => (override ? this.updateOwned(restamped(event)) : this.update(event)));
  }

  /** Forgets a pending followup (the processor consumes it without an event, as Rasa does). */
  clearFollowupAction(): void {
    if (this.#followupAction !== null) this.#followupConsumedSilently = true;
    this.#followupAction = null;
  }

  /**
   * Logs `events` (restamped, as {@link updateWithEvents} does) so that {@link TentativeUpdate.undo}
   * can take them back exactly, or returns null when one of them cannot be undone cheaply. Only
   * events that append to the applied events and change no more than the active loop qualify
   * (`user_featurization`, `loop_interrupted`: what policies add to a prediction), which lets the
   * processor run an action on the tracker itself instead of on a copy.
   */
  updateTentatively(events: readonly TrackerEvent[]): TentativeUpdate | null {
    if (!events.every((event) => UNDOABLE.has(event.event))) return null;
    const eventCount = this.#events.length;
    const activeLoop = this.#activeLoop;
    const logged = this.updateWithEvents(events);
    let undone = false;
    return {
      logged,
      undo: () => {
        if (undone) return;
        undone = true;
        this.#events.length = eventCount;
        this.#applied.dropNewest(logged.length);
        this.#activeLoop = activeLoop;
      },
    };
  }

  /** An independent tracker with the same events and state. */
  copy(): DialogueStateTracker {
    const copy = new DialogueStateTracker(this.senderId, new SharedSlotDefinitions(this.#slotDefinitions), {
      modelId: this.#modelId,
      assistantId: this.#assistantId,
      logger: this.#logger,
    });
    copy.#slots = { ...this.#slots };
    copy.#events = [...this.#events];
    copy.#applied = this.#applied.copy();
    copy.#latestRestartIndex = this.#latestRestartIndex;
    copy.#latestSessionStartIndex = this.#latestSessionStartIndex;
    copy.#lastUserAnywhere = this.#lastUserAnywhere;
    copy.#latestUser = this.#latestUser;
    copy.#latestEntities = [...this.#latestEntities];
    copy.#latestBot = this.#latestBot;
    copy.#latestAction = this.#latestAction;
    copy.#followupAction = this.#followupAction;
    copy.#paused = this.#paused;
    copy.#followupConsumedSilently = this.#followupConsumedSilently;
    copy.#activeLoop = this.#activeLoop;
    return copy;
  }

  #withModelMetadata(event: TrackerEvent, owned: boolean): TrackerEvent {
    const metadata: EventMetadata = event.metadata ?? {};
    const addModel = this.#modelId !== null && !('model_id' in metadata);
    const addAssistant = this.#assistantId !== null && !('assistant_id' in metadata);
    if (!addModel && !addAssistant) return event;
    // The metadata object itself may be shared (a user event's parse_data holds it too): replaced, never changed.
    const stamped: EventMetadata = {};
    assignOwn(stamped, metadata);
    if (addModel) stamped.model_id = this.#modelId;
    if (addAssistant) stamped.assistant_id = this.#assistantId;
    if (!owned) return { ...event, metadata: stamped };
    event.metadata = stamped;
    return event;
  }

  #record(event: TrackerEvent): void {
    this.#events.push(event);
    if (event.event === 'restart') this.#latestRestartIndex = this.#events.length;
    if (event.event === 'action' && event.name === ACTION_SESSION_START) this.#latestSessionStartIndex = this.#events.length - 1;
    if (event.event === 'user') this.#lastUserAnywhere = event;
    this.#applied.push(event, this.#events);
    this.#apply(event);
    if (this.#followupConsumedSilently && SETS_FOLLOWUP.has(event.event)) this.#followupConsumedSilently = false;
  }

  #apply(event: TrackerEvent): void {
    switch (event.event) {
      case 'user':
        this.#latestUser = event;
        this.#latestEntities = [...(event.parse_data.entities ?? [])];
        this.#latestMessageView = null;
        this.#followupAction = null;
        return;
      case 'bot':
        this.#latestBot = event;
        return;
      case 'action':
        this.#setLatestAction(event.name, event.action_text);
        this.#followupAction = null;
        return;
      case 'slot':
        this.#setSlot(event.name, event.value);
        return;
      case 'active_loop':
        this.#activeLoop =
          event.name === null
            ? null
            : {
                name: event.name,
                is_interrupted: false,
                rejected: false,
                trigger_message: this.#latestUser ? this.#latestUser.parse_data : (structuredClone(EMPTY_LATEST_MESSAGE) as unknown as ParseResult),
              };
        return;
      case 'followup':
        this.#followupAction = event.name;
        return;
      case 'reset_slots':
        this.#resetSlots();
        return;
      case 'restart':
        this.#reset();
        this.#followupAction = ACTION_SESSION_START;
        return;
      case 'session_started':
        this.#reset();
        return;
      case 'rewind':
      case 'undo':
        this.#reset();
        for (const applied of this.#applied.list) this.#apply(applied);
        return;
      case 'pause':
        this.#paused = true;
        return;
      case 'resume':
        this.#paused = false;
        return;
      case 'action_execution_rejected':
        if (this.#activeLoop && this.#activeLoop.name === event.name) {
          this.#activeLoop = { ...this.#activeLoop, rejected: true };
        }
        return;
      case 'loop_interrupted':
        if (this.#activeLoop) this.#activeLoop = { ...this.#activeLoop, is_interrupted: event.is_interrupted };
        return;
      case 'entities':
        this.#addEntities(event.entities);
        return;
      case 'user_featurization':
      case 'reminder':
      case 'cancel_reminder':
      case 'agent':
      case 'export':
        return;
      default: {
        const unknown: never = event;
        throw new TypeError(`Cannot apply unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }

  #setLatestAction(name: string | null, actionText: string | null): void {
    this.#latestAction = name === null && actionText ? { action_text: actionText } : { action_name: name };
    if (!this.#activeLoop) return;
    // Any action ends an interruption; running the loop itself ends a rejection.
    const rejected = name === this.#activeLoop.name ? false : this.#activeLoop.rejected;
    if (this.#activeLoop.is_interrupted || rejected !== this.#activeLoop.rejected) {
      this.#activeLoop = { ...this.#activeLoop, is_interrupted: false, rejected };
    }
  }

  #setSlot(name: string, value: unknown): void {
    const definition = this.#slotDefinitions.get(name);
    if (!definition) {
      this.#logger?.error(
        { event: 'tracker.slot.unknown', slot: name },
        `Tried to set the slot '${name}', which is not in the domain. Add it under 'slots:' in your domain file.`,
      );
      return;
    }
    this.#slots[name] = storedSlotValue(definition, value);
  }

  #addEntities(entities: readonly Entity[]): void {
    if (this.latestActionName !== ACTION_LISTEN || !this.#latestUser) return;
    for (const entity of entities) {
      if (!this.#latestEntities.some((present) => pythonEquals(present, entity))) {
        this.#latestEntities.push(entity);
      }
    }
    this.#latestMessageView = null;
  }

  #resetSlots(): void {
    for (const definition of this.#slotDefinitions.values()) {
      this.#slots[definition.name] = storedSlotValue(definition, clonePlainValue(definition.initialValue ?? null));
    }
  }

  #reset(): void {
    this.#resetSlots();
    this.#paused = false;
    this.#latestAction = {};
    this.#latestUser = null;
    this.#latestEntities = [];
    this.#latestMessageView = null;
    this.#latestBot = null;
    this.#followupAction = ACTION_LISTEN;
    this.#activeLoop = null;
  }
}
