/**
 * Test helper: reads a fixture bot's domain, stories, rules and test stories into the shared
 * types, with just enough of Rasa's rules (default intents and slots, action order) for the
 * dialogue tests. The real loader lives in src/project/.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_ACTIONS, DEFAULT_INTENTS, type Domain, type SlotDefinition, type SlotMapping } from '../../../../src/shared/domain.js';
import type { ComponentConfig } from '../../../../src/shared/project.js';
import type { Rule, Story, StoryEntity, StoryStep } from '../../../../src/shared/training-data.js';

export const FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/bots/', import.meta.url));

export interface FixtureBot {
  domain: Domain;
  stories: Story[];
  rules: Rule[];
  testStories: Story[];
  policies: ComponentConfig[] | null;
}

type Raw = Record<string, unknown>;

export function readFixtureBot(name: 'moodbot' | 'formbot'): FixtureBot {
  const root = join(FIXTURES, name);
  const domain = buildDomain(readYaml(join(root, 'domain.yml')));
  const stories: Story[] = [];
  const rules: Rule[] = [];
  for (const file of readdirSync(join(root, 'data')).filter((entry) => entry.endsWith('.yml')).sort()) {
    const data = readYaml(join(root, 'data', file));
    stories.push(...readStories(data, `data/${file}`));
    rules.push(...readRules(data, `data/${file}`));
  }
  const testStories: Story[] = [];
  const tests = join(root, 'tests');
  if (existsSync(tests)) {
    for (const file of readdirSync(tests).filter((entry) => entry.endsWith('.yml')).sort()) {
      testStories.push(...readStories(readYaml(join(tests, file)), `tests/${file}`));
    }
  }
  const config = readYaml(join(root, 'config.yml'));
  return { domain, stories, rules, testStories, policies: (config.policies as ComponentConfig[] | null) ?? null };
}

function readYaml(path: string): Raw {
  return (parse(readFileSync(path, 'utf8')) ?? {}) as Raw;
}

/** A domain from domain YAML (one file), as the loader would build it. */
export function buildDomain(raw: Raw): Domain {
  const entities = ((raw.entities ?? []) as unknown[]).map((entry) => (typeof entry === 'string' ? entry : Object.keys(entry as Raw)[0]));
  const intents = ((raw.intents ?? []) as unknown[]).map((entry) => {
    if (typeof entry === 'string') return { name: entry, options: {} as Raw };
    const [name, options] = Object.entries(entry as Raw)[0];
    return { name, options: (options ?? {}) as Raw };
  });
  for (const name of DEFAULT_INTENTS) if (!intents.some((intent) => intent.name === name)) intents.push({ name, options: {} });
  const forms = Object.fromEntries(
    Object.entries((raw.forms ?? {}) as Record<string, Raw>).map(([name, form]) => [
      name,
      { name, requiredSlots: (form.required_slots ?? []) as string[], ignoredIntents: (form.ignored_intents ?? []) as string[] },
    ]),
  );
  const slots: SlotDefinition[] = Object.entries((raw.slots ?? {}) as Record<string, Raw>).map(([name, slot]) => ({
    name,
    type: slot.type as SlotDefinition['type'],
    influenceConversation: (slot.influence_conversation as boolean | undefined) ?? slot.type !== 'any',
    initialValue: slot.initial_value ?? null,
    mappings: (slot.mappings ?? []) as SlotMapping[],
    ...(slot.values ? { values: (slot.values as unknown[]).map((value) => String(value).toLowerCase()) } : {}),
    ...(slot.min_value !== undefined ? { minValue: slot.min_value as number } : {}),
    ...(slot.max_value !== undefined ? { maxValue: slot.max_value as number } : {}),
  }));
  if (Object.keys(forms).length > 0 && !slots.some((slot) => slot.name === 'requested_slot')) {
    slots.push({ name: 'requested_slot', type: 'text', influenceConversation: false, initialValue: null, mappings: [{ type: 'custom' }] });
  }
  slots.push({ name: 'session_started_metadata', type: 'any', influenceConversation: false, initialValue: null, mappings: [] });
  const responses = (raw.responses ?? {}) as Domain['responses'];
  const customActions = ((raw.actions ?? []) as string[]).filter((action) => !(DEFAULT_ACTIONS as readonly string[]).includes(action));
  const actionNames = [
    ...DEFAULT_ACTIONS,
    ...customActions,
    ...Object.keys(responses).filter((name) => name.startsWith('utter_') && !customActions.includes(name)).sort(),
    ...Object.keys(forms).filter((form) => !customActions.includes(form)),
  ];
  return {
    intents: intents
      .map(({ name, options }) => {
        const useEntities = options.use_entities === undefined || options.use_entities === true ? null : ((options.use_entities || []) as string[]);
        const ignoreEntities = (options.ignore_entities ?? []) as string[];
        const usedEntities = (useEntities ?? entities).filter((entity) => !ignoreEntities.includes(entity));
        return { name, usedEntities, useEntities, ignoreEntities, isRetrievalIntent: false };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    entities: entities.map((name) => ({ name, roles: [], groups: [], influenceConversation: true })),
    slots,
    responses,
    customActions,
    actionsSendingDomain: [],
    forms,
    sessionConfig: { sessionExpirationTime: 60, carryOverSlots: true },
    storeEntitiesAsSlots: true,
    actionTexts: [],
    actionNames,
    serialized: {},
  };
}

function readStories(data: Raw, file: string): Story[] {
  return ((data.stories ?? []) as Raw[]).map((item, index) => ({
    name: item.story as string,
    steps: ((item.steps ?? []) as Raw[]).map((step) => readStep(step)),
    source: { file, line: index + 1, column: 1 },
  }));
}

function readRules(data: Raw, file: string): Rule[] {
  return ((data.rules ?? []) as Raw[]).map((item, index) => ({
    name: item.rule as string,
    steps: ((item.steps ?? []) as Raw[]).map((step) => readStep(step)),
    condition: ((item.condition ?? []) as Raw[]).map((step) => readStep(step)),
    conversationStart: item.conversation_start === true,
    waitForUserInput: item.wait_for_user_input !== false,
    source: { file, line: index + 1, column: 1 },
  }));
}

function readStep(step: Raw): StoryStep {
  if ('intent' in step || 'user' in step) {
    const text = typeof step.user === 'string' ? step.user.trim() : null;
    const entities: StoryEntity[] = ((step.entities ?? []) as unknown[]).map((entity) => {
      if (typeof entity === 'string') return { entity, value: '' };
      const [[name, value]] = Object.entries(entity as Raw).filter(([key]) => key !== 'role' && key !== 'group');
      const result: StoryEntity = { entity: name, value };
      if ((entity as Raw).role) result.role = (entity as Raw).role as string;
      if ((entity as Raw).group) result.group = (entity as Raw).group as string;
      return result;
    });
    return { kind: 'user', intent: (step.intent as string | undefined) ?? null, text, entities };
  }
  if ('or' in step) return { kind: 'or', alternatives: (step.or as Raw[]).map(readStep) };
  if ('action' in step) {
    const name = step.action as string;
    return { kind: 'action', name: name === 'action_deactivate_form' ? 'action_deactivate_loop' : name };
  }
  if ('bot' in step) return { kind: 'bot', text: step.bot as string };
  if ('checkpoint' in step) {
    const slotWasSet = ((step.slot_was_set ?? []) as Raw[]).flatMap((entry) => Object.entries(entry).map(([name, value]) => ({ name, value })));
    return { kind: 'checkpoint', name: step.checkpoint as string, slotWasSet };
  }
  if ('slot_was_set' in step) {
    const slots = (step.slot_was_set as unknown[]).flatMap((entry) =>
      typeof entry === 'string' ? [{ name: entry, value: 'filled' }] : Object.entries(entry as Raw).map(([name, value]) => ({ name, value })),
    );
    return { kind: 'slot_was_set', slots };
  }
  if ('active_loop' in step) return { kind: 'active_loop', name: (step.active_loop as string | null) ?? null };
  throw new Error(`Unknown step ${JSON.stringify(step)}`);
}
