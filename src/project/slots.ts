/** Turns schema-checked slot definitions into `SlotDefinition`s, with Rasa's defaults and checks. */
import {
  REQUESTED_SLOT,
  SESSION_STARTED_METADATA_SLOT,
  type SlotDefinition,
  type SlotMapping,
  type SlotMappingCondition,
  type SlotMappingType,
  type SlotType,
} from '../shared/domain.js';
import type { Located } from './domain-merge.js';
import type { IssueCollector } from './issues.js';

const KNOWLEDGE_BASE_ACTION = 'action_query_knowledge_base';
const KNOWLEDGE_BASE_SLOTS = [
  'knowledge_base_listed_objects',
  'knowledge_base_last_object',
  'knowledge_base_last_object_type',
];

/** The user's slots in declaration order. */
export function buildUserSlots(
  slots: ReadonlyMap<string, Located<Record<string, unknown>>>,
  issues: IssueCollector,
): SlotDefinition[] {
  const result: SlotDefinition[] = [];
  for (const [name, { value: raw, source }] of slots) {
    const type = raw.type as SlotType;
    const influenceConversation = (raw.influence_conversation as boolean | undefined) ?? type !== 'any';
    if (type === 'any' && influenceConversation) {
      issues.error(
        'PARLEY_ERR_DOMAIN_INVALID',
        `The slot '${name}' is of type 'any', which cannot influence the conversation. ` +
          "Remove 'influence_conversation: true' or use another slot type.",
        source,
      );
    }
    const slot: SlotDefinition = {
      name,
      type,
      influenceConversation,
      initialValue: raw.initial_value ?? null,
      mappings: ((raw.mappings ?? []) as Array<Record<string, unknown>>).map(normalizeMapping),
      source,
    };
    if (type === 'categorical') slot.values = categoricalValues(name, raw.values, source, issues);
    if (type === 'float') checkFloatRange(slot, raw, issues);
    result.push(slot);
  }
  return result;
}

/**
 * Appends Rasa's default slots: `requested_slot` when there are forms (unless the user defined
 * it), the knowledge-base slots when that action exists, and `session_started_metadata`.
 */
export function withDefaultSlots(
  userSlots: SlotDefinition[],
  hasForms: boolean,
  actionNames: readonly string[],
): SlotDefinition[] {
  const slots = [...userSlots];
  const names = new Set(slots.map((slot) => slot.name));
  const hiddenTextSlot = (name: string): SlotDefinition => ({
    name,
    type: 'text',
    influenceConversation: false,
    initialValue: null,
    mappings: [],
  });
  if (hasForms && !names.has(REQUESTED_SLOT)) slots.push(hiddenTextSlot(REQUESTED_SLOT));
  if (actionNames.includes(KNOWLEDGE_BASE_ACTION)) {
    for (const name of KNOWLEDGE_BASE_SLOTS) if (!names.has(name)) slots.push(hiddenTextSlot(name));
  }
  slots.push({
    name: SESSION_STARTED_METADATA_SLOT,
    type: 'any',
    influenceConversation: false,
    initialValue: null,
    mappings: [],
  });
  return slots;
}

function normalizeMapping(raw: Record<string, unknown>): SlotMapping {
  const mapping: SlotMapping = { type: raw.type as SlotMappingType };
  for (const key of ['entity', 'role', 'group', 'action'] as const) {
    if (typeof raw[key] === 'string') mapping[key] = raw[key] as string;
  }
  if (raw.intent !== undefined && raw.intent !== null) mapping.intent = asList(raw.intent);
  if (raw.not_intent !== undefined && raw.not_intent !== null) mapping.not_intent = asList(raw.not_intent);
  if ('value' in raw) mapping.value = raw.value;
  if (Array.isArray(raw.conditions)) {
    mapping.conditions = (raw.conditions as Array<Record<string, unknown>>).map((condition) => {
      const normalized: SlotMappingCondition = { active_loop: (condition.active_loop as string | null) ?? null };
      if (typeof condition.requested_slot === 'string') normalized.requested_slot = condition.requested_slot;
      return normalized;
    });
  }
  return mapping;
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function categoricalValues(
  name: string,
  raw: unknown,
  source: Located<unknown>['source'],
  issues: IssueCollector,
): string[] {
  const values = Array.isArray(raw) ? raw : [];
  if (values.some((value) => value === null)) {
    issues.warn(
      'PARLEY_WARN_SLOT_CONFIG',
      `The categorical slot '${name}' lists null as a value; null means "not set" and is ignored. ` +
        'Write "null" in quotes if you mean the word.',
      source,
    );
  }
  return values.filter((value) => value !== null).map((value) => String(value).toLowerCase());
}

function checkFloatRange(slot: SlotDefinition, raw: Record<string, unknown>, issues: IssueCollector): void {
  const minValue = (raw.min_value as number | undefined) ?? 0;
  const maxValue = (raw.max_value as number | undefined) ?? 1;
  slot.minValue = minValue;
  slot.maxValue = maxValue;
  if (minValue >= maxValue) {
    issues.error(
      'PARLEY_ERR_DOMAIN_INVALID',
      `The float slot '${slot.name}' has min_value ${minValue} and max_value ${maxValue}; min_value must be smaller.`,
      slot.source,
    );
    return;
  }
  const initial = slot.initialValue;
  if (typeof initial === 'number' && (initial < minValue || initial > maxValue)) {
    issues.warn(
      'PARLEY_WARN_SLOT_CONFIG',
      `The float slot '${slot.name}' starts at ${initial}, outside its range ${minValue}..${maxValue}.`,
      slot.source,
    );
  }
}
