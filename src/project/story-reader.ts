/** Reads `stories:` and `rules:` of a schema-checked file into `StoryStep`s. */
import { isParleyError } from '../errors.js';
import type { SlotType, SourceRef } from '../shared/domain.js';
import type { Rule, Story, StoryEntity, StoryStep } from '../shared/training-data.js';
import { parseAnnotatedText } from './entities-parser.js';
import { parseIntentShortcut } from './intent-shortcut.js';
import type { IssueCollector } from './issues.js';
import { locate, type DataPath } from './locations.js';
import type { YamlFile } from './yaml.js';

/** What the reader needs to know about the domain. */
export interface StoryReadContext {
  /** Test stories keep full retrieval intents (`chitchat/ask_name`); training stories do not. */
  isTestFile: boolean;
  /** Type of a declared slot, to give `slot_was_set: [name]` its implied value. */
  slotType(name: string): { type: SlotType; influenceConversation: boolean } | undefined;
}

export interface StoryFileContent {
  stories: Story[];
  rules: Rule[];
}

type RawStep = Record<string, unknown>;
type Path = Array<string | number>;

const LEGACY_DEACTIVATE = 'action_deactivate_form';
const DEACTIVATE_LOOP = 'action_deactivate_loop';

/** Reads every story and rule of one file. */
export function readStoryFile(
  file: YamlFile,
  data: Record<string, unknown>,
  context: StoryReadContext,
  issues: IssueCollector,
): StoryFileContent {
  const reader = new StepReader(file, context, issues);
  const stories: Story[] = [];
  const rules: Rule[] = [];
  ((data.stories ?? []) as RawStep[]).forEach((item, index) => {
    const block = reader.block(item, ['stories', index], 'story');
    if (block) stories.push({ name: block.name, steps: block.steps, source: block.source });
  });
  ((data.rules ?? []) as RawStep[]).forEach((item, index) => {
    const path: Path = ['rules', index];
    const block = reader.block(item, path, 'rule');
    if (!block) return;
    const condition = ((item.condition ?? []) as RawStep[])
      .map((step, stepIndex) => reader.step(step, [...path, 'condition', stepIndex], 'rule'))
      .filter((step): step is StoryStep => step !== null);
    rules.push({
      name: block.name,
      steps: block.steps,
      source: block.source,
      condition,
      conversationStart: item.conversation_start === true,
      waitForUserInput: item.wait_for_user_input !== false,
    });
  });
  return { stories, rules };
}

class StepReader {
  readonly #file: YamlFile;
  readonly #context: StoryReadContext;
  readonly #issues: IssueCollector;

  constructor(file: YamlFile, context: StoryReadContext, issues: IssueCollector) {
    this.#file = file;
    this.#context = context;
    this.#issues = issues;
  }

  block(item: RawStep, path: Path, kind: 'story' | 'rule'): { name: string; steps: StoryStep[]; source: SourceRef } | null {
    const source = this.#where(path);
    if (!(kind in item)) {
      this.#warn(`This ${kind} has no '${kind}:' name and is skipped.`, source);
      return null;
    }
    const name = typeof item[kind] === 'string' ? (item[kind] as string) : '';
    if (name === '') this.#warn(`A ${kind} has an empty name; give it one under '${kind}:'.`, source);
    const rawSteps = (item.steps ?? []) as RawStep[];
    if (rawSteps.length === 0) {
      this.#warn(`The ${kind} '${name}' has no steps and is skipped.`, source);
      return null;
    }
    const steps = rawSteps
      .map((step, index) => this.step(step, [...path, 'steps', index], kind))
      .filter((step): step is StoryStep => step !== null);
    return { name, steps, source };
  }

  /** One step, in Rasa's order of precedence; null when the step is skipped. */
  step(step: RawStep, path: Path, kind: 'story' | 'rule'): StoryStep | null {
    const source = this.#where(path);
    if ('intent' in step || 'user' in step) return this.#userStep(step, path, source);
    if ('or' in step) return this.#orStep(step, path, source, kind);
    if ('action' in step) return this.#actionStep(step, source);
    if ('bot' in step) return { kind: 'bot', text: step.bot as string, source };
    if ('checkpoint' in step) return this.#checkpointStep(step, source);
    if ('slot_was_set' in step) return { kind: 'slot_was_set', slots: this.#slots(step.slot_was_set, source), source };
    if ('active_loop' in step) return { kind: 'active_loop', name: (step.active_loop as string | null) ?? null, source };
    return null;
  }

  #userStep(step: RawStep, path: Path, source: SourceRef): StoryStep | null {
    let intent = this.#intentName(step, source);
    if (intent === undefined) return null;
    let text: string | null = null;
    let entities: StoryEntity[];
    if (typeof step.user === 'string') {
      let parsed;
      try {
        parsed = parseAnnotatedText(step.user.trim());
      } catch (error) {
        if (!isParleyError(error)) throw error;
        this.#issues.error(error.code, error.message, this.#where([...path, 'user']));
        return null;
      }
      text = parsed.text;
      entities = parsed.entities.map(({ entity, value, start, end, role, group }) => ({
        entity,
        value,
        start,
        end,
        ...(role !== undefined ? { role } : {}),
        ...(group !== undefined ? { group } : {}),
      }));
      const shortcut = text.startsWith('/') ? parseIntentShortcut(text) : null;
      if (shortcut) {
        entities = shortcut.entities;
        // Rasa leaves such a step without intent; naming it is what every reader of the story means.
        intent ??= shortcut.intent;
        if (shortcut.problem) this.#warn(`In the user text '${text}', ${shortcut.problem}.`, source);
      }
    } else {
      entities = ((step.entities ?? []) as unknown[]).map(storyEntity);
    }
    return { kind: 'user', intent, text, entities, source };
  }

  /** The step's intent; null for a pure `user:` text step, undefined when the step is unusable. */
  #intentName(step: RawStep, source: SourceRef): string | null | undefined {
    const raw = typeof step.intent === 'string' ? step.intent.trim() : '';
    if (raw === '') {
      if (typeof step.user === 'string') return null;
      this.#warn('A user step has neither an intent nor a user text and is skipped.', source);
      return undefined;
    }
    let intent = raw;
    if (intent.startsWith('/')) {
      this.#warn(`The intent '${intent}' starts with '/', which is not needed; it is read as '${intent.slice(1)}'.`, source);
      intent = intent.slice(1);
    }
    const slash = intent.indexOf('/');
    if (slash > 0 && !this.#context.isTestFile) {
      const base = intent.slice(0, slash);
      this.#warn(
        `The intent '${intent}' is a full retrieval intent; training stories only use the base intent '${base}'.`,
        source,
      );
      intent = base;
    }
    return intent;
  }

  #orStep(step: RawStep, path: Path, source: SourceRef, kind: 'story' | 'rule'): StoryStep | null {
    const alternatives: StoryStep[] = [];
    const items = (step.or ?? []) as RawStep[];
    for (const [index, item] of items.entries()) {
      if ('intent' in item) {
        const user = this.#userStep(item, [...path, 'or', index], this.#where([...path, 'or', index]));
        if (user) alternatives.push(user);
      } else if ('slot_was_set' in item) {
        const where = this.#where([...path, 'or', index]);
        for (const slot of this.#slots(item.slot_was_set, where)) {
          alternatives.push({ kind: 'slot_was_set', slots: [slot], source: where });
        }
      } else {
        this.#warn(`An 'or' alternative of this ${kind} must be an 'intent' or a 'slot_was_set'; the whole 'or' step is skipped.`, source);
        return null;
      }
    }
    return alternatives.length > 0 ? { kind: 'or', alternatives, source } : null;
  }

  #actionStep(step: RawStep, source: SourceRef): StoryStep | null {
    const name = typeof step.action === 'string' ? step.action.trim() : '';
    if (name === '') {
      this.#warn('An action step has no action name and is skipped.', source);
      return null;
    }
    if (name === LEGACY_DEACTIVATE) {
      this.#issues.warn(
        'PARLEY_WARN_DEPRECATED',
        `'${LEGACY_DEACTIVATE}' is the old name of '${DEACTIVATE_LOOP}' and is read as such; please rename it.`,
        source,
      );
      return { kind: 'action', name: DEACTIVATE_LOOP, source };
    }
    return { kind: 'action', name, source };
  }

  #checkpointStep(step: RawStep, source: SourceRef): StoryStep | null {
    const name = step.checkpoint as string;
    const slotWasSet: Array<{ name: string; value: unknown }> = [];
    for (const entry of (step.slot_was_set ?? []) as unknown[]) {
      if (typeof entry !== 'object' || entry === null) {
        this.#warn(`The checkpoint '${name}' lists a slot without a value; write 'slot_name: value'. The checkpoint is skipped.`, source);
        return null;
      }
      for (const [slot, value] of Object.entries(entry)) slotWasSet.push({ name: slot, value });
    }
    return { kind: 'checkpoint', name, slotWasSet, source };
  }

  #slots(raw: unknown, source: SourceRef): Array<{ name: string; value: unknown }> {
    const slots: Array<{ name: string; value: unknown }> = [];
    for (const entry of (raw ?? []) as unknown[]) {
      if (typeof entry === 'string') {
        slots.push({ name: entry, value: this.#impliedValue(entry, source) });
      } else if (typeof entry === 'object' && entry !== null) {
        for (const [name, value] of Object.entries(entry)) slots.push({ name, value });
      }
    }
    return slots;
  }

  /** `slot_was_set: [name]`: text slots count as "filled", list slots as ["filled"]. */
  #impliedValue(name: string, source: SourceRef): unknown {
    const slot = this.#context.slotType(name);
    if (slot?.type === 'text') return 'filled';
    if (slot?.type === 'list') return ['filled'];
    if (slot && slot.influenceConversation) {
      this.#warn(
        `The slot '${name}' is given by name only, but as a ${slot.type} slot it needs a value ('${name}: value'); it is treated as empty.`,
        source,
      );
    }
    return null;
  }

  #where(path: DataPath): SourceRef {
    return locate(this.#file, path);
  }

  #warn(message: string, source: SourceRef): void {
    this.#issues.warn('PARLEY_WARN_STORY_DATA', message, source);
  }
}

/** `- name: Sara`, `- city: Berlin` + `role: destination`, or a bare `- entity_name`. */
function storyEntity(raw: unknown): StoryEntity {
  if (typeof raw === 'string') return { entity: raw, value: '' };
  const record = raw as Record<string, unknown>;
  const entity: StoryEntity = { entity: '', value: null };
  for (const [key, value] of Object.entries(record)) {
    if (key === 'role') entity.role = value as string;
    else if (key === 'group') entity.group = value as string;
    else {
      entity.entity = key;
      entity.value = value;
    }
  }
  return entity;
}
