/**
 * A minimal tracker that replays training events, for checks that run RulePolicy over the
 * training data itself (contradictions, rules used in stories). Live conversations use the
 * runtime's tracker; both implement the same `PolicyTracker` view.
 */
import type { Domain, SlotDefinition } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';
import type { ParseResult } from '../../shared/nlu.js';
import { AppliedEvents } from '../applied-events.js';
import { storedSlotValue } from '../slot-values.js';
import { ACTION_LISTEN } from './states.js';
import type { ActiveLoopState, PolicyTracker } from './types.js';

export class ReplayTracker implements PolicyTracker {
  readonly senderId: string;
  readonly #definitions: readonly SlotDefinition[];
  readonly #events: TrackerEvent[] = [];
  readonly #applied = new AppliedEvents();
  #slots: Record<string, unknown> = {};
  #latestMessage: ParseResult | null = null;
  #latestActionName: string | null = null;
  #activeLoop: ActiveLoopState | null = null;

  constructor(senderId: string, domain: Domain) {
    this.senderId = senderId;
    this.#definitions = domain.slots;
    this.#reset();
  }

  get appliedEvents(): readonly TrackerEvent[] {
    return this.#applied.list;
  }

  get slots(): Readonly<Record<string, unknown>> {
    return this.#slots;
  }

  get latestMessage(): ParseResult | null {
    return this.#latestMessage;
  }

  get latestActionName(): string | null {
    return this.#latestActionName;
  }

  get activeLoop(): ActiveLoopState | null {
    return this.#activeLoop;
  }

  update(event: TrackerEvent): void {
    this.#events.push(event);
    this.#applied.push(event, this.#events);
    switch (event.event) {
      case 'user':
        this.#latestMessage = { ...event.parse_data, entities: [...(event.parse_data.entities ?? [])] };
        return;
      case 'action': {
        this.#latestActionName = event.name ?? event.action_text ?? null;
        const loop = this.#activeLoop;
        if (loop) {
          this.#activeLoop = { ...loop, is_interrupted: false, rejected: event.name === loop.name ? false : loop.rejected };
        }
        return;
      }
      case 'slot': {
        const definition = this.#definitions.find((slot) => slot.name === event.name);
        if (definition) this.#slots[event.name] = storedSlotValue(definition, event.value);
        return;
      }
      case 'active_loop':
        this.#activeLoop =
          event.name === null
            ? null
            : { name: event.name, is_interrupted: false, rejected: false, trigger_message: this.#latestMessage };
        return;
      case 'action_execution_rejected':
        if (this.#activeLoop && this.#activeLoop.name === event.name) this.#activeLoop = { ...this.#activeLoop, rejected: true };
        return;
      case 'loop_interrupted':
        if (this.#activeLoop) this.#activeLoop = { ...this.#activeLoop, is_interrupted: event.is_interrupted };
        return;
      case 'entities':
        if (this.#latestMessage && this.#latestActionName === ACTION_LISTEN) {
          this.#latestMessage = { ...this.#latestMessage, entities: [...this.#latestMessage.entities, ...event.entities] };
        }
        return;
      case 'reset_slots':
        this.#resetSlots();
        return;
      case 'restart':
      case 'session_started':
        this.#reset();
        return;
      default:
        return;
    }
  }

  #resetSlots(): void {
    this.#slots = Object.fromEntries(
      this.#definitions.map((slot) => [slot.name, storedSlotValue(slot, structuredClone(slot.initialValue ?? null))]),
    );
  }

  #reset(): void {
    this.#resetSlots();
    this.#latestMessage = null;
    this.#latestActionName = null;
    this.#activeLoop = null;
  }
}
