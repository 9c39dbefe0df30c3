/**
 * The extension point of the NLU pipeline: each Rasa component name maps to one definition
 * that can train (returning JSON-serialisable data) and load a runtime that processes messages.
 */
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { NluData } from '../shared/training-data.js';
import type { NluMessage } from './message.js';

export type ComponentKind =
  | 'tokenizer'
  | 'featurizer'
  | 'intent-classifier'
  | 'entity-extractor'
  | 'classifier-and-extractor'
  | 'post-processor'
  | 'response-selector';

/** Component options as written in config.yml, merged over the component's defaults. */
export type ComponentOptions = Readonly<Record<string, unknown>>;

export interface TrainContext {
  /** Training messages; tokenizers and featurizers that ran before have processed them. */
  messages: NluMessage[];
  nlu: NluData;
  domain: Domain;
  language: string | null;
  options: ComponentOptions;
  logger: Logger;
  /** Report progress within this component's training (0..1). */
  progress(fraction: number, message: string): void;
}

export interface LoadContext {
  options: ComponentOptions;
  language: string | null;
  logger: Logger;
}

/** A loaded component: runs on every parsed message, so it must be fast and side-effect free. */
export interface ComponentRuntime {
  process(message: NluMessage): void;
}

export interface ComponentDefinition<Data = unknown> {
  /** The Rasa class name used in config.yml. */
  readonly name: string;
  readonly kind: ComponentKind;
  /** Every option the component knows, with its default (Rasa's `get_default_config()`). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /**
   * Options Rasa's implementation uses but ours has no use for (neural-network settings):
   * accepted silently apart from one informational log line.
   */
  readonly inertOptions?: readonly string[];
  train(context: TrainContext): Data | Promise<Data>;
  load(data: Data, context: LoadContext): ComponentRuntime;
}

/** Reads an option known to be a number (config values may arrive as strings from env vars). */
export function numberOption(options: ComponentOptions, key: string, fallback: number): number {
  const value = options[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fallback;
}

export function booleanOption(options: ComponentOptions, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (/^(true|yes|on)$/i.test(value)) return true;
    if (/^(false|no|off)$/i.test(value)) return false;
  }
  return fallback;
}

export function stringOption(options: ComponentOptions, key: string): string | null {
  const value = options[key];
  return typeof value === 'string' ? value : null;
}
