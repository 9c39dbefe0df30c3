/**
 * Responses (NLG): choosing a variation of a domain response for the current slots and output
 * channel, filling its placeholders, and turning generated messages into `bot` events and the
 * flat bot messages channels receive.
 */
import type { Logger } from '../logger.js';
import type { ResponseVariation } from '../shared/domain.js';
import type { BotMessageData, BotUtteredEvent, Button } from '../shared/events.js';
import type { BotMessage } from '../shared/messages.js';
import { botUttered } from './events.js';
import { interpolate } from './interpolation.js';
import { assignOwn, clonePlainValue } from './plain-values.js';
import { pythonEquals, pythonTruthy } from './python-values.js';
import type { DialogueStateTracker } from './tracker.js';

/** A generated message: the variation's keys (text, buttons, image, custom, …) after interpolation. */
export type GeneratedMessage = Record<string, unknown>;

/** Produces the message for a response name (Rasa's `NaturalLanguageGenerator`). */
export interface NaturalLanguageGenerator {
  /**
   * @param channelName the output channel's name, matched against variations' `channel:`.
   * @param variables extra template variables; they override slot values of the same name.
   * @returns the message, or null when the response does not exist or no variation fits.
   */
  generate(
    responseName: string,
    tracker: DialogueStateTracker,
    channelName: string,
    variables?: Readonly<Record<string, unknown>>,
  ): Promise<GeneratedMessage | null>;
}

export interface TemplatedNlgOptions {
  /** Uniform random source in [0, 1) used to pick among eligible variations. @default Math.random */
  random?: () => number;
  logger?: Logger;
}

/** Keys whose strings are interpolated (nested values included). */
const INTERPOLATED_KEYS = ['text', 'image', 'custom', 'buttons', 'attachment', 'quick_replies'] as const;

/** Generates messages from the domain's `responses:`. */
export class TemplatedNaturalLanguageGenerator implements NaturalLanguageGenerator {
  #responses: Readonly<Record<string, ResponseVariation[]>>;
  #random: () => number;
  #logger?: Logger;

  constructor(responses: Readonly<Record<string, ResponseVariation[]>>, options: TemplatedNlgOptions = {}) {
    this.#responses = responses;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
  }

  async generate(
    responseName: string,
    tracker: DialogueStateTracker,
    channelName: string,
    variables: Readonly<Record<string, unknown>> = {},
  ): Promise<GeneratedMessage | null> {
    return this.generateFromSlots(responseName, tracker.slots, channelName, variables);
  }

  /** Same as {@link generate}, from slot values instead of a tracker. */
  generateFromSlots(
    responseName: string,
    slots: Readonly<Record<string, unknown>>,
    channelName: string,
    variables: Readonly<Record<string, unknown>> = {},
  ): GeneratedMessage | null {
    const variations = this.#responses[responseName];
    if (!variations) return null;
    const eligible = eligibleVariations(variations, channelName, slots);
    if (eligible.length === 0) return null;
    const chosen = eligible[Math.min(eligible.length - 1, Math.floor(this.#random() * eligible.length))];
    const message = clonePlainValue(chosen) as GeneratedMessage;
    const values = { ...slots, ...variables };
    for (const key of INTERPOLATED_KEYS) {
      if (key in message) message[key] = interpolate(message[key], values, this.#logger);
    }
    return message;
  }
}

/**
 * The variations a response may use, in Rasa's order of preference: conditional ones for this
 * channel, then plain ones for this channel, then conditional ones without a channel, then plain
 * ones without a channel. The first non-empty group wins.
 */
export function eligibleVariations(
  variations: readonly ResponseVariation[],
  channelName: string,
  slots: Readonly<Record<string, unknown>>,
): ResponseVariation[] {
  const conditional = variations.filter((variation) => variation.condition != null && conditionsHold(variation, slots));
  const plain = variations.filter((variation) => variation.condition == null);
  const forChannel = (variation: ResponseVariation): boolean => variation.channel === channelName;
  const withoutChannel = (variation: ResponseVariation): boolean => variation.channel == null;
  const groups = [
    conditional.filter(forChannel),
    plain.filter(forChannel),
    conditional.filter(withoutChannel),
    plain.filter(withoutChannel),
  ];
  return groups.find((group) => group.length > 0) ?? [];
}

/** Every constraint must hold: strings compare case-insensitively, other values with Python `==`. */
function conditionsHold(variation: ResponseVariation, slots: Readonly<Record<string, unknown>>): boolean {
  return (variation.condition ?? []).every((constraint) => {
    const actual = slots[constraint.name] ?? null;
    const expected = constraint.value;
    if (typeof actual === 'string' && typeof expected === 'string') {
      return caseFold(actual) === caseFold(expected);
    }
    return pythonEquals(actual, expected);
  });
}

/** Close to Python's `str.casefold()` (full case folding, e.g. `ß` → `ss`). */
function caseFold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/**
 * Rasa's `create_bot_utterance`: `text` becomes the event text; `elements`, `quick_replies`,
 * `buttons`, `attachment` (falling back to `image`), `image` and `custom` become `data`; every
 * other key (`utter_action`, `id`, `channel`, `condition`, `metadata`, extra variables…) becomes
 * the event's metadata.
 */
export function createBotUtterance(message: GeneratedMessage): BotUtteredEvent {
  const { text, elements, quick_replies, buttons, attachment, image, custom, ...rest } = message;
  const data: BotMessageData = {
    elements: (elements ?? null) as unknown[] | null,
    quick_replies: (quick_replies ?? null) as Button[] | null,
    buttons: (buttons ?? null) as Button[] | null,
    attachment: pythonTruthy(attachment) ? attachment : (image ?? null),
    image: (image ?? null) as string | null,
    custom: (custom ?? null) as Record<string, unknown> | null,
  };
  return botUttered((text ?? null) as string | null, data, rest);
}

/**
 * What channels receive for a `bot` event (Rasa's `BotUttered.message()`): the data keys, `text`,
 * `timestamp` and the metadata keys merged flat; `attachment` is nulled when it merely repeats `image`.
 */
export function botMessageFromEvent(event: BotUtteredEvent): BotMessage {
  const message: Record<string, unknown> = {};
  if (event.data) assignOwn(message, event.data);
  message.text = event.text;
  message.timestamp = event.timestamp;
  if (event.metadata) assignOwn(message, event.metadata);
  if (pythonEquals(message.image ?? null, message.attachment ?? null)) message.attachment = null;
  return message as BotMessage;
}
