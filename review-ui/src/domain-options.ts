/**
 * What the correction forms and filters offer, read from the model's domain (`GET /review/api/domain`, as
 * JSON, Rasa's `Domain.as_dict()`): intents, entities with their roles and groups, and the
 * actions a story may name. Pure functions: no DOM, no I/O.
 */
import type { ConversationDetail } from './types.js';

export interface EntityOption {
  name: string;
  roles: string[];
  groups: string[];
}

export interface DomainOptions {
  intents: string[];
  entities: EntityOption[];
  /** Responses, custom actions and forms, then the default actions a reviewer may pick. */
  actions: string[];
}

/** Default actions that make sense as a corrected next action. */
export const DEFAULT_ACTION_CHOICES = ['action_listen', 'action_default_fallback', 'action_restart', 'action_two_stage_fallback'] as const;

/** Rasa's default intents, which the domain JSON leaves out but the NLU may predict. */
export const DEFAULT_INTENT_CHOICES = ['nlu_fallback', 'out_of_scope'] as const;

export const EMPTY_DOMAIN_OPTIONS: DomainOptions = Object.freeze({ intents: [], entities: [], actions: [] }) as DomainOptions;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `- greet` and `- greet: {use_entities: []}` both name `greet`. */
function itemName(item: unknown): string | null {
  if (typeof item === 'string') return item;
  if (isObject(item)) return Object.keys(item)[0] ?? null;
  return null;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map(itemName).filter((name): name is string => name !== null && name !== '') : [];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function entityOption(item: unknown): EntityOption | null {
  const name = itemName(item);
  if (name === null || name === '') return null;
  const properties = isObject(item) && isObject(item[name]) ? item[name] : {};
  return { name, roles: stringList(properties.roles), groups: stringList(properties.groups) };
}

const unique = (list: string[]): string[] => [...new Set(list)];

/** @example domainOptions({ intents: ['greet'], responses: { utter_greet: [] } }).actions // ['utter_greet', 'action_listen', …] */
export function domainOptions(domain: unknown): DomainOptions {
  if (!isObject(domain)) return EMPTY_DOMAIN_OPTIONS;
  const intents = unique([...names(domain.intents), ...DEFAULT_INTENT_CHOICES]).sort();
  const entities = (Array.isArray(domain.entities) ? domain.entities : [])
    .map(entityOption)
    .filter((option): option is EntityOption => option !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
  const ownActions = [
    ...Object.keys(isObject(domain.responses) ? domain.responses : {}),
    ...names(domain.actions),
    ...Object.keys(isObject(domain.forms) ? domain.forms : {}),
  ];
  const actions = unique([...unique(ownActions).sort(), ...DEFAULT_ACTION_CHOICES]);
  return { intents, entities, actions };
}

/** Adds names seen in conversations but missing from the domain (an older model, say) so filters can still pick them. */
export function withSeen(known: readonly string[], seen: Iterable<string>): string[] {
  return unique([...known, ...[...seen].filter((name) => name !== '')]).sort();
}

/**
 * Choices taken from a conversation when the domain cannot be read (no model loaded, say): every
 * intent the model ranked, every entity and action it produced.
 */
export function optionsFromConversation(detail: ConversationDetail): DomainOptions {
  const intents = new Set<string>(DEFAULT_INTENT_CHOICES);
  const entities = new Set<string>();
  const actions = new Set<string>();
  for (const turn of detail.turns) {
    for (const prediction of [turn.intent, ...turn.intent_ranking]) if (prediction?.name) intents.add(prediction.name);
    for (const entity of turn.entities) entities.add(entity.entity);
    for (const action of turn.actions) if (action.name !== 'action_session_start') actions.add(action.name);
    for (const correction of turn.corrections) {
      if (correction.intent) intents.add(correction.intent);
      if (correction.action) actions.add(correction.action);
      for (const entity of correction.entities ?? []) entities.add(entity.entity);
    }
  }
  return {
    intents: [...intents].sort(),
    entities: [...entities].sort().map((name) => ({ name, roles: [], groups: [] })),
    actions: unique([...[...actions].sort(), ...DEFAULT_ACTION_CHOICES]),
  };
}
