/**
 * Parley's NLU: trains the config.yml pipeline on a project's NLU data into JSON-serialisable
 * model data, and loads that data into an interpreter that parses user messages.
 */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { NluInterpreter } from '../shared/nlu.js';
import type { ModelConfig } from '../shared/project.js';
import type { NluData, NluExample } from '../shared/training-data.js';
import type { ComponentKind, ComponentRuntime, TrainContext } from './component.js';
import { releaseUnreadTokenFeatures } from './entity-tagger.js';
import { PipelineInterpreter } from './interpreter.js';
import type { NluMessage } from './message.js';
import { createMessage } from './message.js';
import { resolvePipeline } from './pipeline-config.js';
import { COMPONENTS } from './registry.js';

export { parseIntentShortcut, matchIntentShortcut } from './intent-shortcut.js';
export { DEFAULT_PIPELINE, resolvePipeline } from './pipeline-config.js';
export { NLU_FALLBACK_INTENT } from './fallback-classifier.js';

export const NLU_MODEL_FORMAT = 'parley-nlu/1';

/** A trained NLU model as plain JSON (typed arrays are base64 strings inside `data`). */
export interface NluModelData {
  format: typeof NLU_MODEL_FORMAT;
  language: string | null;
  /** Whether the pipeline came from config.yml or is Rasa's default. */
  pipelineSource: 'config' | 'default';
  components: Array<{ name: string; options: Record<string, unknown>; data: unknown }>;
}

export interface NluProgressEvent {
  stage: string;
  /** Overall NLU training progress, 0..1. */
  fraction: number;
  message: string;
}

export interface TrainNluInput {
  nlu: NluData;
  domain: Domain;
  config: ModelConfig;
}

export interface TrainNluOptions {
  onProgress?: (event: NluProgressEvent) => void;
  logger?: Logger;
}

/** Tokenizers and featurizers also process the training data for the components after them. */
const PREPARES_TRAINING_DATA: ReadonlySet<ComponentKind> = new Set(['tokenizer', 'featurizer']);

/** Trains every component of the pipeline in order. Empty NLU data gives a model that predicts no intent. */
export async function trainNlu(input: TrainNluInput, options: TrainNluOptions = {}): Promise<NluModelData> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'nlu' });
  const report = (event: NluProgressEvent): void => options.onProgress?.(event);
  const pipeline = resolvePipeline(input.config, logger);
  const names = pipeline.components.map((component) => component.name);
  const summary =
    pipeline.source === 'default'
      ? `config.yml has no pipeline, so Rasa's default NLU pipeline is used: ${names.join(', ')}`
      : `NLU pipeline from config.yml: ${names.length > 0 ? names.join(', ') : '(empty)'}`;
  logger.info({ pipeline: names, source: pipeline.source }, summary);
  report({ stage: 'nlu.pipeline', fraction: 0, message: summary });

  const messages = input.nlu.examples.filter((example) => example.text.trim() !== '').map(trainingMessage);
  if (messages.length === 0) {
    // Like Rasa for a core-only project: no NLU model, only the `/intent` shortcut is understood.
    const message = 'There are no NLU training examples: only `/intent` shortcut messages will be understood';
    logger.info(message);
    report({ stage: 'nlu.done', fraction: 1, message });
    return { format: NLU_MODEL_FORMAT, language: pipeline.language, pipelineSource: pipeline.source, components: [] };
  }
  const total = Math.max(1, pipeline.components.length);
  const components: NluModelData['components'] = [];
  for (const component of pipeline.components) {
    const stage = `nlu.${component.name}`;
    const context: TrainContext = {
      messages,
      nlu: input.nlu,
      domain: input.domain,
      language: pipeline.language,
      options: component.options,
      logger,
      progress: (fraction, message) =>
        report({ stage, fraction: (component.index + Math.min(Math.max(fraction, 0), 1)) / total, message }),
    };
    context.progress(0, `Training ${component.name}`);
    const data = await component.definition.train(context);
    if (PREPARES_TRAINING_DATA.has(component.definition.kind)) {
      const runtime = component.definition.load(data, { options: component.options, language: pipeline.language, logger });
      for (const message of messages) {
        runtime.process(message);
        releaseUnreadTokenFeatures(message);
      }
    }
    components.push({ name: component.name, options: component.options, data });
    context.progress(1, `Trained ${component.name}`);
    // Let progress events and other work through between components.
    await new Promise((resolve) => setImmediate(resolve));
  }
  report({ stage: 'nlu.done', fraction: 1, message: `Trained the NLU pipeline on ${messages.length} examples` });
  return { format: NLU_MODEL_FORMAT, language: pipeline.language, pipelineSource: pipeline.source, components };
}

function trainingMessage(example: NluExample): NluMessage {
  const slash = example.intent.indexOf('/');
  return createMessage(example.text, {
    intent: slash >= 0 ? example.intent.slice(0, slash) : example.intent,
    responseKey: slash >= 0 ? example.intent : null,
    entities: example.entities,
  });
}

export interface LoadNluOptions {
  logger?: Logger;
}

/** Builds the interpreter of a trained model; `parse` is then synchronous and fast. */
export function loadNlu(data: NluModelData, domain: Domain, options: LoadNluOptions = {}): NluInterpreter {
  if (data === null || typeof data !== 'object' || data.format !== NLU_MODEL_FORMAT || !Array.isArray(data.components)) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `This NLU model was not made by this version of Parley (expected format '${NLU_MODEL_FORMAT}'). Train the model again.`,
    );
  }
  const logger = (options.logger ?? silentLogger()).child({ module: 'nlu' });
  const runtimes: ComponentRuntime[] = data.components.map((component) => {
    const definition = COMPONENTS.get(component.name);
    if (definition === undefined) {
      throw new ParleyError(
        'PARLEY_ERR_MODEL_INVALID',
        `The NLU model uses the component '${component.name}', which this version of Parley does not have. Train the model again.`,
      );
    }
    return definition.load(component.data, { options: component.options, language: data.language, logger });
  });
  return new PipelineInterpreter(runtimes, domain, logger);
}
