/**
 * Test helper: a conversation as an event list, seen through the `PolicyTracker` view (slots,
 * latest message, latest action and active loop replayed from the applied events), plus helpers
 * that play a bot turn the way the processor does.
 */
import { computeAppliedEvents } from '../../../../src/core/applied-events.js';
import type { ActionPrediction, DialoguePolicies, PolicyTracker } from '../../../../src/core/policies/types.js';
import type { ActiveLoopState } from '../../../../src/core/policies/types.js';
import type { Domain } from '../../../../src/shared/domain.js';
import type { ActionExecutedEvent, TrackerEvent, UserUtteredEvent } from '../../../../src/shared/events.js';
import type { Entity, ParseResult } from '../../../../src/shared/nlu.js';

export class TestConversation implements PolicyTracker {
  readonly senderId = 'test-user';
  readonly events: TrackerEvent[] = [];
  readonly #domain: Domain;

  constructor(domain: Domain, options: { sessionStart?: boolean } = {}) {
    this.#domain = domain;
    if (options.sessionStart ?? true) {
      this.add(action('action_session_start'), { event: 'session_started', timestamp: 1 }, action('action_listen'));
    }
  }

  add(...events: TrackerEvent[]): this {
    this.events.push(...events);
    return this;
  }

  /** Logs a user message with this intent (and entities), as after NLU. */
  user(intent: string, options: { text?: string; entities?: Entity[]; confidence?: number } = {}): this {
    return this.add(userEvent(intent, options));
  }

  get appliedEvents(): readonly TrackerEvent[] {
    return computeAppliedEvents(this.events);
  }

  get slots(): Readonly<Record<string, unknown>> {
    const slots: Record<string, unknown> = Object.fromEntries(this.#domain.slots.map((slot) => [slot.name, slot.initialValue ?? null]));
    for (const event of this.appliedEvents) if (event.event === 'slot') slots[event.name] = event.value;
    return slots;
  }

  get latestMessage(): ParseResult | null {
    const user = [...this.appliedEvents].reverse().find((event): event is UserUtteredEvent => event.event === 'user');
    return user ? user.parse_data : null;
  }

  get latestActionName(): string | null {
    const last = [...this.appliedEvents].reverse().find((event): event is ActionExecutedEvent => event.event === 'action');
    return last ? (last.name ?? last.action_text) : null;
  }

  get activeLoop(): ActiveLoopState | null {
    let loop = null as ActiveLoopState | null;
    for (const event of this.appliedEvents) {
      if (event.event === 'active_loop') {
        loop = event.name === null ? null : { name: event.name, is_interrupted: false, rejected: false, trigger_message: null };
      } else if (event.event === 'action' && loop) {
        loop = { ...loop, is_interrupted: false, rejected: event.name === loop.name ? false : loop.rejected };
      } else if (event.event === 'action_execution_rejected' && loop && event.name === loop.name) {
        loop = { ...loop, rejected: true };
      } else if (event.event === 'loop_interrupted' && loop) {
        loop = { ...loop, is_interrupted: event.is_interrupted };
      }
    }
    return loop;
  }

  /** Logs what the processor logs for a prediction: the policy events, then the action. */
  apply(prediction: ActionPrediction): this {
    return this.add(
      ...prediction.events,
      action(prediction.actionName, {
        policy: prediction.policyName,
        confidence: prediction.confidence,
        hide_rule_turn: prediction.hideRuleTurn,
      }),
    );
  }
}

export function action(name: string, extra: Partial<ActionExecutedEvent> = {}): ActionExecutedEvent {
  return { event: 'action', timestamp: 1, name, policy: null, confidence: null, action_text: null, hide_rule_turn: false, ...extra };
}

export function userEvent(
  intent: string,
  options: { text?: string; entities?: Entity[]; confidence?: number } = {},
): UserUtteredEvent {
  const text = options.text ?? `<${intent}>`;
  return {
    event: 'user',
    timestamp: 1,
    text,
    parse_data: { text, intent: { name: intent, confidence: options.confidence ?? 1 }, entities: options.entities ?? [] },
    input_channel: 'test',
    message_id: null,
  };
}

/**
 * Predicts and logs actions until `action_listen` (at most `limit`), returning each prediction.
 * Actions' own events (bot messages, form slots) are not simulated.
 */
export function playBotTurn(policies: DialoguePolicies, conversation: TestConversation, limit = 10): ActionPrediction[] {
  const predictions: ActionPrediction[] = [];
  for (let step = 0; step < limit; step++) {
    const prediction = policies.predict(conversation);
    predictions.push(prediction);
    conversation.apply(prediction);
    if (prediction.actionName === 'action_listen') break;
  }
  return predictions;
}
