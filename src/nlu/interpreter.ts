/** A loaded NLU pipeline: runs the components on a text and answers in Rasa's parse shape. */
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { NluInterpreter, ParseResult } from '../shared/nlu.js';
import type { ComponentRuntime } from './component.js';
import { matchIntentShortcut } from './intent-shortcut.js';
import type { NluMessage } from './message.js';
import { createMessage } from './message.js';

/** The parse result of a processed message, keys in the order Rasa returns them. */
export function parseResultOf(message: NluMessage): ParseResult {
  const result: ParseResult = {
    text: message.text,
    intent: message.intent ?? { name: null, confidence: 0 },
    entities: message.entities,
  };
  if (message.tokens !== null) result.text_tokens = message.tokens.map((token) => [token.start, token.end]);
  if (message.intentRanking !== null) result.intent_ranking = message.intentRanking;
  if (message.responseSelector !== null) result.response_selector = message.responseSelector;
  return result;
}

export class PipelineInterpreter implements NluInterpreter {
  readonly #components: readonly ComponentRuntime[];
  readonly #domain: Domain | null;
  readonly #logger: Logger | undefined;

  constructor(components: readonly ComponentRuntime[], domain: Domain | null, logger?: Logger) {
    this.#components = components;
    this.#domain = domain;
    this.#logger = logger;
  }

  /**
   * Runs the pipeline, then the `/intent{…}` shortcut, which overrides it. A valid shortcut
   * keeps nothing of the pipeline's output, so the pipeline is skipped for it.
   */
  parse(text: string): ParseResult {
    const shortcut = matchIntentShortcut(text, this.#domain, { logger: this.#logger });
    if (shortcut !== null) return shortcut;
    const message = createMessage(text);
    for (const component of this.#components) component.process(message);
    return parseResultOf(message);
  }
}
