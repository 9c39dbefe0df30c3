/**
 * Parse results of recently seen texts. A trained NLU pipeline is a pure function of the text
 * (the model does not change while it is loaded; a new model gets a new processor and cache), so
 * an exact repeat ("hi", "yes", a button's payload) can skip the pipeline and still get what the
 * pipeline would give. Hits are deep copies, so nothing downstream shares or changes a cached
 * result. `/intent{…}` shortcuts are not cached: they are cheap and may log per message.
 */
import type { NluInterpreter, ParseResult } from '../shared/nlu.js';
import { clonePlainValue } from './plain-values.js';

/** Longer texts are rarely repeated exactly; they are parsed every time. */
const MAX_CACHED_TEXT_LENGTH = 200;

export class ParseCache {
  readonly capacity: number;
  readonly #interpreter: NluInterpreter;
  readonly #results = new Map<string, ParseResult>();

  /** @param capacity texts kept, least recently used dropped first; 0 turns the cache off. */
  constructor(interpreter: NluInterpreter, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`The parse cache size must be a whole number of 0 or more, not ${capacity}.`);
    }
    this.#interpreter = interpreter;
    this.capacity = capacity;
  }

  get size(): number {
    return this.#results.size;
  }

  /** What `interpreter.parse(text)` gives, from the cache when the text was parsed recently. */
  parse(text: string): ParseResult {
    if (this.capacity === 0 || text.length > MAX_CACHED_TEXT_LENGTH || text.startsWith('/')) {
      return this.#interpreter.parse(text);
    }
    const known = this.#results.get(text);
    if (known !== undefined) {
      this.#results.delete(text);
      this.#results.set(text, known);
      return clonePlainValue(known);
    }
    const result = this.#interpreter.parse(text);
    this.#results.set(text, clonePlainValue(result));
    if (this.#results.size > this.capacity) this.#results.delete(this.#results.keys().next().value as string);
    return result;
  }
}
