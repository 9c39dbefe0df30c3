/**
 * Callback NLG (dialogue-engine §13, http-api §7): responses come from an NLG server that
 * endpoints.yml `nlg: {url: …}` names. One POST per response; a failed call or an invalid reply
 * is logged and the response skipped, so the conversation goes on.
 */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import {
  describeRequestFailure,
  endpointRequestHeaders,
  endpointRequestUrl,
  httpEndpointFrom,
  httpEndpointSchema,
  parseEndpointSection,
  type HttpEndpointConfig,
} from './http-endpoint.js';
import type { ResponseVariation } from '../shared/domain.js';
import { eligibleVariations, type GeneratedMessage, type NaturalLanguageGenerator } from './nlg.js';
import type { DialogueStateTracker } from './tracker.js';

/** endpoints.yml `nlg` with `type: callback` (or no type), every default filled in. */
export type NlgEndpointConfig = HttpEndpointConfig;

/**
 * Reads a callback `nlg` entry of endpoints.yml.
 * @throws ParleyError `PARLEY_ERR_CONFIG_INVALID` naming the bad field.
 */
export function parseNlgEndpoint(raw: Record<string, unknown>): NlgEndpointConfig {
  return httpEndpointFrom(parseEndpointSection(httpEndpointSchema, raw, 'nlg', 'nlg endpoint'));
}

/** Rasa's `nlg_response_format_spec`: known keys are type-checked, other keys pass through. */
const replySchema = z
  .object({
    text: z.string().nullish(),
    id: z.string().nullish(),
    buttons: z.array(z.record(z.unknown())).nullish(),
    elements: z.array(z.record(z.unknown())).nullish(),
    attachment: z.record(z.unknown()).nullish(),
    image: z.string().nullish(),
    custom: z.record(z.unknown()).optional(),
  })
  .passthrough();

export interface CallbackNlgOptions {
  /** The domain's responses, to send the `id` of the variation the domain would pick. @default none: `id` is null */
  responses?: Readonly<Record<string, ResponseVariation[]>>;
  logger?: Logger;
}

/** Asks the NLG server for every response. */
export class CallbackNaturalLanguageGenerator implements NaturalLanguageGenerator {
  readonly #endpoint: NlgEndpointConfig;
  readonly #responses: Readonly<Record<string, ResponseVariation[]>>;
  readonly #logger?: Logger;

  constructor(endpoint: NlgEndpointConfig, options: CallbackNlgOptions = {}) {
    this.#endpoint = endpoint;
    this.#responses = options.responses ?? {};
    this.#logger = options.logger;
  }

  /**
   * POSTs `{response, id, arguments, tracker, channel: {name}}` and returns the server's message.
   * @returns null when the call fails or the reply is invalid (both logged as errors).
   */
  async generate(
    responseName: string,
    tracker: DialogueStateTracker,
    channelName: string,
    variables: Readonly<Record<string, unknown>> = {},
  ): Promise<GeneratedMessage | null> {
    const body = {
      response: responseName,
      id: this.#variationId(responseName, tracker, channelName),
      arguments: variables,
      tracker: tracker.currentState('ALL'),
      channel: { name: channelName },
    };
    try {
      return await this.#request(body);
    } catch (error) {
      this.#logger?.error(
        { event: 'nlg.callback.failed', response: responseName, senderId: tracker.senderId, url: this.#endpoint.url, err: error },
        `Skipped the response '${responseName}': ${(error as Error).message}`,
      );
      return null;
    }
  }

  /** The `id` of the first variation the domain itself would consider; null if ids repeat. */
  #variationId(responseName: string, tracker: DialogueStateTracker, channelName: string): string | null {
    const variations = this.#responses[responseName];
    if (!variations) return null;
    const eligible = eligibleVariations(variations, channelName, tracker.slots);
    const ids = eligible.map((variation) => variation.id).filter((id): id is string => typeof id === 'string');
    if (new Set(ids).size !== ids.length) {
      this.#logger?.error(
        { event: 'nlg.callback.duplicate_ids', response: responseName },
        `The response '${responseName}' has variations with the same id; the NLG server gets no id for it.`,
      );
      return null;
    }
    return eligible[0]?.id ?? null;
  }

  async #request(body: Record<string, unknown>): Promise<GeneratedMessage> {
    const { url, timeoutSeconds } = this.#endpoint;
    let response: Response;
    try {
      response = await fetch(endpointRequestUrl(this.#endpoint), {
        method: 'POST',
        headers: endpointRequestHeaders(this.#endpoint),
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
    } catch (error) {
      throw new Error(
        (error as Error).name === 'TimeoutError'
          ? `the NLG server at '${url}' did not answer within ${timeoutSeconds} s.`
          : `couldn't connect to the NLG server at '${url}'. Is it running? (${describeRequestFailure(error)})`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`the NLG server answered with status ${response.status} (${text.slice(0, 200)}).`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error('the NLG server answered with a body that is not JSON.', { cause: error });
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new Error('the NLG server must answer with a JSON object such as {"text": "…"}.');
    }
    const reply = replySchema.safeParse(json);
    if (!reply.success) {
      const problems = reply.error.issues.map((issue) => `'${issue.path.join('.')}': ${issue.message}`);
      throw new Error(`the NLG server's reply is not valid: ${problems.join('; ')}.`);
    }
    return reply.data as GeneratedMessage;
  }
}
