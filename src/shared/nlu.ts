/** NLU result shapes, exactly as Rasa puts them in `parse_data` and `/model/parse` answers. */

export interface IntentPrediction {
  name: string | null;
  confidence: number;
}

export interface Entity {
  entity: string;
  value: unknown;
  start?: number;
  end?: number;
  role?: string;
  group?: string;
  extractor?: string;
  confidence_entity?: number;
  processors?: string[];
  [key: string]: unknown;
}

export interface ParseResult {
  text: string;
  intent: IntentPrediction;
  entities: Entity[];
  intent_ranking?: IntentPrediction[];
  text_tokens?: Array<[number, number]>;
  response_selector?: Record<string, unknown>;
  message_id?: string;
  metadata?: unknown;
  [key: string]: unknown;
}

/** An entity annotated in training data (character offsets into the plain text). */
export interface TrainingEntity {
  entity: string;
  value: string;
  start: number;
  end: number;
  role?: string;
  group?: string;
}

/** A loaded NLU model: what the processor needs at run time. */
export interface NluInterpreter {
  /** Parse one user text into intent + entities (before the `/intent{...}` shortcut handler). */
  parse(text: string): ParseResult;
}

export function emptyParseResult(text: string): ParseResult {
  return { text, intent: { name: null, confidence: 0 }, entities: [] };
}
