/**
 * Story and rule steps as tracker events (Rasa's `StoryStep.explicit_events`): an
 * `action_listen` before every user turn, slots filled from the turn's entities, and the rule
 * markers `...` and `should_not_be_set`.
 */
import type { Domain, SlotDefinition, SourceRef } from '../../shared/domain.js';
import type {
  ActionExecutedEvent,
  ActiveLoopEvent,
  SlotSetEvent,
  TrackerEvent,
  UserUtteredEvent,
} from '../../shared/events.js';
import type { Entity } from '../../shared/nlu.js';
import type { StoryEntity, StoryStep } from '../../shared/training-data.js';
import { ACTION_LISTEN, RULE_SNIPPET_ACTION, SHOULD_NOT_BE_SET } from '../policies/states.js';

/** A step without `or` and `checkpoint` (those are resolved before events are made). */
export type LinearStep = Exclude<StoryStep, { kind: 'or' } | { kind: 'checkpoint' }>;

export interface StepEventsOptions {
  /** Rule data: `null` slot values and loops mean "must not be set". */
  isRule: boolean;
  /** The block opens a conversation: its first action before any user turn is unpredictable. */
  startsConversation: boolean;
  /** Append the closing `action_listen` (blocks that end in a checkpoint do not). */
  appendFinalListen: boolean;
}

export interface StepEvents {
  events: TrackerEvent[];
  unpredictable: TrackerEvent[];
  sources: Array<[TrackerEvent, SourceRef]>;
}

/** Turns one linear block of steps into events. */
export function eventsForSteps(steps: readonly LinearStep[], domain: Domain, options: StepEventsOptions): StepEvents {
  const events: TrackerEvent[] = [];
  const unpredictable: TrackerEvent[] = [];
  const sources: Array<[TrackerEvent, SourceRef]> = [];
  let seenUser = false;
  let seenAction = false;
  const push = (event: TrackerEvent, source: SourceRef | undefined): void => {
    events.push(event);
    if (source) sources.push([event, source]);
  };
  const addListen = (source: SourceRef | undefined): void => {
    const last = events[events.length - 1];
    if (!(last && last.event === 'action' && last.name === ACTION_LISTEN)) push(action(ACTION_LISTEN), source);
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'user': {
        addListen(step.source);
        const user = userEvent(step.intent, step.text, step.entities);
        push(user, step.source);
        if (domain.storeEntitiesAsSlots) {
          for (const slot of slotsForEntities(domain.slots, user.parse_data.entities)) push(slot, step.source);
        }
        seenUser = true;
        break;
      }
      case 'action':
      case 'snippet':
      case 'bot': {
        const event =
          step.kind === 'bot'
            ? action(null, step.text)
            : action(step.kind === 'snippet' ? RULE_SNIPPET_ACTION : step.name);
        if (options.startsConversation && !seenUser && !seenAction) unpredictable.push(event);
        seenAction = true;
        push(event, step.source);
        break;
      }
      case 'slot_was_set':
        for (const slot of step.slots) push(slotEvent(slot.name, slot.value, options.isRule), step.source);
        break;
      case 'active_loop':
        push(loopEvent(step.name, options.isRule), step.source);
        break;
      default: {
        const unknown: never = step;
        throw new TypeError(`Unexpected story step ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (options.appendFinalListen) addListen(undefined);
  return { events, unpredictable, sources };
}

/** Rasa's `Domain.slots_for_entities`: unconditioned `from_entity` mappings fill slots in stories. */
export function slotsForEntities(slots: readonly SlotDefinition[], entities: readonly Entity[]): SlotSetEvent[] {
  const result: SlotSetEvent[] = [];
  for (const slot of slots) {
    const values: unknown[] = [];
    for (const mapping of slot.mappings) {
      if (mapping.type !== 'from_entity') continue;
      // Mappings bound to an active form only apply while that form runs.
      const conditions = mapping.conditions ?? [];
      if (conditions.length > 0 && conditions[0].active_loop !== null) continue;
      for (const entity of entities) {
        if (
          entity.entity === mapping.entity &&
          (entity.role ?? null) === (mapping.role ?? null) &&
          (entity.group ?? null) === (mapping.group ?? null)
        ) {
          values.push(entity.value);
        }
      }
    }
    if (values.length > 0) result.push(slotEvent(slot.name, slot.type === 'list' ? values : values[values.length - 1], false));
  }
  return result;
}

function userEvent(intent: string | null, text: string | null, entities: readonly StoryEntity[]): UserUtteredEvent {
  const parsedEntities: Entity[] = entities.map((entity) => {
    const result: Entity = { entity: entity.entity, value: entity.value };
    if (entity.start !== undefined) result.start = entity.start;
    if (entity.end !== undefined) result.end = entity.end;
    if (entity.role !== undefined) result.role = entity.role;
    if (entity.group !== undefined) result.group = entity.group;
    return result;
  });
  return {
    event: 'user',
    timestamp: 0,
    text,
    parse_data: { text: text ?? '', intent: { name: intent, confidence: 1 }, entities: parsedEntities },
    input_channel: null,
    message_id: null,
  };
}

function action(name: string | null, text: string | null = null): ActionExecutedEvent {
  return { event: 'action', timestamp: 0, name, policy: null, confidence: null, action_text: text, hide_rule_turn: false };
}

function slotEvent(name: string, value: unknown, isRule: boolean): SlotSetEvent {
  return { event: 'slot', timestamp: 0, name, value: isRule && value === null ? SHOULD_NOT_BE_SET : value };
}

function loopEvent(name: string | null, isRule: boolean): ActiveLoopEvent {
  return { event: 'active_loop', timestamp: 0, name: isRule && name === null ? SHOULD_NOT_BE_SET : name };
}
