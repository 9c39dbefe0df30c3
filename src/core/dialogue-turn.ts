/**
 * The steps of one conversation turn (dialogue-engine §2), run while the processor holds the
 * conversation's lock: session check, logging the user message, slot extraction, the prediction
 * loop with its circuit breaker, running actions and their side effects.
 */
import { randomUUID } from 'node:crypto';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SESSION_STARTED_METADATA_SLOT, type Domain } from '../shared/domain.js';
import { now, type CancelReminderEvent, type EventMetadata, type ReminderEvent, type TrackerEvent } from '../shared/events.js';
import type { OutputChannel, UserMessage } from '../shared/messages.js';
import type { Entity, NluInterpreter, ParseResult } from '../shared/nlu.js';
import { ActionExecutionRejection, type Action, type ActionContext } from './actions/action.js';
import { ACTION_EXTRACT_SLOTS } from './actions/extract-slots.js';
import type { ActionRegistry } from './actions/registry.js';
import { indexDomain } from './domain-index.js';
import type { ParseCache } from './parse-cache.js';
import { actionExecuted, actionExecutionRejected, slotSet, userUttered } from './events.js';
import { botMessageFromEvent, type NaturalLanguageGenerator } from './nlg.js';
import type { ActionPrediction, DialoguePolicies } from './policies/types.js';
import { FOLLOWUP_POLICY, predictionFor } from './prediction.js';
import { pythonTruthy } from './python-values.js';
import { ACTION_LISTEN, ACTION_SESSION_START, type DialogueStateTracker } from './tracker.js';

/** Receives the reminder side effects of actions (§12). */
export interface ReminderScheduler {
  schedule(reminder: ReminderEvent, senderId: string, output: OutputChannel): void | Promise<void>;
  cancel(cancellation: CancelReminderEvent, senderId: string): void | Promise<void>;
}

/** A user message to log; `POST …/messages` records it with no input channel. */
export type LoggedMessage = Omit<UserMessage, 'inputChannel'> & { inputChannel: string | null };

/** What every turn of one processor shares. */
export interface TurnDependencies {
  domain: Domain;
  interpreter: NluInterpreter;
  policies: DialoguePolicies | null;
  actions: ActionRegistry;
  nlg: NaturalLanguageGenerator;
  maxPredictions: number;
  reminders?: ReminderScheduler;
  /** Recent parse results (exact repeats skip the NLU pipeline); without it every text is parsed. */
  parses?: ParseCache;
  /** Whether debug messages would be written (skips building them, and the turn's logger, when not). */
  debugLogging?: () => boolean;
}

/** One conversation while its lock is held: its tracker, where replies go, and what is stored. */
export class DialogueTurn {
  readonly tracker: DialogueStateTracker;
  readonly output: OutputChannel;
  /** How many of the tracker's events the store already has. */
  storedCount: number;
  readonly #deps: TurnDependencies;
  #logger: Logger | (() => Logger);

  /**
   * @param logger the turn's logger, or a function making it on first use (most turns log
   *   nothing, and a child logger per message is a measurable part of a turn).
   */
  constructor(
    deps: TurnDependencies,
    tracker: DialogueStateTracker,
    output: OutputChannel,
    logger: Logger | (() => Logger),
    storedCount: number,
  ) {
    this.#deps = deps;
    this.tracker = tracker;
    this.output = output;
    this.#logger = logger;
    this.storedCount = storedCount;
  }

  get logger(): Logger {
    if (typeof this.#logger === 'function') this.#logger = this.#logger();
    return this.#logger;
  }

  /** Events added since loading (what the store still needs). */
  get freshEvents(): TrackerEvent[] {
    return this.tracker.events.slice(this.storedCount);
  }

  /** A new session starts for an empty conversation or when the last user message is too old (§11). */
  async startSessionIfNeeded(metadata: unknown): Promise<void> {
    if (this.tracker.appliedEvents.length > 0 && !this.#sessionExpired()) return;
    if (pythonTruthy(metadata)) this.tracker.updateOwned(slotSet(SESSION_STARTED_METADATA_SLOT, metadata));
    const prediction = predictionFor(this.#deps.domain, ACTION_SESSION_START, null, 1);
    await this.runAction(this.#deps.actions.actionFor(ACTION_SESSION_START), prediction);
  }

  #sessionExpired(): boolean {
    const minutes = this.#deps.domain.sessionConfig.sessionExpirationTime;
    const lastUser = this.tracker.latestUserEvent;
    if (minutes <= 0 || !lastUser) return false;
    return (now() - lastUser.timestamp) / 60 > minutes;
  }

  /** Parses the message (unless it brings parse data) and logs it as a `user` event. */
  logUserMessage(message: LoggedMessage): void {
    const parseData = message.parseData ?? this.#parse(message.text);
    this.#warnAboutUnknownFeatures(parseData);
    const metadata = isRecord(message.metadata) ? message.metadata : {};
    this.tracker.updateOwned(
      userUttered({
        text: message.text,
        parseData,
        inputChannel: message.inputChannel,
        messageId: message.messageId ?? randomUUID().replace(/-/g, ''),
        metadata,
      }),
    );
    if (this.#deps.debugLogging?.() !== false) {
      this.logger.debug({ event: 'processor.user.logged', text: message.text, intent: parseData.intent?.name }, 'Logged a user message.');
    }
  }

  /**
   * Logs the external message `EXTERNAL: <intent>` (`trigger_intent`, reminders): full
   * confidence, the conversation's latest input channel, metadata `is_external` plus `metadata`.
   * Entities may be a list of entity objects or `{entity: value}`.
   */
  logExternalMessage(
    intent: string,
    entities: Entity[] | Record<string, unknown> | null | undefined,
    metadata: EventMetadata = {},
  ): void {
    const entityList = Array.isArray(entities)
      ? entities
      : Object.entries(entities ?? {}).map(([entity, value]) => ({ entity, value }));
    this.tracker.updateOwned(
      userUttered({
        text: `EXTERNAL: ${intent}`,
        parseData: { intent: { name: intent } as ParseResult['intent'], entities: entityList },
        inputChannel: this.tracker.latestInputChannel,
        metadata: { is_external: true, ...metadata },
      }),
    );
  }

  #parse(text: string | null): ParseResult {
    const defaults: ParseResult = { text: '', intent: { name: null, confidence: 0 }, entities: [] };
    if (text === null) return defaults;
    return { ...defaults, ...(this.#deps.parses ? this.#deps.parses.parse(text) : this.#deps.interpreter.parse(text)) };
  }

  #warnAboutUnknownFeatures(parseData: ParseResult): void {
    const index = indexDomain(this.#deps.domain);
    const intent = parseData.intent?.name;
    if (intent && !index.intentNames.has(intent)) {
      this.logger.warn({ event: 'processor.intent.unknown', intent }, `The message was parsed as the intent '${intent}', which is not in the domain.`);
    }
    for (const entity of parseData.entities ?? []) {
      if (!index.entityNames.has(entity.entity)) {
        this.logger.warn({ event: 'processor.entity.unknown', entity: entity.entity }, `The message has the entity '${entity.entity}', which is not in the domain.`);
      }
    }
  }

  /** Runs `action_extract_slots`, logs its events and sends its bot messages. */
  async runExtractSlots(): Promise<void> {
    let events: TrackerEvent[];
    try {
      events = await this.#deps.actions.actionFor(ACTION_EXTRACT_SLOTS).run(this.#context(this.tracker));
    } catch (error) {
      this.logger.error({ event: 'processor.extract_slots.failed', err: error }, `Slot extraction failed: ${(error as Error).message}`);
      return;
    }
    const logged = this.tracker.updateWithEvents(events);
    await this.#sendBotMessages(logged);
  }

  /**
   * Predicts and runs actions until one says to stop (listen, session start) or the circuit
   * breaker trips. A local counter of actions (and rejections) since the last listen drives the
   * breaker, so nothing rescans the history.
   */
  async runPredictionLoop(): Promise<void> {
    const { tracker } = this;
    let actionsSinceListen = 0;
    let shouldPredict = true;
    while (shouldPredict && (!tracker.paused || tracker.latestIntentName === 'restart')) {
      if (actionsSinceListen >= this.#deps.maxPredictions) {
        this.logger.warn(
          { event: 'processor.circuit_breaker', limit: this.#deps.maxPredictions },
          `Circuit breaker tripped: stopped predicting after ${this.#deps.maxPredictions} actions in one turn (MAX_NUMBER_OF_PREDICTIONS).`,
        );
        return;
      }
      const prediction = this.predictNext();
      const action = this.#deps.actions.actionFor(prediction.actionName);
      if (prediction.isEndToEndPrediction) await this.runExtractSlots();
      const logged = await this.runAction(action, prediction);
      for (const event of logged) {
        if (event.event === 'action') actionsSinceListen = continuesPrediction(event.name) ? actionsSinceListen + 1 : 0;
        // Rejections count too: policies that keep predicting a rejected action cannot spin forever.
        else if (event.event === 'action_execution_rejected') actionsSinceListen += 1;
      }
      shouldPredict = continuesPrediction(action.name);
    }
  }

  /** A pending followup wins (consumed without an event, as in Rasa); otherwise the policies decide. */
  predictNext(): ActionPrediction {
    const followup = this.tracker.followupAction;
    if (followup) {
      this.tracker.clearFollowupAction();
      if (indexDomain(this.#deps.domain).actionIndex.has(followup)) {
        return predictionFor(this.#deps.domain, followup, FOLLOWUP_POLICY, 1);
      }
      this.logger.error({ event: 'processor.followup.unknown', action: followup }, `Trying to run the unknown followup action '${followup}'; the policies decide instead.`);
    }
    if (!this.#deps.policies) {
      throw new ParleyError('PARLEY_ERR_MODEL_INVALID', 'The model has no dialogue policies (it is NLU-only), so it cannot predict actions.');
    }
    return this.#deps.policies.predict(this.tracker);
  }

  /**
   * Runs an action on the tracker carrying the prediction's events, then logs either
   * the rejection alone, or the prediction's events, the `action` event and the action's events
   * (restamped), and runs the side effects. An action that throws is logged as an error and
   * counts as having returned nothing.
   * @returns the events logged.
   */
  async runAction(action: Action, prediction: ActionPrediction): Promise<TrackerEvent[]> {
    const { tracker } = this;
    // The prediction's events are logged only if the action is not rejected. The usual ones are
    // logged right away and taken back on a rejection; others go to a copy first.
    const tentative = prediction.events.length > 0 ? tracker.updateTentatively(prediction.events) : null;
    let returned: TrackerEvent[];
    try {
      let view = tracker;
      if (prediction.events.length > 0 && !tentative) {
        view = tracker.copy();
        view.updateWithEvents(prediction.events);
      }
      returned = await action.run(this.#context(view));
    } catch (error) {
      if (error instanceof ActionExecutionRejection) {
        tentative?.undo();
        this.logger.info({ event: 'processor.action.rejected', action: action.name }, error.message);
        return [tracker.updateOwned(actionExecutionRejected(action.name, prediction.policyName, prediction.confidence))];
      }
      this.logger.error({ event: 'processor.action.failed', action: action.name, err: error }, `Action '${action.name}' failed: ${(error as Error).message}`);
      returned = [];
    }
    const logged: TrackerEvent[] = [];
    if (returned.some((event) => event.event === 'action_execution_rejected')) {
      tentative?.undo();
    } else {
      logged.push(...(tentative ? tentative.logged : tracker.updateWithEvents(prediction.events)));
      logged.push(tracker.updateOwned(actionEventFor(action, prediction)));
    }
    const results = tracker.updateWithEvents(returned);
    logged.push(...results);
    if (results.some((event) => event.event === 'user')) await this.runExtractSlots();
    await this.executeSideEffects(results);
    return logged;
  }

  /** Sends bot messages, then schedules and cancels reminders. */
  async executeSideEffects(events: readonly TrackerEvent[]): Promise<void> {
    await this.#sendBotMessages(events);
    for (const event of events) {
      if (event.event !== 'reminder' && event.event !== 'cancel_reminder') continue;
      const reminders = this.#deps.reminders;
      if (!reminders) {
        this.logger.warn({ event: 'processor.reminders.unsupported', type: event.event }, `Ignoring a '${event.event}' event: no reminder scheduler is configured.`);
      } else if (event.event === 'reminder') {
        await reminders.schedule(event, this.tracker.senderId, this.output);
      } else {
        await reminders.cancel(event, this.tracker.senderId);
      }
    }
  }

  /** A channel that fails to deliver is logged; the conversation goes on. */
  async #sendBotMessages(events: readonly TrackerEvent[]): Promise<void> {
    for (const event of events) {
      if (event.event !== 'bot') continue;
      try {
        await this.output.sendResponse(this.tracker.senderId, botMessageFromEvent(event));
      } catch (error) {
        this.logger.error({ event: 'processor.send.failed', channel: this.output.name, err: error }, `Could not send a bot message on '${this.output.name}': ${(error as Error).message}`);
      }
    }
  }

  #context(tracker: DialogueStateTracker): ActionContext {
    const { domain, nlg, actions } = this.#deps;
    return { tracker, domain, output: this.output, nlg, actions, logger: this.logger };
  }
}

/** The `action` event for a successful run; end-to-end texts record `action_text` and no name. */
function actionEventFor(action: Action, prediction: ActionPrediction): TrackerEvent {
  return actionExecuted(action.actionText === undefined ? action.name : null, {
    policy: prediction.policyName,
    confidence: prediction.confidence,
    actionText: action.actionText ?? null,
    hideRuleTurn: prediction.hideRuleTurn,
    metadata: prediction.actionMetadata as EventMetadata | undefined,
  });
}

/** Every action but `action_listen` and `action_session_start` lets the bot continue. */
function continuesPrediction(actionName: string | null): boolean {
  return actionName !== ACTION_LISTEN && actionName !== ACTION_SESSION_START;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
