/**
 * Test helpers: read Rasa NLU YAML fixtures into NluData (simple inline annotations only) and
 * build a minimal Domain and ModelConfig, so NLU tests do not depend on the project loader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import type { Logger } from '../../src/logger.js';
import { createLogger } from '../../src/logger.js';
import type { Domain } from '../../src/shared/domain.js';
import type { TrainingEntity } from '../../src/shared/nlu.js';
import type { ComponentConfig, ModelConfig } from '../../src/shared/project.js';
import type { NluData, NluExample } from '../../src/shared/training-data.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');

const ANNOTATION = /\[([^\]]+)\](?:\(([^)]+)\)|(\{[^}]*\}))/g;

/** `[text](entity)`, `[text](entity:value)` and `[text]{"entity": …}` → plain text + entities. */
export function parseAnnotated(annotated: string): { text: string; entities: TrainingEntity[] } {
  const entities: TrainingEntity[] = [];
  let text = '';
  let last = 0;
  for (const match of annotated.matchAll(ANNOTATION)) {
    text += annotated.slice(last, match.index);
    const surface = match[1];
    const start = text.length;
    text += surface;
    let entity: TrainingEntity;
    if (match[2] !== undefined) {
      const [name, value] = match[2].split(':');
      entity = { entity: name, value: value ?? surface, start, end: text.length };
    } else {
      const json = JSON.parse(match[3]) as { entity: string; value?: string; role?: string; group?: string };
      entity = { entity: json.entity, value: json.value ?? surface, start, end: text.length };
      if (json.role !== undefined) entity.role = json.role;
      if (json.group !== undefined) entity.group = json.group;
    }
    entities.push(entity);
    last = (match.index ?? 0) + match[0].length;
  }
  text += annotated.slice(last);
  return { text, entities };
}

function lines(block: unknown): string[] {
  return String(block ?? '')
    .split('\n')
    .filter((line) => line.startsWith('-'))
    .map((line) => line.slice(1).trim());
}

export function nluDataFromYaml(source: string): NluData {
  const document = parse(source) as { nlu?: Array<Record<string, unknown>>; responses?: NluData['responses'] };
  const data: NluData = { examples: [], synonyms: {}, regexes: [], lookups: [], responses: document.responses ?? {} };
  for (const item of document.nlu ?? []) {
    if (typeof item.intent === 'string') {
      for (const line of lines(item.examples)) {
        const { text, entities } = parseAnnotated(line);
        const example: NluExample = { text, intent: item.intent, entities };
        data.examples.push(example);
        for (const entity of entities) {
          const surface = text.slice(entity.start, entity.end);
          if (surface !== entity.value) data.synonyms[surface.toLowerCase()] = entity.value;
        }
      }
    } else if (typeof item.synonym === 'string') {
      for (const line of lines(item.examples)) data.synonyms[line.toLowerCase()] = item.synonym;
    } else if (typeof item.regex === 'string') {
      for (const line of lines(item.examples)) data.regexes.push({ name: item.regex, pattern: line });
    } else if (typeof item.lookup === 'string') {
      data.lookups.push({ name: item.lookup, elements: lines(item.examples) });
    }
  }
  return data;
}

export function readNluData(...relative: string[]): NluData {
  return nluDataFromYaml(fs.readFileSync(path.join(FIXTURES, ...relative), 'utf8'));
}

export function mergeNluData(...parts: NluData[]): NluData {
  return {
    examples: parts.flatMap((part) => part.examples),
    synonyms: Object.assign({}, ...parts.map((part) => part.synonyms)),
    regexes: parts.flatMap((part) => part.regexes),
    lookups: parts.flatMap((part) => part.lookups),
    responses: Object.assign({}, ...parts.map((part) => part.responses)),
  };
}

/** A domain with just the intents and entities the NLU needs. */
export function testDomain(intents: readonly string[], entities: readonly string[] = []): Domain {
  return {
    intents: [...new Set([...intents, 'restart', 'back', 'out_of_scope', 'session_start', 'nlu_fallback'])].sort().map((name) => ({
      name,
      usedEntities: [...entities],
      useEntities: null,
      ignoreEntities: [],
      isRetrievalIntent: false,
    })),
    entities: entities.map((name) => ({ name, roles: [], groups: [], influenceConversation: true })),
    slots: [],
    responses: {},
    customActions: [],
    actionsSendingDomain: [],
    forms: {},
    sessionConfig: { sessionExpirationTime: 60, carryOverSlots: true },
    storeEntitiesAsSlots: true,
    actionTexts: [],
    actionNames: [],
    serialized: {},
  };
}

export function domainFor(nlu: NluData, extraEntities: readonly string[] = []): Domain {
  const intents = [...new Set(nlu.examples.map((example) => example.intent.split('/')[0]))];
  const entities = [...new Set([...nlu.examples.flatMap((example) => example.entities.map((e) => e.entity)), ...extraEntities])];
  return testDomain(intents, entities);
}

export function testConfig(pipeline: ComponentConfig[] | null, language: string | null = 'en'): ModelConfig {
  return { recipe: 'default.v1', language, assistantId: 'test', pipeline, policies: null, raw: {} };
}

/** The `user:` texts of test stories with the intent they are labelled with. */
export function labelledStoryTexts(relative: string): Array<{ text: string; intent: string }> {
  const document = parse(fs.readFileSync(path.join(FIXTURES, relative), 'utf8')) as {
    stories: Array<{ steps: Array<{ user?: string; intent?: string }> }>;
  };
  return document.stories.flatMap((story) =>
    story.steps
      .filter((step) => typeof step.user === 'string' && typeof step.intent === 'string')
      .map((step) => ({ text: parseAnnotated(String(step.user).trim()).text, intent: step.intent as string })),
  );
}

export interface CapturedLog {
  level: number;
  msg: string;
}

/** A real pino logger whose lines the test can read back (pino writes synchronously here). */
export function capturingLogger(): { logger: Logger; logs: CapturedLog[] } {
  const logs: CapturedLog[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line) as CapturedLog);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), logs };
}

export const WARN = 40;
export const INFO = 30;
