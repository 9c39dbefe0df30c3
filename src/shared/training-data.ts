/** Training data read from a project: NLU examples, stories, rules, test stories (plain data). */
import type { SourceRef } from './domain.js';
import type { TrainingEntity } from './nlu.js';
import type { ResponseVariation } from './domain.js';

export interface NluExample {
  text: string;
  intent: string;
  entities: TrainingEntity[];
  metadata?: unknown;
  source?: SourceRef;
}

export interface RegexFeature {
  name: string;
  pattern: string;
}

export interface LookupTable {
  name: string;
  elements: string[];
}

export interface NluData {
  examples: NluExample[];
  /** Lower-cased surface text → canonical value (from `synonym:` blocks and `[a](e:b)`). */
  synonyms: Record<string, string>;
  regexes: RegexFeature[];
  lookups: LookupTable[];
  /** Responses found in NLU files (retrieval intents: `utter_<base>/<key>`). */
  responses: Record<string, ResponseVariation[]>;
}

/** An entity given on a story user step. */
export interface StoryEntity {
  entity: string;
  value: unknown;
  role?: string;
  group?: string;
  start?: number;
  end?: number;
}

export type StoryStep =
  | {
      kind: 'user';
      /** Intent name; null for a pure end-to-end `user:` step without `intent:`. */
      intent: string | null;
      /** Plain text of a `user:` step (annotations removed), or null. */
      text: string | null;
      entities: StoryEntity[];
      source?: SourceRef;
    }
  | { kind: 'action'; name: string; source?: SourceRef }
  | { kind: 'bot'; text: string; source?: SourceRef }
  | { kind: 'slot_was_set'; slots: Array<{ name: string; value: unknown }>; source?: SourceRef }
  | { kind: 'active_loop'; name: string | null; source?: SourceRef }
  | {
      kind: 'checkpoint';
      name: string;
      slotWasSet: Array<{ name: string; value: unknown }>;
      source?: SourceRef;
    }
  | { kind: 'or'; alternatives: StoryStep[]; source?: SourceRef }
  /** The rule snippet placeholder `...`. */
  | { kind: 'snippet'; source?: SourceRef };

export interface Story {
  name: string;
  steps: StoryStep[];
  source?: SourceRef;
}

export interface Rule extends Story {
  /** `condition:` steps (only `active_loop` and `slot_was_set`). */
  condition: StoryStep[];
  conversationStart: boolean;
  waitForUserInput: boolean;
}

export interface TrainingData {
  nlu: NluData;
  stories: Story[];
  rules: Rule[];
}
