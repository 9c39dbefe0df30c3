/**
 * DucklingEntityExtractor without a Duckling server: Parley extracts the `number` dimension
 * itself (English digits and number words) in Duckling's entity shape; other dimensions
 * (time, amount-of-money, email, …) are not extracted, which training reports as a warning.
 */
import type { Entity } from '../shared/nlu.js';
import type { ComponentDefinition, ComponentOptions } from './component.js';
import type { NluMessage } from './message.js';
import { findNumbers } from './number-parser.js';

const SUPPORTED_DIMENSIONS = ['number'];

function requestedDimensions(options: ComponentOptions): string[] | null {
  return Array.isArray(options.dimensions) ? options.dimensions.map(String) : null;
}

/** Numbers in the text as Duckling entities (start, end, text, value, confidence, additional_info). */
export function numberEntities(text: string): Entity[] {
  return findNumbers(text).map((match) => ({
    start: match.start,
    end: match.end,
    text: match.text,
    value: match.value,
    confidence: 1.0,
    additional_info: { value: match.value, type: 'value' },
    entity: 'number',
    extractor: 'DucklingEntityExtractor',
  }));
}

export const ducklingEntityExtractor: ComponentDefinition<null> = {
  name: 'DucklingEntityExtractor',
  kind: 'entity-extractor',
  defaults: { url: null, dimensions: null, locale: null, timezone: null, timeout: 3 },
  inertOptions: ['url', 'timezone', 'timeout'],
  train(context) {
    const dimensions = requestedDimensions(context.options);
    const missing = dimensions === null ? ['all other dimensions'] : dimensions.filter((d) => !SUPPORTED_DIMENSIONS.includes(d));
    if (missing.length > 0) {
      context.logger.warn(
        `DucklingEntityExtractor: Parley does not call a Duckling server; it extracts only the 'number' dimension itself. ` +
          `Not extracted: ${missing.join(', ')}.`,
      );
    }
    const locale = context.options.locale ?? context.language;
    if (typeof locale === 'string' && !/^en/i.test(locale)) {
      context.logger.warn(`DucklingEntityExtractor: numbers are only recognised in English, not for locale '${locale}'.`);
    }
    return null;
  },
  load(_data, context) {
    const dimensions = requestedDimensions(context.options);
    const active = dimensions === null || dimensions.includes('number');
    return {
      process(message: NluMessage) {
        if (active) message.entities.push(...numberEntities(message.text));
      },
    };
  },
};
