/** Builds the `Domain` (intents, entities, slots, responses, forms, action index) from merged files. */
import {
  DEFAULT_ACTIONS,
  DEFAULT_INTENTS,
  type Domain,
  type EntityDefinition,
  type FormDefinition,
  type IntentDefinition,
  type ResponseVariation,
  type SourceRef,
} from '../shared/domain.js';
import { itemName, type Located, type MergedDomain, type NamedItem } from './domain-merge.js';
import { compare, serializeDomain } from './domain-serializer.js';
import type { IssueCollector } from './issues.js';
import { buildUserSlots, withDefaultSlots } from './slots.js';

export interface DomainInputs {
  merged: MergedDomain;
  /** Responses from NLU files (retrieval responses `utter_<base>/<key>`). */
  nluResponses: Record<string, ResponseVariation[]>;
  /** Base names of the retrieval intents found in NLU data. */
  retrievalIntents: readonly string[];
  /** End-to-end bot texts (`bot:` steps) of the training stories and rules. */
  botTexts: readonly string[];
}

interface EntityProperties {
  names: string[];
  roles: Map<string, string[]>;
  groups: Map<string, string[]>;
  ignoredByDefault: Set<string>;
}

/** Builds the domain; invalid content is recorded in `issues` (the result is then partial). */
export function buildDomain(inputs: DomainInputs, issues: IssueCollector): Domain {
  const { merged } = inputs;
  const entities = buildEntities(merged.entities, issues);
  const properties = entityProperties(entities);
  const intents = buildIntents(merged.intents, properties, inputs.retrievalIntents, issues);

  const forms = buildForms(merged.forms);
  const formNames = Object.keys(forms);
  const responses: Record<string, ResponseVariation[]> = {};
  for (const [name, { value }] of merged.responses) responses[name] = value as ResponseVariation[];
  Object.assign(responses, inputs.nluResponses);

  const customActions = merged.actions.map((action) => itemName(action.value));
  for (const base of inputs.retrievalIntents) {
    if (!customActions.includes(`utter_${base}`)) customActions.push(`utter_${base}`);
  }
  const actionTexts =
    inputs.botTexts.length > 0 ? [...new Set([...merged.e2eActions, ...inputs.botTexts])].sort(compare) : [...merged.e2eActions];
  const actionNames = actionIndex(customActions, responses, formNames, actionTexts);
  reportDuplicateActions(actionNames, merged.actions, issues);
  warnMissingResponses(actionNames, responses, merged.actions, issues);

  const slots = withDefaultSlots(buildUserSlots(merged.slots, issues), formNames.length > 0, actionNames);
  const sessionConfig = merged.sessionConfig ?? {};
  const declaredUsed = new Map(intents.map((intent) => [intent.name, intent.source ? intent.usedEntities : null]));

  return {
    intents,
    entities,
    slots,
    responses,
    customActions,
    actionsSendingDomain: actionsSendingDomain(merged.actions),
    forms,
    sessionConfig: {
      sessionExpirationTime: (sessionConfig.session_expiration_time as number | null | undefined) ?? 60,
      carryOverSlots: (sessionConfig.carry_over_slots_to_new_session as boolean | null | undefined) ?? true,
    },
    storeEntitiesAsSlots: (merged.config?.store_entities_as_slots as boolean | undefined) ?? true,
    actionTexts,
    actionNames,
    serialized: serializeDomain({
      raw: merged.raw,
      nluResponses: inputs.nluResponses,
      retrievalIntents: inputs.retrievalIntents.map((name) => ({
        name,
        declaredUsedEntities: declaredUsed.get(name) ?? null,
      })),
      botTexts: inputs.botTexts,
    }),
  };
}

function buildEntities(items: ReadonlyArray<Located<NamedItem>>, issues: IssueCollector): EntityDefinition[] {
  const entities: EntityDefinition[] = [];
  const seen = new Set<string>();
  for (const { value, source } of items) {
    const name = itemName(value);
    if (seen.has(name)) {
      issues.error(
        'PARLEY_ERR_DOMAIN_INVALID',
        `The entity '${name}' is listed more than once in the domain; each entity may appear only once.`,
        source,
      );
      continue;
    }
    seen.add(name);
    const body = typeof value === 'string' ? {} : (value[name] as Record<string, unknown>);
    entities.push({
      name,
      roles: (body.roles as string[] | undefined) ?? [],
      groups: (body.groups as string[] | undefined) ?? [],
      influenceConversation: body.influence_conversation !== false,
      source,
    });
  }
  return entities.sort((a, b) => compare(a.name, b.name));
}

function entityProperties(entities: readonly EntityDefinition[]): EntityProperties {
  return {
    names: entities.map((entity) => entity.name),
    roles: new Map(entities.filter((entity) => entity.roles.length > 0).map((entity) => [entity.name, entity.roles])),
    groups: new Map(entities.filter((entity) => entity.groups.length > 0).map((entity) => [entity.name, entity.groups])),
    ignoredByDefault: new Set(entities.filter((entity) => !entity.influenceConversation).map((entity) => entity.name)),
  };
}

/** `entity#role` / `entity#group` labels of one entity, or of all entities. */
function subLabels(labels: ReadonlyMap<string, string[]>, entity?: string): string[] {
  const entries = entity === undefined ? [...labels] : labels.has(entity) ? [[entity, labels.get(entity)!] as const] : [];
  return entries.flatMap(([name, subs]) => subs.map((sub) => `${name}#${sub}`));
}

/**
 * The entity labels an intent featurizes. `use_entities: true`/absent = every entity not marked
 * `influence_conversation: false`, with all role/group labels; a list = those entities and their
 * labels; `ignore_entities` (and their labels) are removed last.
 */
function usedEntities(useEntities: string[] | null, ignoreEntities: readonly string[], properties: EntityProperties): {
  used: string[];
  ambiguous: string[];
} {
  const included = new Set<string>();
  if (useEntities === null) {
    for (const name of properties.names) if (!properties.ignoredByDefault.has(name)) included.add(name);
    for (const label of [...subLabels(properties.roles), ...subLabels(properties.groups)]) included.add(label);
  } else {
    for (const name of useEntities) {
      included.add(name);
      for (const label of [...subLabels(properties.roles, name), ...subLabels(properties.groups, name)]) included.add(label);
    }
  }
  const excluded = new Set<string>();
  for (const name of ignoreEntities) {
    excluded.add(name);
    for (const label of [...subLabels(properties.roles, name), ...subLabels(properties.groups, name)]) excluded.add(label);
  }
  const used = [...included].filter((label) => !excluded.has(label)).sort(compare);
  const ambiguous = useEntities === null ? [] : [...included].filter((label) => excluded.has(label)).sort(compare);
  return { used, ambiguous };
}

function buildIntents(
  items: ReadonlyArray<Located<NamedItem>>,
  properties: EntityProperties,
  retrievalIntents: readonly string[],
  issues: IssueCollector,
): IntentDefinition[] {
  const intents = new Map<string, IntentDefinition>();
  const defaultIgnore = [...properties.ignoredByDefault];
  for (const { value, source } of items) {
    const name = itemName(value);
    if (intents.has(name)) {
      issues.error(
        'PARLEY_ERR_DOMAIN_INVALID',
        `The intent '${name}' is listed more than once in the domain; rename or remove the duplicate.`,
        source,
      );
      continue;
    }
    const body = typeof value === 'string' ? {} : ((value[name] ?? {}) as Record<string, unknown>);
    const rawUse = body.use_entities;
    const useEntities = rawUse === undefined || rawUse === true ? null : Array.isArray(rawUse) ? (rawUse as string[]) : [];
    const ignoreEntities = 'ignore_entities' in body ? ((body.ignore_entities as string[] | null) ?? []) : [];
    const effectiveIgnore = 'ignore_entities' in body ? ignoreEntities : defaultIgnore;
    const { used, ambiguous } = usedEntities(useEntities, effectiveIgnore, properties);
    if (ambiguous.length > 0) {
      issues.warn(
        'PARLEY_WARN_DOMAIN_AMBIGUOUS',
        `The intent '${name}' both uses and ignores ${ambiguous.map((entity) => `'${entity}'`).join(', ')}; ignoring wins.`,
        source,
      );
    }
    intents.set(name, {
      name,
      usedEntities: used,
      useEntities,
      ignoreEntities,
      isRetrievalIntent: false,
      source,
    });
  }
  const implicit = [...retrievalIntents, ...DEFAULT_INTENTS].filter((name) => !intents.has(name));
  for (const name of implicit) {
    intents.set(name, {
      name,
      usedEntities: usedEntities(null, defaultIgnore, properties).used,
      useEntities: null,
      ignoreEntities: [],
      isRetrievalIntent: false,
    });
  }
  for (const name of retrievalIntents) intents.get(name)!.isRetrievalIntent = true;
  return [...intents.values()].sort((a, b) => compare(a.name, b.name));
}

function buildForms(forms: MergedDomain['forms']): Record<string, FormDefinition> {
  const result: Record<string, FormDefinition> = {};
  for (const [name, { value, source }] of forms) {
    const ignored = value?.ignored_intents;
    result[name] = {
      name,
      requiredSlots: ((value?.required_slots as string[] | null | undefined) ?? []).slice(),
      ignoredIntents: ignored === undefined || ignored === null ? [] : Array.isArray(ignored) ? (ignored as string[]) : [String(ignored)],
      source,
    };
  }
  return result;
}

/**
 * Rasa's action index: the default actions, then custom actions and (sorted) responses that do
 * not reuse a default name, then forms not overridden by a custom action, then bot texts.
 */
function actionIndex(
  customActions: readonly string[],
  responses: Readonly<Record<string, unknown>>,
  formNames: readonly string[],
  actionTexts: readonly string[],
): string[] {
  const defaults = new Set<string>(DEFAULT_ACTIONS);
  const responseActions = Object.keys(responses)
    .sort(compare)
    .filter((name) => !customActions.includes(name));
  const userActions = [...customActions, ...responseActions].filter((name) => !defaults.has(name));
  const formActions = formNames.filter((name) => !customActions.includes(name));
  return [...DEFAULT_ACTIONS, ...userActions, ...formActions, ...actionTexts];
}

function reportDuplicateActions(
  actionNames: readonly string[],
  actions: ReadonlyArray<Located<NamedItem>>,
  issues: IssueCollector,
): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of actionNames) (seen.has(name) ? duplicates : seen).add(name);
  for (const name of duplicates) {
    const listed = actions.filter((action) => itemName(action.value) === name);
    issues.error(
      'PARLEY_ERR_DOMAIN_INVALID',
      `The action '${name}' occurs more than once in the domain (as an action, response, form or bot text); ` +
        'each action name may be defined only once.',
      listed[listed.length - 1]?.source,
    );
  }
}

function warnMissingResponses(
  actionNames: readonly string[],
  responses: Readonly<Record<string, unknown>>,
  actions: ReadonlyArray<Located<NamedItem>>,
  issues: IssueCollector,
): void {
  const retrievalParents = new Set(
    actionNames.filter((name) => name.startsWith('utter_') && name.includes('/')).map((name) => name.split('/')[0]),
  );
  const sources = new Map<string, SourceRef>(actions.map((action) => [itemName(action.value), action.source]));
  for (const name of actionNames) {
    if (!name.startsWith('utter_') || retrievalParents.has(name) || name in responses) continue;
    issues.warn(
      'PARLEY_WARN_RESPONSE_MISSING',
      `The action '${name}' is listed as a response action in the domain, but no response '${name}' is defined.`,
      sources.get(name),
    );
  }
}

function actionsSendingDomain(actions: ReadonlyArray<Located<NamedItem>>): string[] {
  const names: string[] = [];
  for (const { value } of actions) {
    const name = itemName(value);
    if (typeof value === 'string') {
      if (name.startsWith('validate_')) names.push(name);
    } else if ((value[name] as Record<string, unknown> | null)?.send_domain === true) {
      names.push(name);
    }
  }
  return names;
}
