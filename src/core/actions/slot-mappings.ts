/** When a slot mapping applies to the latest user message, and what value it yields. */
import type { Logger } from '../../logger.js';
import { REQUESTED_SLOT, type Domain, type SlotMapping } from '../../shared/domain.js';
import { indexDomain } from '../domain-index.js';
import { jsonWithSortedKeys } from '../python-values.js';
import type { DialogueStateTracker } from '../tracker.js';

function asList(value: string[] | string | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A mapping naming an entity or intent the domain lacks is skipped (with a warning). */
export function mappingIsValid(slotName: string, mapping: SlotMapping, domain: Domain, logger: Logger): boolean {
  const index = indexDomain(domain);
  if (mapping.type === 'from_entity' && !index.entityNames.has(mapping.entity ?? '')) {
    logger.warn(
      { event: 'slot_mapping.entity.unknown', slot: slotName, entity: mapping.entity },
      `Slot '${slotName}' uses a 'from_entity' mapping for the entity '${mapping.entity}', which is not in the domain; the mapping is skipped.`,
    );
    return false;
  }
  if (mapping.type === 'from_intent') {
    const unknown = asList(mapping.intent).find((intent) => intent && !index.intentNames.has(intent));
    if (unknown !== undefined) {
      logger.warn(
        { event: 'slot_mapping.intent.unknown', slot: slotName, intent: unknown },
        `Slot '${slotName}' uses a 'from_intent' mapping for the intent '${unknown}', which is not in the domain; the mapping is skipped.`,
      );
      return false;
    }
  }
  return true;
}

/**
 * The intent filter: the mapping applies when it lists the message's intent under `intent`, or
 * lists no intents and the message's intent is neither under `not_intent` nor ignored by the
 * active form (when the mapping's conditions concern that form).
 */
export function intentIsDesired(mapping: SlotMapping, tracker: DialogueStateTracker, domain: Domain): boolean {
  const wanted = asList(mapping.intent);
  const blocked = new Set(asList(mapping.not_intent));
  const loop = tracker.activeLoopName;
  if (loop) for (const intent of ignoredIntentsOfActiveForm(mapping, domain, loop)) blocked.add(intent);
  const intent = tracker.latestIntentName;
  return (wanted.length === 0 && !blocked.has(intent as string)) || wanted.includes(intent as string);
}

function ignoredIntentsOfActiveForm(mapping: SlotMapping, domain: Domain, loop: string): string[] {
  const conditions = mapping.conditions ?? [];
  const concernsLoop = conditions.length === 0 || conditions.some((condition) => condition.active_loop === loop);
  return concernsLoop ? (domain.forms[loop]?.ignoredIntents ?? []) : [];
}

/**
 * Whether a mapping's `conditions` allow it now (mappings of type `from_trigger_intent` use their
 * conditions only to pick the form, see {@link mappingValues}).
 */
export function conditionsAllow(mapping: SlotMapping, tracker: DialogueStateTracker, slotName: string): boolean {
  const conditions = mapping.conditions ?? [];
  if (conditions.length === 0 || mapping.type === 'from_trigger_intent') return true;
  // A rejected form must not re-fill its requested slot from the same message.
  if (tracker.activeLoop?.rejected && tracker.getSlot(REQUESTED_SLOT) === slotName) return false;
  const loop = tracker.activeLoopName;
  return conditions.some((condition) => {
    const wantedLoop = 'active_loop' in condition ? condition.active_loop : '';
    if (wantedLoop && wantedLoop === loop) {
      return !condition.requested_slot || condition.requested_slot === tracker.getSlot(REQUESTED_SLOT);
    }
    return wantedLoop === null && loop === null;
  });
}

/** The candidate values of a predefined mapping for the latest message (empty: nothing to fill). */
export function mappingValues(mapping: SlotMapping, tracker: DialogueStateTracker): unknown[] {
  switch (mapping.type) {
    case 'from_entity':
      return tracker.latestEntityValues(mapping.entity ?? '', mapping.role, mapping.group);
    case 'from_intent':
      return [mapping.value ?? null];
    case 'from_trigger_intent':
      return triggerConditionHolds(mapping, tracker) ? [mapping.value ?? null] : [];
    case 'from_text':
      return [tracker.latestUserEvent?.text ?? null];
    case 'custom':
      return [];
    default: {
      const unknown: never = mapping.type;
      throw new TypeError(`Unknown slot mapping type '${String(unknown)}'`);
    }
  }
}

function triggerConditionHolds(mapping: SlotMapping, tracker: DialogueStateTracker): boolean {
  const loop = tracker.activeLoopName;
  if (loop === null) return false;
  const loops = (mapping.conditions ?? []).map((condition) => condition.active_loop);
  return loops.length === 0 || loops.includes(loop);
}

const uniqueMappingsCache = new WeakMap<Domain, Map<string, Set<string>>>();

/**
 * The unique-entity rule: while a form is active, a `from_entity` mapping of one of its required
 * slots (other than the requested one) is used only if no other required slot of the form has an
 * identical `from_entity` mapping.
 */
export function failsUniqueEntityCheck(
  slotName: string,
  mapping: SlotMapping,
  tracker: DialogueStateTracker,
  domain: Domain,
): boolean {
  if (mapping.type !== 'from_entity') return false;
  const form = tracker.activeLoopName;
  if (!form) return false;
  if (tracker.getSlot(REQUESTED_SLOT) === slotName) return false;
  if (!(domain.forms[form]?.requiredSlots ?? []).includes(slotName)) return false;
  return !uniqueEntityMappings(domain, form).has(jsonWithSortedKeys(mapping));
}

function uniqueEntityMappings(domain: Domain, form: string): Set<string> {
  let perForm = uniqueMappingsCache.get(domain);
  if (!perForm) uniqueMappingsCache.set(domain, (perForm = new Map()));
  let unique = perForm.get(form);
  if (unique) return unique;
  unique = new Set<string>();
  const duplicates = new Set<string>();
  const slots = indexDomain(domain).slots;
  for (const slotName of domain.forms[form]?.requiredSlots ?? []) {
    for (const candidate of slots.get(slotName)?.mappings ?? []) {
      if (candidate.type !== 'from_entity') continue;
      const key = jsonWithSortedKeys(candidate);
      if (unique.has(key)) {
        unique.delete(key);
        duplicates.add(key);
      } else if (!duplicates.has(key)) {
        unique.add(key);
      }
    }
  }
  perForm.set(form, unique);
  return unique;
}
