/**
 * WhitespaceTokenizer: splits text the way Rasa 3.x's WhitespaceTokenizer does (punctuation at
 * word edges dropped, inner punctuation kept in numbers, e-mails and URLs, emoji-only tokens
 * removed), with character offsets into the original text.
 */
import { ParleyError } from '../errors.js';
import type { ComponentDefinition, ComponentOptions } from './component.js';
import { stringOption } from './component.js';
import type { NluMessage, Token } from './message.js';
import { compilePythonRegex } from './python-regex.js';

/** Unicode word characters, as Python's `regex` module understands `\w`. */
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d`;

/**
 * Three cases of "not a word character" that become spaces: a run before a space or the end; a
 * run after a space or the start that is not followed by a digit; and a run between two
 * non-digits unless it is a URL/e-mail character (so `10'000.00` and `a@b.com` survive).
 */
const SEPARATORS = new RegExp(
  String.raw`[^${WORD}#@&]+(?=\s|$)|(?:\s|^)[^${WORD}#@&]+(?=[^0-9\s])|(?<=[^0-9\s])[^${WORD}._~:/?#\[\]()@!$&*+,;=\-]+(?=[^0-9\s])`,
  'gu',
);

const EMOJI_ONLY = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\ufe0f\u20e3]+$/u;

const UNSUPPORTED_LANGUAGES = ['zh', 'ja', 'th'];

export interface TokenizerSettings {
  /** Extra pattern that splits each token further (`token_pattern`). */
  tokenPattern: RegExp | null;
}

export function tokenizerSettings(options: ComponentOptions): TokenizerSettings {
  const pattern = stringOption(options, 'token_pattern');
  return { tokenPattern: pattern ? compilePythonRegex(pattern, { global: true }) : null };
}

/** Splits `text` into tokens with offsets. Empty or blank text gives no tokens. */
export function tokenize(text: string, settings: TokenizerSettings = { tokenPattern: null }): Token[] {
  if (text.trim() === '') return [];
  let words = text
    .replace(SEPARATORS, ' ')
    .split(/\s+/u)
    .filter((word) => word !== '')
    .map((word) => (EMOJI_ONLY.test(word) ? '' : word))
    .filter((word) => word !== '');
  // When everything was punctuation (e.g. ":)"), the whole text is the one token.
  if (words.length === 0) words = [text];
  const tokens = wordsToTokens(words, text);
  return settings.tokenPattern ? splitByPattern(tokens, settings.tokenPattern) : tokens;
}

function wordsToTokens(words: readonly string[], text: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  for (const word of words) {
    const start = text.indexOf(word, offset);
    if (start < 0) continue;
    offset = start + word.length;
    tokens.push({ text: word, start, end: offset });
  }
  return tokens;
}

function splitByPattern(tokens: readonly Token[], pattern: RegExp): Token[] {
  const result: Token[] = [];
  for (const token of tokens) {
    const parts = [...token.text.matchAll(pattern)].map((match) => match[0]).filter((part) => part !== '');
    if (parts.length === 0) {
      result.push(token);
      continue;
    }
    let offset = 0;
    for (const part of parts) {
      const start = token.text.indexOf(part, offset);
      offset = start + part.length;
      result.push({ text: part, start: token.start + start, end: token.start + offset });
    }
  }
  return result;
}

export const whitespaceTokenizer: ComponentDefinition<null> = {
  name: 'WhitespaceTokenizer',
  kind: 'tokenizer',
  defaults: {
    intent_tokenization_flag: false,
    intent_split_symbol: '_',
    token_pattern: null,
    prefix_separator_symbol: null,
  },
  train(context) {
    if (context.language !== null && UNSUPPORTED_LANGUAGES.includes(context.language)) {
      throw new ParleyError(
        'PARLEY_ERR_COMPONENT_UNSUPPORTED',
        `WhitespaceTokenizer cannot split '${context.language}' text into words (it has no spaces between words), ` +
          `and Parley has no tokenizer for this language.`,
      );
    }
    tokenizerSettings(context.options);
    return null;
  },
  load(_data, context) {
    const settings = tokenizerSettings(context.options);
    return {
      process(message: NluMessage) {
        message.tokens = tokenize(message.text, settings);
      },
    };
  },
};
