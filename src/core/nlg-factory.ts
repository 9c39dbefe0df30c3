/** Chooses the response generator endpoints.yml asks for (`nlg:`), as Rasa's `NaturalLanguageGenerator.create`. */
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { Endpoints } from '../shared/project.js';
import { CallbackNaturalLanguageGenerator, parseNlgEndpoint } from './nlg-callback.js';
import { TemplatedNaturalLanguageGenerator, type NaturalLanguageGenerator } from './nlg.js';

/**
 * No `nlg` entry, or `type: response`: the domain's responses. `type: callback` or no `type`
 * with a `url`: an NLG server. Rasa also accepts a Python class path as `type`; Parley cannot
 * load one, so it fails at startup.
 * @throws ParleyError `PARLEY_ERR_CONFIG_INVALID` for an unknown type or an unusable entry.
 * @example
 * const nlg = createNaturalLanguageGenerator(endpoints, model.domain, logger);
 */
export function createNaturalLanguageGenerator(
  endpoints: Endpoints | null | undefined,
  domain: Domain,
  logger?: Logger,
): NaturalLanguageGenerator {
  const childLogger = logger?.child({ module: 'nlg' });
  const raw = endpoints?.nlg;
  const type = typeof raw?.type === 'string' ? raw.type.trim().toLowerCase() : raw?.type;
  if (!raw || type === 'response') {
    return new TemplatedNaturalLanguageGenerator(domain.responses, { logger: childLogger });
  }
  if (type === undefined || type === null || type === 'callback') {
    return new CallbackNaturalLanguageGenerator(parseNlgEndpoint(raw), { responses: domain.responses, logger: childLogger });
  }
  throw new ParleyError(
    'PARLEY_ERR_CONFIG_INVALID',
    `endpoints.yml: the nlg type '${String(raw.type)}' is not supported. Use 'callback' (an NLG server at 'url') or 'response' (the domain's responses); custom Python generator classes cannot run in Parley.`,
    { location: { file: 'endpoints.yml' } },
  );
}
