/**
 * Reads the `pipeline:` of config.yml into the list of components to run, in order, with their
 * options merged over the defaults. An empty (null) pipeline means Rasa 3.6's default pipeline.
 */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ComponentConfig, ModelConfig } from '../shared/project.js';
import type { ComponentDefinition } from './component.js';
import { COMPONENTS, UNSUPPORTED_COMPONENTS } from './registry.js';

/** Rasa 3.6's `default_config.yml` pipeline, used when config.yml leaves `pipeline:` empty. */
export const DEFAULT_PIPELINE: readonly ComponentConfig[] = [
  { name: 'WhitespaceTokenizer' },
  { name: 'RegexFeaturizer' },
  { name: 'LexicalSyntacticFeaturizer' },
  { name: 'CountVectorsFeaturizer' },
  { name: 'CountVectorsFeaturizer', analyzer: 'char_wb', min_ngram: 1, max_ngram: 4 },
  { name: 'DIETClassifier', epochs: 100, constrain_similarities: true },
  { name: 'EntitySynonymMapper' },
  { name: 'ResponseSelector', epochs: 100, constrain_similarities: true },
  { name: 'FallbackClassifier', threshold: 0.3, ambiguity_threshold: 0.1 },
];

export interface ResolvedComponent {
  name: string;
  /** Position in the pipeline (0-based), for messages. */
  index: number;
  /** Defaults overlaid with the options written in config.yml (unknown options dropped). */
  options: Record<string, unknown>;
  definition: ComponentDefinition<unknown>;
}

export interface ResolvedPipeline {
  source: 'config' | 'default';
  language: string | null;
  components: ResolvedComponent[];
}

const NEEDS_TOKENS = new Set(['featurizer', 'classifier-and-extractor', 'response-selector']);
const TOKENIZER_FREE = new Set(['KeywordIntentClassifier', 'RegexEntityExtractor', 'DucklingEntityExtractor']);

/**
 * Resolves the pipeline; throws PARLEY_ERR_COMPONENT_UNSUPPORTED for a component Parley cannot
 * run and PARLEY_ERR_CONFIG_INVALID for an impossible order. Unknown options are logged.
 */
export function resolvePipeline(config: Pick<ModelConfig, 'pipeline' | 'language'>, logger: Logger): ResolvedPipeline {
  const source = config.pipeline === null ? 'default' : 'config';
  const entries = config.pipeline ?? DEFAULT_PIPELINE;
  const components = entries.map((entry, index) => resolveComponent(entry, index, source === 'config' ? logger : null));
  checkOrder(components);
  return { source, language: config.language, components };
}

/** `logger` is null for the default pipeline, whose Rasa-specific settings need no remark. */
function resolveComponent(entry: ComponentConfig, index: number, logger: Logger | null): ResolvedComponent {
  const name = String(entry.name);
  const definition = COMPONENTS.get(name);
  if (definition === undefined) throw unsupported(name, index);
  const options: Record<string, unknown> = { ...definition.defaults };
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'name') continue;
    if (key in definition.defaults) options[key] = value;
    else unknown.push(key);
  }
  if (unknown.length > 0) {
    logger?.warn(
      `config.yml pipeline[${index}] ${name}: unknown option(s) ${unknown.join(', ')} ignored. Known options: ${Object.keys(definition.defaults).join(', ')}.`,
    );
  }
  const inert = (definition.inertOptions ?? []).filter((key) => key in entry);
  if (inert.length > 0) {
    logger?.info(
      `config.yml pipeline[${index}] ${name}: option(s) ${inert.join(', ')} have no effect in Parley, whose ${name} is not Rasa's model (accepted and ignored).`,
    );
  }
  return { name, index, options, definition };
}

function unsupported(name: string, index: number): ParleyError {
  const where = `config.yml pipeline[${index}]`;
  const advice = UNSUPPORTED_COMPONENTS.get(name);
  if (advice !== undefined) {
    return new ParleyError('PARLEY_ERR_COMPONENT_UNSUPPORTED', `${where}: the component '${name}' is not available in Parley. ${advice}`, {
      details: { component: name },
    });
  }
  const available = [...COMPONENTS.keys()].join(', ');
  const message = name.includes('.')
    ? `${where}: '${name}' is a custom Python component; Parley cannot run Python code. Available components: ${available}.`
    : `${where}: there is no NLU component named '${name}'. Available components: ${available}.`;
  return new ParleyError('PARLEY_ERR_COMPONENT_UNSUPPORTED', message, { details: { component: name } });
}

const INTENT_KINDS = new Set(['intent-classifier', 'classifier-and-extractor']);

function checkOrder(components: readonly ResolvedComponent[]): void {
  const tokenizer = components.findIndex((component) => component.definition.kind === 'tokenizer');
  const classifier = components.findIndex((component) => INTENT_KINDS.has(component.definition.kind));
  for (const component of components) {
    if (component.name === 'FallbackClassifier' && (classifier < 0 || classifier > component.index)) {
      throw new ParleyError(
        'PARLEY_ERR_CONFIG_INVALID',
        `config.yml pipeline[${component.index}] FallbackClassifier needs an intent classifier (e.g. DIETClassifier) before it.`,
      );
    }
    const needsTokens = NEEDS_TOKENS.has(component.definition.kind) ||
      (component.definition.kind === 'entity-extractor' && !TOKENIZER_FREE.has(component.name)) ||
      (component.definition.kind === 'intent-classifier' && !TOKENIZER_FREE.has(component.name));
    if (needsTokens && (tokenizer < 0 || tokenizer > component.index)) {
      throw new ParleyError(
        'PARLEY_ERR_CONFIG_INVALID',
        `config.yml pipeline[${component.index}] ${component.name} needs a tokenizer before it; add '- name: WhitespaceTokenizer' at the start of the pipeline.`,
      );
    }
  }
}
