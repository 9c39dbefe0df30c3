/** The merged, validated domain of a Rasa 3.x project, as plain data (no I/O). */
import type { Button } from './events.js';

/** Where a definition was written: lets errors name `file:line:column`. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export interface IntentDefinition {
  name: string;
  /** Entity names (and `entity#role` / `entity#group` labels) featurized with this intent. */
  usedEntities: string[];
  /** `null` when the YAML wrote no `use_entities`/`ignore_entities` (= all entities). */
  useEntities: string[] | null;
  ignoreEntities: string[];
  isRetrievalIntent: boolean;
  source?: SourceRef;
}

export interface EntityDefinition {
  name: string;
  roles: string[];
  groups: string[];
  influenceConversation: boolean;
  source?: SourceRef;
}

export type SlotType = 'text' | 'bool' | 'categorical' | 'float' | 'list' | 'any';

export interface SlotMappingCondition {
  active_loop: string | null;
  requested_slot?: string;
}

export type SlotMappingType =
  | 'from_entity'
  | 'from_text'
  | 'from_intent'
  | 'from_trigger_intent'
  | 'custom';

/** One entry of a slot's `mappings:` list, keys as written in YAML. */
export interface SlotMapping {
  type: SlotMappingType;
  entity?: string;
  role?: string;
  group?: string;
  intent?: string[];
  not_intent?: string[];
  value?: unknown;
  action?: string;
  conditions?: SlotMappingCondition[];
}

export interface SlotDefinition {
  name: string;
  type: SlotType;
  influenceConversation: boolean;
  initialValue: unknown;
  mappings: SlotMapping[];
  /** categorical: lowercased allowed values (without `__other__`). */
  values?: string[];
  /** float bounds. */
  minValue?: number;
  maxValue?: number;
  source?: SourceRef;
}

export interface ResponseCondition {
  type: string;
  name: string;
  value: unknown;
}

/** One variation of a response (`responses.utter_x[i]`). */
export interface ResponseVariation {
  id?: string;
  text?: string | null;
  image?: string;
  custom?: Record<string, unknown>;
  buttons?: Button[];
  button_type?: string;
  quick_replies?: Button[];
  attachment?: unknown;
  elements?: unknown[];
  channel?: string;
  metadata?: unknown;
  condition?: ResponseCondition[];
}

export interface FormDefinition {
  name: string;
  requiredSlots: string[];
  ignoredIntents: string[];
  source?: SourceRef;
}

export interface SessionConfig {
  /** Minutes; 0 means sessions never expire. */
  sessionExpirationTime: number;
  carryOverSlots: boolean;
}

export interface Domain {
  /** Sorted by name; includes Rasa's default intents. */
  intents: IntentDefinition[];
  entities: EntityDefinition[];
  /** Declaration order; includes default slots (`requested_slot`, `session_started_metadata`). */
  slots: SlotDefinition[];
  responses: Record<string, ResponseVariation[]>;
  /** Custom actions as listed under `actions:` (including overridden default names). */
  customActions: string[];
  /** Custom actions declared with `send_domain: true`. */
  actionsSendingDomain: string[];
  forms: Record<string, FormDefinition>;
  sessionConfig: SessionConfig;
  storeEntitiesAsSlots: boolean;
  /** End-to-end bot texts used as actions. */
  actionTexts: string[];
  /**
   * Every action the policies can predict, in Rasa's index order: the default actions, custom
   * actions, `utter_*` responses (sorted), forms, end-to-end texts.
   */
  actionNames: string[];
  /** Rasa's `Domain.as_dict()`: what `GET /domain` and the action server receive. */
  serialized: Record<string, unknown>;
}

export const DEFAULT_INTENTS = [
  'restart',
  'back',
  'out_of_scope',
  'session_start',
  'nlu_fallback',
] as const;

/** Default actions, in the index order Rasa gives them (index 0 is always `action_listen`). */
export const DEFAULT_ACTIONS = [
  'action_listen',
  'action_restart',
  'action_session_start',
  'action_default_fallback',
  'action_deactivate_loop',
  'action_revert_fallback_events',
  'action_default_ask_affirmation',
  'action_default_ask_rephrase',
  'action_two_stage_fallback',
  'action_unlikely_intent',
  'action_back',
  '...',
  'action_extract_slots',
] as const;

export const REQUESTED_SLOT = 'requested_slot';
export const SESSION_STARTED_METADATA_SLOT = 'session_started_metadata';
