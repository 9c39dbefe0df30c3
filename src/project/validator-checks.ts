/**
 * The checks of `rasa data validate`, run on a loaded project. Story-structure conflicts are not
 * checked here: they need the policies' state featurization (see the policy engine).
 */
import { DEFAULT_INTENTS, type Domain, type SourceRef } from '../shared/domain.js';
import type { Project, ProjectIssue } from '../shared/project.js';
import type { Rule, Story, StoryStep } from '../shared/training-data.js';
import { IssueCollector } from './issues.js';

/** Loop actions that may appear in `active_loop:` without being forms. */
const BUILT_IN_LOOPS = new Set(['action_two_stage_fallback']);
/** Responses the built-in actions utter (fallback, restart, back, rephrase). */
const RESPONSES_USED_BY_DEFAULT_ACTIONS = new Set(['utter_default', 'utter_restart', 'utter_back', 'utter_ask_rephrase']);
const PLACEHOLDER_ASSISTANT_ID = 'placeholder_default';

export interface CheckContext {
  /** Where config.yml is, for config warnings. */
  configFile?: string;
  /** Where the domain is (a file or a directory), for problems of the domain as a whole. */
  domainFile?: string;
}

interface Usage {
  count: number;
  first: { block: string; source?: SourceRef };
}

/** Runs every check; returns errors first, then warnings. */
export function checkProject(project: Project, context: CheckContext = {}): ProjectIssue[] {
  const issues = new IssueCollector();
  runChecks(project, context, issues);
  return issues.toIssues();
}

/** Runs every check, recording the findings in `report`. */
export function runChecks(project: Project, context: CheckContext, report: IssueCollector): void {
  const { domain } = project;
  checkDomainNotEmpty(domain, context, report);
  const usage = collectUsage([...project.training.stories, ...project.training.rules]);
  checkStoryReferences(domain, usage, report);
  checkForms(domain, report);
  checkSlotMappings(domain, report);
  checkNlu(project, usage, report);
  checkUnusedResponses(domain, usage, report);
  checkConfig(project, context, report);
}

interface UsageMaps {
  intents: Map<string, Usage>;
  actions: Map<string, Usage>;
  loops: Map<string, Usage>;
  slots: Map<string, Usage>;
  entities: Map<string, Usage>;
}

function collectUsage(blocks: ReadonlyArray<Story | Rule>): UsageMaps {
  const maps: UsageMaps = { intents: new Map(), actions: new Map(), loops: new Map(), slots: new Map(), entities: new Map() };
  const note = (map: Map<string, Usage>, name: string, block: string, source?: SourceRef): void => {
    const entry = map.get(name);
    if (entry) entry.count += 1;
    else map.set(name, { count: 1, first: { block, source } });
  };
  const visit = (step: StoryStep, block: string): void => {
    switch (step.kind) {
      case 'user':
        if (step.intent !== null) note(maps.intents, step.intent.split('/')[0], block, step.source);
        for (const entity of step.entities) note(maps.entities, entity.entity, block, step.source);
        return;
      case 'action':
        note(maps.actions, step.name, block, step.source);
        return;
      case 'active_loop':
        if (step.name !== null) note(maps.loops, step.name, block, step.source);
        return;
      case 'slot_was_set':
        for (const slot of step.slots) note(maps.slots, slot.name, block, step.source);
        return;
      case 'checkpoint':
        for (const slot of step.slotWasSet) note(maps.slots, slot.name, block, step.source);
        return;
      case 'or':
        for (const alternative of step.alternatives) visit(alternative, block);
        return;
      case 'bot':
      case 'snippet':
        return;
      default: {
        const unreachable: never = step;
        return unreachable;
      }
    }
  };
  for (const block of blocks) {
    const label = 'condition' in block ? `rule '${block.name}'` : `story '${block.name}'`;
    for (const step of block.steps) visit(step, label);
    if ('condition' in block) for (const step of block.condition) visit(step, label);
  }
  return maps;
}

function elsewhere(usage: Usage): string {
  const others = usage.count - 1;
  return others === 0 ? '' : ` (it is used in ${others} more place${others === 1 ? '' : 's'})`;
}

function checkDomainNotEmpty(domain: Domain, context: CheckContext, report: IssueCollector): void {
  const userIntents = domain.intents.filter((intent) => !(DEFAULT_INTENTS as readonly string[]).includes(intent.name));
  const userSlots = domain.slots.filter((slot) => slot.source !== undefined);
  if (
    userIntents.length === 0 &&
    domain.entities.length === 0 &&
    userSlots.length === 0 &&
    Object.keys(domain.responses).length === 0 &&
    domain.customActions.length === 0 &&
    Object.keys(domain.forms).length === 0
  ) {
    const file = context.domainFile;
    // A domain file is pointed at from its start; a domain directory has no line to point at.
    const location = file === undefined ? undefined : /\.ya?ml$/i.test(file) ? { file, line: 1, column: 1 } : { file };
    report.error('PARLEY_ERR_DOMAIN_INVALID', 'The domain is empty: it defines no intents, entities, slots, responses, actions or forms.', location);
  }
}

function checkStoryReferences(domain: Domain, usage: UsageMaps, report: IssueCollector): void {
  const intents = new Set(domain.intents.map((intent) => intent.name));
  for (const [name, use] of usage.intents) {
    if (intents.has(name)) continue;
    report.error(
      'PARLEY_ERR_INTENT_UNKNOWN',
      `The intent '${name}' is used in the ${use.first.block}, but it is not listed in the domain${elsewhere(use)}. ` +
        "Add it under 'intents:' or fix the spelling.",
      use.first.source,
    );
  }
  const actions = new Set(domain.actionNames);
  for (const [name, use] of usage.actions) {
    if (actions.has(name)) continue;
    if (name.startsWith('utter_')) {
      report.error(
        'PARLEY_ERR_RESPONSE_UNKNOWN',
        `The response '${name}' is used in the ${use.first.block}, but the domain defines no response with that name${elsewhere(use)}. ` +
          "Add it under 'responses:'.",
        use.first.source,
      );
    } else {
      report.error(
        'PARLEY_ERR_ACTION_UNKNOWN',
        `The action '${name}' is used in the ${use.first.block}, but it is not listed in the domain${elsewhere(use)}. ` +
          "Add it under 'actions:' (custom actions) or fix the spelling.",
        use.first.source,
      );
    }
  }
  for (const [name, use] of usage.loops) {
    if (name in domain.forms || BUILT_IN_LOOPS.has(name)) continue;
    report.error(
      'PARLEY_ERR_FORM_UNKNOWN',
      `The form '${name}' is used as active_loop in the ${use.first.block}, but it is not listed under 'forms:' in the domain${elsewhere(use)}.`,
      use.first.source,
    );
  }
  const slots = new Set(domain.slots.map((slot) => slot.name));
  for (const [name, use] of usage.slots) {
    if (slots.has(name)) continue;
    report.error(
      'PARLEY_ERR_SLOT_UNKNOWN',
      `The slot '${name}' is used in the ${use.first.block}, but it is not listed under 'slots:' in the domain${elsewhere(use)}.`,
      use.first.source,
    );
  }
  const entities = new Set(domain.entities.map((entity) => entity.name));
  for (const [name, use] of usage.entities) {
    if (entities.has(name)) continue;
    report.warn(
      'PARLEY_WARN_UNKNOWN_ENTITY',
      `The entity '${name}' is used in the ${use.first.block}, but it is not listed under 'entities:' in the domain${elsewhere(use)}.`,
      use.first.source,
    );
  }
}

function checkForms(domain: Domain, report: IssueCollector): void {
  const slots = new Set(domain.slots.map((slot) => slot.name));
  for (const form of Object.values(domain.forms)) {
    for (const slot of form.requiredSlots) {
      if (slots.has(slot)) continue;
      report.error(
        'PARLEY_ERR_SLOT_UNKNOWN',
        `The form '${form.name}' requires the slot '${slot}', which is not listed under 'slots:' in the domain.`,
        form.source,
      );
    }
  }
}

function checkSlotMappings(domain: Domain, report: IssueCollector): void {
  const intents = new Set(domain.intents.map((intent) => intent.name));
  const entities = new Set(domain.entities.map((entity) => entity.name));
  for (const slot of domain.slots) {
    slot.mappings.forEach((mapping, index) => {
      const label = `mapping ${index + 1} of the slot '${slot.name}'`;
      if (mapping.type === 'from_entity' && mapping.entity !== undefined && !entities.has(mapping.entity)) {
        report.warn('PARLEY_WARN_UNKNOWN_ENTITY', `The ${label} reads the entity '${mapping.entity}', which is not listed in the domain; it never fills the slot.`, slot.source);
      }
      for (const intent of [...(mapping.intent ?? []), ...(mapping.not_intent ?? [])]) {
        if (!intents.has(intent)) {
          report.warn('PARLEY_WARN_INTENT_NOT_IN_DOMAIN', `The ${label} names the intent '${intent}', which is not listed in the domain.`, slot.source);
        }
      }
      for (const condition of mapping.conditions ?? []) {
        const formName = condition.active_loop;
        if (formName === null) continue;
        const form = domain.forms[formName];
        if (!form) {
          report.error(
            'PARLEY_ERR_SLOT_MAPPING_INVALID',
            `The ${label} has a condition for the form '${formName}', which is not listed under 'forms:' in the domain.`,
            slot.source,
          );
        } else if (mapping.type !== 'from_trigger_intent' && !form.requiredSlots.includes(slot.name)) {
          report.error(
            'PARLEY_ERR_SLOT_MAPPING_INVALID',
            `The ${label} has a condition for the form '${formName}', but that form does not list '${slot.name}' ` +
              "in its 'required_slots'. Add it there.",
            slot.source,
          );
        }
      }
    });
  }
}

function checkNlu(project: Project, usage: UsageMaps, report: IssueCollector): void {
  const { domain } = project;
  const examples = project.training.nlu.examples;
  const domainIntents = new Set(domain.intents.map((intent) => intent.name));
  const defaults = new Set<string>(DEFAULT_INTENTS);
  const firstExample = new Map<string, SourceRef | undefined>();
  for (const example of examples) {
    const base = example.intent.split('/')[0];
    if (!firstExample.has(base)) firstExample.set(base, example.source);
  }
  for (const intent of domain.intents) {
    if (defaults.has(intent.name)) continue;
    if (!firstExample.has(intent.name)) {
      report.warn('PARLEY_WARN_INTENT_WITHOUT_EXAMPLES', `The intent '${intent.name}' is listed in the domain, but has no NLU examples.`, intent.source);
    }
    if (!usage.intents.has(intent.name)) {
      report.warn('PARLEY_WARN_INTENT_UNUSED', `The intent '${intent.name}' is not used in any story or rule.`, intent.source);
    }
  }
  for (const [intent, source] of firstExample) {
    if (domainIntents.has(intent)) continue;
    report.warn(
      'PARLEY_WARN_INTENT_NOT_IN_DOMAIN',
      `NLU examples are labelled with the intent '${intent}', which is not listed in the domain; add it under 'intents:'.`,
      source,
    );
  }
  const byText = new Map<string, { intents: Set<string>; source?: SourceRef }>();
  for (const example of examples) {
    const entry = byText.get(example.text) ?? { intents: new Set<string>(), source: example.source };
    entry.intents.add(example.intent);
    byText.set(example.text, entry);
  }
  for (const [text, entry] of byText) {
    if (entry.intents.size < 2) continue;
    report.warn(
      'PARLEY_WARN_DUPLICATE_EXAMPLE',
      `The example '${text}' is labelled with several intents: ${[...entry.intents].sort().join(', ')}. Keep it under one intent.`,
      entry.source,
    );
  }
}

function checkUnusedResponses(domain: Domain, usage: UsageMaps, report: IssueCollector): void {
  const used = new Set([...usage.actions.keys()].map((name) => name.split('/')[0]));
  for (const form of Object.values(domain.forms)) {
    for (const slot of form.requiredSlots) {
      used.add(`utter_ask_${form.name}_${slot}`);
      used.add(`utter_ask_${slot}`);
    }
  }
  const reported = new Set<string>();
  for (const response of Object.keys(domain.responses)) {
    const name = response.split('/')[0];
    if (used.has(name) || RESPONSES_USED_BY_DEFAULT_ACTIONS.has(name) || reported.has(name)) continue;
    reported.add(name);
    report.warn('PARLEY_WARN_RESPONSE_UNUSED', `The response '${name}' is not used in any story, rule or form.`);
  }
}

function checkConfig(project: Project, context: CheckContext, report: IssueCollector): void {
  const source = context.configFile ? { file: context.configFile, line: 1, column: 1 } : undefined;
  if (project.config.language === null) {
    report.warn('PARLEY_WARN_CONFIG', "The config has no 'language' (e.g. 'language: en'); training needs it.", source);
  }
  if (project.config.assistantId === null || project.config.assistantId === PLACEHOLDER_ASSISTANT_ID) {
    report.warn(
      'PARLEY_WARN_CONFIG',
      "The config has no unique 'assistant_id'; set one (e.g. 'assistant_id: my_shop_bot') so events can tell assistants apart.",
      source,
    );
  }
}
