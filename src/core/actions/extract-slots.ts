/**
 * `action_extract_slots` (dialogue-engine §9): fills slots from the latest user message through
 * each slot's mappings, runs custom mapping actions, and lets `action_validate_slot_mappings`
 * confirm or reject the candidates.
 */
import { REQUESTED_SLOT, SESSION_STARTED_METADATA_SLOT } from '../../shared/domain.js';
import type { SlotSetEvent, TrackerEvent } from '../../shared/events.js';
import { indexDomain } from '../domain-index.js';
import { slotSet } from '../events.js';
import { DialogueStateTracker } from '../tracker.js';
import { withTracker, type Action, type ActionContext } from './action.js';
import {
  conditionsAllow,
  failsUniqueEntityCheck,
  intentIsDesired,
  mappingIsValid,
  mappingValues,
} from './slot-mappings.js';

export const ACTION_EXTRACT_SLOTS = 'action_extract_slots';
export const ACTION_VALIDATE_SLOT_MAPPINGS = 'action_validate_slot_mappings';

/** Slots that mappings never fill. */
const NOT_EXTRACTED = new Set([
  REQUESTED_SLOT,
  SESSION_STARTED_METADATA_SLOT,
  'knowledge_base_listed_objects',
  'knowledge_base_last_object',
  'knowledge_base_last_object_type',
]);

export class ExtractSlotsAction implements Action {
  readonly name = ACTION_EXTRACT_SLOTS;

  async run(context: ActionContext): Promise<TrackerEvent[]> {
    const { tracker, domain, logger } = context;
    const events: TrackerEvent[] = [];
    const executedCustomActions = new Set<string>();
    for (const slot of domain.slots) {
      if (NOT_EXTRACTED.has(slot.name)) continue;
      for (const mapping of slot.mappings) {
        if (!mappingIsValid(slot.name, mapping, domain, logger)) continue;
        if (!intentIsDesired(mapping, tracker, domain)) continue;
        if (!conditionsAllow(mapping, tracker, slot.name)) continue;
        if (failsUniqueEntityCheck(slot.name, mapping, tracker, domain)) continue;
        if (mapping.type === 'custom') {
          if (mapping.action && !executedCustomActions.has(mapping.action)) {
            executedCustomActions.add(mapping.action);
            events.push(...(await runCustomMappingAction(mapping.action, context)));
          }
          continue;
        }
        const values = mappingValues(mapping, tracker);
        if (values.length === 0) continue;
        const value = slot.type === 'list' ? values : values[values.length - 1];
        // The first mapping that yields something wins, even when it repeats the current value.
        if (value !== null || tracker.getSlot(slot.name) !== null) {
          events.push(slotSet(slot.name, value));
          break;
        }
      }
    }
    return validateCandidates(events, context);
  }
}

/**
 * Runs a custom action for slot filling; keeps its `slot` and `bot` events, drops others (info
 * log), and turns failures into a warning with no events.
 */
async function runCustomMappingAction(name: string, context: ActionContext): Promise<TrackerEvent[]> {
  let returned: TrackerEvent[];
  try {
    returned = await context.actions.remoteAction(name).run(context);
  } catch (error) {
    context.logger.warn(
      { event: 'slot_mapping.custom_action.failed', action: name, err: error },
      `Failed to run the custom action '${name}' (${(error as Error).message}); slots with custom mappings were not filled by it.`,
    );
    return [];
  }
  const kept: TrackerEvent[] = [];
  const dropped = new Set<string>();
  for (const event of returned) {
    if (event.event === 'slot' || event.event === 'bot') kept.push(event);
    else dropped.add(event.event);
  }
  for (const type of dropped) {
    context.logger.info(
      { event: 'slot_mapping.custom_action.event_dropped', action: name, type },
      `The custom action '${name}' returned an event of type '${type}', which slot filling does not allow; it is ignored.`,
    );
  }
  return kept;
}

/**
 * Keeps only the `slot` candidates (bot messages of custom mapping actions are dropped, as in
 * Rasa 3.6) and, when the domain lists `action_validate_slot_mappings`, lets it decide: its events
 * are kept, plus every candidate whose slot it did not mention.
 */
async function validateCandidates(events: TrackerEvent[], context: ActionContext): Promise<TrackerEvent[]> {
  const candidates = events.filter((event): event is SlotSetEvent => event.event === 'slot');
  if (!indexDomain(context.domain).customActions.has(ACTION_VALIDATE_SLOT_MAPPINGS)) return candidates;
  const { tracker, domain } = context;
  const validationTracker = DialogueStateTracker.fromEvents(
    tracker.senderId,
    [...tracker.eventsAfterLatestRestart(), ...candidates],
    domain.slots,
  );
  const validated = await runCustomMappingAction(ACTION_VALIDATE_SLOT_MAPPINGS, withTracker(context, validationTracker));
  const validatedNames = new Set(validated.flatMap((event) => (event.event === 'slot' ? [event.name] : [])));
  return [...validated, ...candidates.filter((candidate) => !validatedNames.has(candidate.name))];
}
