/**
 * The message processor (dialogue-engine §2): for each user message, under the conversation's
 * lock, load the tracker, start a session if needed, parse, log, fill slots, then let the policies
 * pick actions until the bot listens; finally append the new events to the store. The steps
 * themselves live in `DialogueTurn`; this module owns locking, loading and storing, and the entry
 * points the channels and the HTTP API call.
 */
import { ParleyError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { ReminderEvent, TrackerEvent } from '../shared/events.js';
import type { MessageHandler, OutputChannel, UserMessage } from '../shared/messages.js';
import type { Entity, NluInterpreter } from '../shared/nlu.js';
import type { LockStore, TrackerStore } from '../stores/types.js';
import type { ActionEndpointConfig } from './actions/action-server.js';
import { ActionRegistry } from './actions/registry.js';
import { DialogueTurn, type LoggedMessage, type ReminderScheduler, type TurnDependencies } from './dialogue-turn.js';
import { indexDomain } from './domain-index.js';
import { ParseCache } from './parse-cache.js';
import { TemplatedNaturalLanguageGenerator, type NaturalLanguageGenerator } from './nlg.js';
import type { DialoguePolicies } from './policies/types.js';
import { actionScores, predictionFor, type ActionScore } from './prediction.js';
import { FIRED_REMINDER_METADATA_KEY, staleReason, type ReminderOutcome } from './reminders/reminder-rules.js';
import { ACTION_SESSION_START, DialogueStateTracker, type EventVerbosity, type TrackerState } from './tracker.js';
import { TrackerCache } from './tracker-cache.js';

export type { LoggedMessage, ReminderScheduler } from './dialogue-turn.js';

export interface MessageProcessorOptions {
  domain: Domain;
  interpreter: NluInterpreter;
  /** null for an NLU-only model: messages are parsed and logged, no action is predicted. */
  policies: DialoguePolicies | null;
  trackerStore: TrackerStore;
  lockStore: LockStore;
  /** endpoints.yml `action_endpoint`; without it custom actions fail (logged) when called. */
  actionEndpoint?: ActionEndpointConfig | null;
  /** @default responses of the domain */
  nlg?: NaturalLanguageGenerator;
  /** Stamped on every new event as `metadata.model_id`. */
  modelId?: string | null;
  /** Stamped on every new event as `metadata.assistant_id` (config.yml `assistant_id`). */
  assistantId?: string | null;
  /** @default a logger writing to stdout (LOG_LEVEL) */
  logger?: Logger;
  /** Circuit breaker: actions per user turn. @default env MAX_NUMBER_OF_PREDICTIONS, else 10 */
  maxNumberOfPredictions?: number;
  reminders?: ReminderScheduler;
  /**
   * Conversations whose tracker is kept in memory between turns, so that a turn costs the same
   * however long the conversation is (used only with stores that can count events cheaply; the
   * least recently active conversation is dropped first). 0 turns it off. @default 5,000 with
   * the in-memory tracker store (its trackers share their events with the store, so a cached
   * conversation costs about 17 KB more for moodbot), else 1,000
   */
  trackerCacheSize?: number;
  /**
   * Texts whose parse result is kept, so exact repeats skip the NLU pipeline. This assumes the
   * interpreter gives the same result for the same text, as trained pipelines do; 0 turns it off
   * (for an interpreter that does not). @default 1000
   */
  parseCacheSize?: number;
}

const DEFAULT_TRACKER_CACHE_SIZE = 1000;
const DEFAULT_PARSE_CACHE_SIZE = 1000;
/** With the in-memory store a miss costs a full rebuild while a hit costs a few KB. */
const DEFAULT_IN_MEMORY_TRACKER_CACHE_SIZE = 5000;

/** A turn and what the store held when it was loaded. */
interface LoadedTurn {
  turn: DialogueTurn;
  /** Events stored for the conversation (all sessions) at load; null when the store cannot count. */
  storedEvents: number | null;
  /** `turn.storedCount` at load. */
  loadedCount: number;
}

/** What `/conversations/{id}/predict` returns. */
export interface NextActionPrediction {
  scores: ActionScore[];
  policy: string | null;
  confidence: number;
  tracker: TrackerState;
}

/** Where bot messages go when a caller gives no output channel. */
const DISCARDING_OUTPUT: OutputChannel = { name: 'collector', sendResponse: async () => {} };

export class MessageProcessor implements MessageHandler {
  readonly domain: Domain;
  readonly #options: MessageProcessorOptions;
  readonly #actions: ActionRegistry;
  readonly #turnDependencies: TurnDependencies;
  readonly #logger: Logger;
  readonly #trackers: TrackerCache;

  constructor(options: MessageProcessorOptions) {
    this.domain = options.domain;
    this.#options = options;
    this.#logger = (options.logger ?? createLogger()).child({ module: 'processor' });
    this.#trackers = new TrackerCache(
      options.trackerCacheSize ??
        (options.trackerStore.type === 'in_memory' ? DEFAULT_IN_MEMORY_TRACKER_CACHE_SIZE : DEFAULT_TRACKER_CACHE_SIZE),
    );
    this.#actions = new ActionRegistry(options.domain, options.actionEndpoint ?? null);
    this.#turnDependencies = {
      domain: options.domain,
      interpreter: options.interpreter,
      policies: options.policies,
      actions: this.#actions,
      nlg: options.nlg ?? new TemplatedNaturalLanguageGenerator(options.domain.responses, { logger: this.#logger }),
      maxPredictions: options.maxNumberOfPredictions ?? maxPredictionsFromEnv(),
      reminders: options.reminders,
      debugLogging: () => this.#logger.isLevelEnabled('debug'),
      parses: new ParseCache(options.interpreter, options.parseCacheSize ?? DEFAULT_PARSE_CACHE_SIZE),
    };
  }

  /** Handles one user message end to end (the entry point channels call). */
  async handleMessage(message: UserMessage): Promise<void> {
    await this.#withConversation(message.senderId, message.output, message.metadata, async (turn) => {
      turn.logUserMessage(message);
      if (!this.#options.policies) {
        turn.logger.warn({ event: 'processor.nlu_only' }, 'The model is NLU-only: the message was logged but no action is predicted.');
        return;
      }
      await turn.runExtractSlots();
      await turn.runPredictionLoop();
    }, true);
  }

  /** Logs a user message and fills slots without predicting actions (`POST …/messages`). */
  async logMessage(message: LoggedMessage): Promise<DialogueStateTracker> {
    return this.#withConversation(message.senderId, message.output, message.metadata, async (turn) => {
      turn.logUserMessage(message);
      await turn.runExtractSlots();
      return turn.tracker;
    });
  }

  /**
   * The stored conversation, or undefined if it has none. With `startSessionIfNew`, an unknown
   * conversation comes back with its session-start events applied in memory only (`GET …/tracker`).
   */
  async getTracker(
    senderId: string,
    options: { allSessions?: boolean; startSessionIfNew?: boolean } = {},
  ): Promise<DialogueStateTracker | undefined> {
    const events = await this.#options.trackerStore.retrieve(senderId, { allSessions: options.allSessions ?? true });
    if (events && events.length > 0) return this.#trackerFrom(senderId, events);
    if (!options.startSessionIfNew) return undefined;
    const turn = this.#newTurn(this.#trackerFrom(senderId, []), DISCARDING_OUTPUT, 0);
    await turn.startSessionIfNeeded(undefined);
    return turn.tracker;
  }

  /** The next action the policies would take, without running it (`POST …/predict`). */
  async predictNext(senderId: string): Promise<NextActionPrediction> {
    return this.#withConversation(senderId, DISCARDING_OUTPUT, undefined, async (turn) => {
      const prediction = turn.predictNext();
      return {
        scores: actionScores(this.domain, prediction),
        policy: prediction.policyName,
        confidence: prediction.confidence,
        tracker: turn.tracker.currentState('AFTER_RESTART'),
      };
    }, true);
  }

  /**
   * The next action for a conversation made only of `events` (sender `default`): nothing is
   * loaded, stored or run (`POST /model/predict`).
   */
  predictFromEvents(events: readonly TrackerEvent[], verbosity: EventVerbosity = 'AFTER_RESTART'): NextActionPrediction {
    const turn = this.#newTurn(this.#trackerFrom('default', events), DISCARDING_OUTPUT, events.length);
    const prediction = turn.predictNext();
    return {
      scores: actionScores(this.domain, prediction),
      policy: prediction.policyName,
      confidence: prediction.confidence,
      tracker: turn.tracker.currentState(verbosity),
    };
  }

  /** Runs one action by name, then stops (`POST …/execute`). */
  async executeAction(
    senderId: string,
    actionName: string,
    output: OutputChannel,
    options: { policy?: string | null; confidence?: number | null } = {},
  ): Promise<DialogueStateTracker> {
    const action = this.#actions.actionFor(actionName);
    return this.#withConversation(senderId, output, undefined, async (turn) => {
      const prediction = predictionFor(this.domain, actionName, options.policy ?? null, options.confidence ?? 0);
      await turn.runAction(action, prediction);
      return turn.tracker;
    });
  }

  /**
   * Injects `EXTERNAL: <intent>` as a user message and lets the bot react (`…/trigger_intent`,
   * reminders). Entities may be a list of entity objects or `{entity: value}`.
   * @throws ParleyError `PARLEY_ERR_NOT_FOUND` when the domain has no such intent.
   */
  async triggerIntent(
    senderId: string,
    intent: string,
    entities: Entity[] | Record<string, unknown> | null | undefined,
    output: OutputChannel,
  ): Promise<DialogueStateTracker> {
    return this.#withConversation(senderId, output, undefined, async (turn) => {
      if (!indexDomain(this.domain).intentNames.has(intent)) {
        throw new ParleyError('PARLEY_ERR_NOT_FOUND', `The intent '${intent}' does not exist in the domain.`, {
          details: { parameter: 'name', in: 'body' },
        });
      }
      turn.logExternalMessage(intent, entities);
      await turn.runExtractSlots();
      await turn.runPredictionLoop();
      return turn.tracker;
    });
  }

  /**
   * Fires a reminder (§12), under the conversation's lock: after the session check, a reminder
   * that went stale (user spoke since and `kill_on_user_msg`, undone by a restart or new session,
   * already fired) is dropped; otherwise its external message is logged and the bot reacts on
   * `output`. The scheduler calls this; see `src/core/reminders/`.
   */
  async handleReminder(reminder: ReminderEvent, senderId: string, output: OutputChannel): Promise<ReminderOutcome> {
    return this.#withConversation(senderId, output, undefined, async (turn) => {
      const stale = staleReason(reminder, turn.tracker.events, turn.tracker.appliedEvents);
      if (stale !== null) {
        turn.logger.debug({ event: 'processor.reminder.dropped', name: reminder.name, reason: stale }, `Dropped the reminder '${reminder.name}' (${stale}).`);
        return stale;
      }
      turn.logExternalMessage(reminder.intent, reminder.entities as Entity[] | Record<string, unknown> | null, {
        [FIRED_REMINDER_METADATA_KEY]: reminder.name,
      });
      if (!this.#options.policies) return 'fired';
      await turn.runExtractSlots();
      await turn.runPredictionLoop();
      return 'fired';
    }, true);
  }

  /**
   * Appends events as given (`POST …/tracker/events`). A session is started first for a new
   * conversation, unless the events themselves begin with one.
   */
  async addEvents(
    senderId: string,
    events: readonly TrackerEvent[],
    options: { output?: OutputChannel; executeSideEffects?: boolean } = {},
  ): Promise<DialogueStateTracker> {
    const output = options.output ?? DISCARDING_OUTPUT;
    const bringsSessionStart =
      events[0]?.event === 'action' && events[0].name === ACTION_SESSION_START && events[1]?.event === 'session_started';
    return this.#withLock(senderId, async () => {
      const { turn } = await this.#loadTurn(senderId, output);
      return this.#persistingAfter(turn, async () => {
        if (!bringsSessionStart && turn.tracker.events.length === 0) await turn.startSessionIfNeeded(undefined);
        const logged = events.map((event) => turn.tracker.update(event));
        if (options.executeSideEffects) await turn.executeSideEffects(logged);
        return turn.tracker;
      });
    });
  }

  // ── conversation plumbing ───────────────────────────────────────────────

  #withLock<T>(senderId: string, task: () => Promise<T>): Promise<T> {
    return this.#options.lockStore.withLock(senderId, task);
  }

  /**
   * Lock, load, session check, `task`, then append what is new, even if `task` failed. With
   * `keepTracker` the tracker is cached for the next turn after a successful task; entry points
   * that hand the tracker to their caller must not keep it (the caller may read it later).
   */
  #withConversation<T>(
    senderId: string,
    output: OutputChannel,
    metadata: unknown,
    task: (turn: DialogueTurn) => Promise<T>,
    keepTracker = false,
  ): Promise<T> {
    return this.#withLock(senderId, async () => {
      const loaded = await this.#loadTurn(senderId, output);
      const { turn } = loaded;
      const result = await this.#persistingAfter(turn, async () => {
        await turn.startSessionIfNeeded(metadata);
        return task(turn);
      });
      if (keepTracker) this.#keepTracker(loaded);
      return result;
    });
  }

  async #persistingAfter<T>(turn: DialogueTurn, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      await this.#persist(turn);
    }
  }

  /**
   * The conversation's cached tracker when the store still holds exactly the events it was built
   * from, otherwise one rebuilt from the store. The count is read before the events, so a write
   * in between can only make the next comparison fail, never hide a change.
   */
  async #loadTurn(senderId: string, output: OutputChannel): Promise<LoadedTurn> {
    const store = this.#options.trackerStore;
    const storedEvents = this.#trackers.capacity > 0 && store.eventCount ? await store.eventCount(senderId) : null;
    const cached = this.#trackers.take(senderId);
    if (cached && storedEvents !== null && cached.storedEvents === storedEvents) {
      const loadedCount = cached.tracker.events.length;
      return { turn: this.#newTurn(cached.tracker, output, loadedCount), storedEvents, loadedCount };
    }
    const events = (await store.retrieve(senderId, { allSessions: this.#sendsFullHistory })) ?? [];
    return { turn: this.#newTurn(this.#trackerFrom(senderId, events), output, events.length), storedEvents, loadedCount: events.length };
  }

  get #sendsFullHistory(): boolean {
    return this.#options.actionEndpoint?.sendFullHistory ?? false;
  }

  /**
   * Caches a turn's tracker once everything it added is stored, unless loading it again would
   * give something else: a followup consumed without an event, or (when only the latest session
   * is loaded) a new session that began during the turn.
   */
  #keepTracker({ turn, storedEvents, loadedCount }: LoadedTurn): void {
    const { tracker } = turn;
    if (storedEvents === null || turn.freshEvents.length > 0 || !tracker.matchesItsEvents) return;
    if (!this.#sendsFullHistory && tracker.latestSessionStartIndex > 0) return;
    this.#trackers.put(tracker.senderId, { tracker, storedEvents: storedEvents + (turn.storedCount - loadedCount) });
  }

  #trackerFrom(senderId: string, events: readonly TrackerEvent[]): DialogueStateTracker {
    return DialogueStateTracker.fromEvents(senderId, events, this.domain.slots, {
      modelId: this.#options.modelId ?? null,
      assistantId: this.#options.assistantId ?? null,
      logger: this.#logger,
    });
  }

  #newTurn(tracker: DialogueStateTracker, output: OutputChannel, storedCount: number): DialogueTurn {
    const logger = () => this.#logger.child({ senderId: tracker.senderId });
    return new DialogueTurn(this.#turnDependencies, tracker, output, logger, storedCount);
  }

  /** Appends only the events added since loading. */
  async #persist(turn: DialogueTurn): Promise<void> {
    const fresh = turn.freshEvents;
    if (fresh.length === 0) return;
    await this.#options.trackerStore.append(turn.tracker.senderId, fresh);
    turn.storedCount += fresh.length;
  }
}

function maxPredictionsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number.parseInt(env.MAX_NUMBER_OF_PREDICTIONS ?? '', 10);
  return Number.isInteger(configured) && configured > 0 ? configured : 10;
}
