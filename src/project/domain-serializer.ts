/** Rasa's `Domain.as_dict()`: the merged domain as written, cleaned, with a few defaults added. */
import type { ResponseVariation } from '../shared/domain.js';
import { itemName, type NamedItem } from './domain-merge.js';
import { LATEST_FORMAT_VERSION } from './format-version.js';

export interface SerializeInputs {
  /** The merged domain dict as written. */
  raw: Record<string, unknown>;
  /** Responses found in NLU files; they win over the domain's on a name clash. */
  nluResponses: Record<string, ResponseVariation[]>;
  /** Retrieval intents with the entities the domain lets them use (null when not declared). */
  retrievalIntents: ReadonlyArray<{ name: string; declaredUsedEntities: string[] | null }>;
  /** End-to-end bot texts of the training stories. */
  botTexts: readonly string[];
}

/**
 * Builds the serialized domain the way Rasa's importers do: empty top-level values dropped,
 * intents sorted by name (falsy `use_entities`/`ignore_entities` become `[]`), `session_config`
 * and `version` added when missing, then NLU responses and retrieval intents merged in, then
 * end-to-end bot texts united into `e2e_actions`. Default intents, actions and slots are not
 * included.
 */
export function serializeDomain(inputs: SerializeInputs): Record<string, unknown> {
  let data = withDefaults(clean(structuredClone(inputs.raw)));
  if (Object.keys(inputs.nluResponses).length > 0 || inputs.retrievalIntents.length > 0) {
    data = withDefaults(clean(mergeRetrieval(data, inputs)));
  }
  if (inputs.botTexts.length > 0) {
    const texts = new Set([...((data.e2e_actions ?? []) as string[]), ...inputs.botTexts]);
    data.e2e_actions = [...texts].sort();
  }
  return data;
}

function clean(data: Record<string, unknown>): Record<string, unknown> {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    cleaned[key] = value;
  }
  return cleaned;
}

function withDefaults(data: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(data.intents)) data.intents = sortIntents(data.intents as NamedItem[]);
  if (!('session_config' in data)) {
    data.session_config = { session_expiration_time: 60, carry_over_slots_to_new_session: true };
  }
  if (!('version' in data)) data.version = LATEST_FORMAT_VERSION;
  return data;
}

function sortIntents(intents: NamedItem[]): NamedItem[] {
  const normalized = intents.map((intent) => {
    if (typeof intent === 'string') return intent;
    const name = itemName(intent);
    const properties = { ...(intent[name] as Record<string, unknown>) };
    for (const key of ['use_entities', 'ignore_entities']) {
      if (key in properties && !properties[key]) properties[key] = [];
    }
    return { [name]: properties };
  });
  return normalized.sort((a, b) => compare(itemName(a), itemName(b)));
}

function mergeRetrieval(data: Record<string, unknown>, inputs: SerializeInputs): Record<string, unknown> {
  const intents = new Map(((data.intents ?? []) as NamedItem[]).map((item) => [itemName(item), item]));
  for (const { name, declaredUsedEntities } of inputs.retrievalIntents) {
    const properties: Record<string, unknown> =
      declaredUsedEntities === null ? {} : { used_entities: declaredUsedEntities };
    properties.is_retrieval_intent = true;
    intents.set(name, { [name]: properties });
  }
  data.intents = [...intents.values()];
  data.responses = { ...((data.responses ?? {}) as Record<string, unknown>), ...inputs.nluResponses };
  const actions = [...((data.actions ?? []) as NamedItem[])];
  const known = new Set(actions.map(itemName));
  for (const { name } of inputs.retrievalIntents) {
    const action = `utter_${name}`;
    if (!known.has(action)) actions.push(action);
  }
  data.actions = actions;
  return data;
}

/** Plain string order (UTF-16 code units): Python's `sorted` order for all everyday text. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
