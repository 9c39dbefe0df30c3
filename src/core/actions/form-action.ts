/**
 * The built-in form loop (dialogue-engine §10): activation with pre-filled slots, validation
 * through `validate_<form>` when the domain lists it, asking for the next empty required slot,
 * rejection when the requested slot was not filled, and ending when nothing is left to ask.
 */
import { REQUESTED_SLOT } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';
import { indexDomain } from '../domain-index.js';
import { actionExecuted, activeLoop, slotSet } from '../events.js';
import { pythonTruthy } from '../python-values.js';
import { ACTION_LISTEN, DialogueStateTracker } from '../tracker.js';
import { ActionExecutionRejection, withTracker, type ActionContext } from './action.js';
import { ACTION_EXTRACT_SLOTS } from './extract-slots.js';
import { LoopAction } from './loop-action.js';

export class FormAction extends LoopAction {
  readonly name: string;

  constructor(formName: string) {
    super();
    this.name = formName;
  }

  requiredSlots(context: ActionContext): string[] {
    return context.domain.forms[this.name]?.requiredSlots ?? [];
  }

  get validationActionName(): string {
    return `validate_${this.name}`;
  }

  protected override async activateLoop(context: ActionContext): Promise<TrackerEvent[]> {
    const activation = activeLoop(this.name);
    const temporary = context.tracker.copy();
    temporary.updateWithEvents([activation]);
    return [activation, ...(await this.#activate(withTracker(context, temporary)))];
  }

  /** Fills slots whose conditions name this form, then validates every pre-filled required slot. */
  async #activate(context: ActionContext): Promise<TrackerEvent[]> {
    const extraction = await context.actions.actionFor(ACTION_EXTRACT_SLOTS).run(context);
    context.tracker.updateWithEvents(extraction);
    const extractedSlots = extraction.filter((event) => event.event === 'slot');
    if (!this.#hasValidationAction(context)) return extractedSlots;
    const prefilled = new Map<string, unknown>();
    for (const slot of this.requiredSlots(context)) {
      const value = context.tracker.getSlot(slot);
      if (value !== null) prefilled.set(slot, value);
    }
    const validated = await this.#validateSlots(prefilled, context);
    const validatedNames = slotNames(validated);
    return [...validated, ...extractedSlots.filter((event) => event.event === 'slot' && !validatedNames.has(event.name))];
  }

  protected async do(context: ActionContext, eventsSoFar: readonly TrackerEvent[]): Promise<TrackerEvent[]> {
    // Slots validated at activation need no second validation.
    const events = eventsSoFar.every((event) => event.event === 'active_loop') ? await this.#validateIfRequired(context) : [];
    if (!rejectedManually(events)) events.push(...(await this.#requestNextSlot(context, [...eventsSoFar, ...events])));
    return events;
  }

  /**
   * Done when the latest `requested_slot` event in `eventsSoFar` clears it or the latest
   * `active_loop` event deactivates (a validator may end the form either way), unless rejected.
   */
  protected async isDone(_context: ActionContext, eventsSoFar: readonly TrackerEvent[]): Promise<boolean> {
    return isDoneAfter(eventsSoFar);
  }

  protected override async deactivate(context: ActionContext): Promise<TrackerEvent[]> {
    context.logger.debug({ event: 'form.deactivated', form: this.name }, `Deactivating the form '${this.name}'.`);
    return [];
  }

  /**
   * Validation runs on activation and right after a user message (unless the loop was
   * interrupted); coming back after a detour only asks the validator (with no candidates), so it
   * may still change `requested_slot`.
   */
  async #validateIfRequired(context: ActionContext): Promise<TrackerEvent[]> {
    const { tracker } = context;
    const needsValidation =
      tracker.activeLoop === null || (tracker.latestActionName === ACTION_LISTEN && !tracker.activeLoop.is_interrupted);
    if (!needsValidation) return this.#validateSlots(new Map(), context);
    const candidates = this.#slotsSetSinceLatestUserMessage(context);
    const validation = await this.#validateSlots(candidates, context);
    const slotToFill = this.#slotToFill(tracker);
    const someSlotValidated = validation.some((event) => event.event === 'slot' && event.name !== REQUESTED_SLOT);
    if (slotToFill && candidates.size === 0 && !someSlotValidated && !rejectedManually(validation)) {
      throw new ActionExecutionRejection(this.name, `Failed to extract slot ${slotToFill} with action ${this.name}`);
    }
    return validation;
  }

  /** Values of required (or requested) slots set since the latest user message or restart. */
  #slotsSetSinceLatestUserMessage(context: ActionContext): Map<string, unknown> {
    const { tracker } = context;
    const wanted = new Set(this.requiredSlots(context));
    const requested = this.#slotToFill(tracker);
    if (requested) wanted.add(requested);
    const events = tracker.events;
    const latestUser = tracker.latestUserEvent;
    let start = 0;
    for (let index = events.length - 1; index >= 0; index--) {
      if (events[index].event === 'restart' || events[index] === latestUser) {
        start = index;
        break;
      }
    }
    const values = new Map<string, unknown>();
    for (let index = start; index < events.length; index++) {
      const event = events[index];
      if (event.event === 'slot' && wanted.has(event.name)) values.set(event.name, event.value);
    }
    return values;
  }

  /**
   * Calls `validate_<form>` (if the domain lists it) on a tracker whose trailing `slot` events are
   * the candidates; returns what it returned. Without a validator, returns `[]` (the candidate
   * slot events are already on the tracker).
   */
  async #validateSlots(candidates: ReadonlyMap<string, unknown>, context: ActionContext): Promise<TrackerEvent[]> {
    context.logger.debug({ event: 'form.validate', form: this.name, candidates: [...candidates.keys()] }, 'Validating extracted slots.');
    if (!this.#hasValidationAction(context)) return [];
    const candidateEvents = [...candidates].map(([name, value]) => slotSet(name, value));
    const tracker = this.#temporaryTracker(context, candidateEvents);
    return context.actions.remoteAction(this.validationActionName).run(withTracker(context, tracker));
  }

  async #requestNextSlot(context: ActionContext, eventsSoFar: TrackerEvent[]): Promise<TrackerEvent[]> {
    if (isDoneAfter(eventsSoFar)) return [slotSet(REQUESTED_SLOT, null)];
    const setByValidator = eventsSoFar.find((event) => event.event === 'slot' && event.name === REQUESTED_SLOT);
    let slotToRequest = setByValidator?.event === 'slot' ? setByValidator.value : null;
    const tracker = this.#temporaryTracker(context, eventsSoFar);
    const events: TrackerEvent[] = [];
    if (!pythonTruthy(slotToRequest)) {
      slotToRequest = this.requiredSlots(context).find((slot) => tracker.getSlot(slot) === null) ?? null;
      events.push(slotSet(REQUESTED_SLOT, slotToRequest));
    }
    if (!pythonTruthy(slotToRequest)) return [slotSet(REQUESTED_SLOT, null)];
    return [...events, ...(await this.#askForSlot(withTracker(context, tracker), String(slotToRequest)))];
  }

  /** Runs the first existing of `action_ask_<form>_<slot>`, `utter_ask_<form>_<slot>`, `action_ask_<slot>`, `utter_ask_<slot>`. */
  async #askForSlot(context: ActionContext, slot: string): Promise<TrackerEvent[]> {
    const candidates = [
      `action_ask_${this.name}_${slot}`,
      `utter_ask_${this.name}_${slot}`,
      `action_ask_${slot}`,
      `utter_ask_${slot}`,
    ];
    const actionIndex = indexDomain(context.domain).actionIndex;
    const asker = candidates.find((name) => actionIndex.has(name));
    if (!asker) {
      context.logger.debug({ event: 'form.ask.missing', form: this.name, slot }, `No action asks for the slot '${slot}'.`);
      return [];
    }
    return context.actions.actionFor(asker).run(context);
  }

  /** The requested slot, if this form is the active loop (another form's request does not count). */
  #slotToFill(tracker: DialogueStateTracker): string | null {
    if (tracker.activeLoopName !== this.name) return null;
    const requested = tracker.getSlot(REQUESTED_SLOT);
    return typeof requested === 'string' && requested !== '' ? requested : null;
  }

  /**
   * A tracker of the events since the latest restart, then `slot(requested_slot, …)` and this
   * form's `action` event (so new events are easy to tell apart), then `additional`.
   */
  #temporaryTracker(context: ActionContext, additional: readonly TrackerEvent[]): DialogueStateTracker {
    const { tracker, domain } = context;
    return DialogueStateTracker.fromEvents(
      tracker.senderId,
      [
        ...tracker.eventsAfterLatestRestart(),
        slotSet(REQUESTED_SLOT, this.#slotToFill(tracker)),
        actionExecuted(this.name),
        ...additional,
      ],
      domain.slots,
    );
  }

  #hasValidationAction(context: ActionContext): boolean {
    return indexDomain(context.domain).actionIndex.has(this.validationActionName);
  }
}

function rejectedManually(events: readonly TrackerEvent[]): boolean {
  return events.some((event) => event.event === 'action_execution_rejected');
}

function slotNames(events: readonly TrackerEvent[]): Set<string> {
  return new Set(events.flatMap((event) => (event.event === 'slot' ? [event.name] : [])));
}

function isDoneAfter(eventsSoFar: readonly TrackerEvent[]): boolean {
  if (rejectedManually(eventsSoFar)) return false;
  for (let index = eventsSoFar.length - 1; index >= 0; index--) {
    const event = eventsSoFar[index];
    if (event.event === 'slot' && event.name === REQUESTED_SLOT) {
      if (event.value === null) return true;
      break;
    }
  }
  for (let index = eventsSoFar.length - 1; index >= 0; index--) {
    const event = eventsSoFar[index];
    if (event.event === 'active_loop') return event.name === null;
  }
  return false;
}
