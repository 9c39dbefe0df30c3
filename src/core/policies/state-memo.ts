/**
 * What prediction derives from one dialogue state (its key text, its feature columns), kept with
 * the state. Dialogue states are never changed once built, and a conversation's older states are
 * the same objects from one prediction to the next, so each is serialised and featurised once.
 * States the {@link StateBuilder} makes are instances of {@link BuiltDialogueState}, whose memo is
 * a private field: JSON, `Object.keys/entries` and spreading do not see it, so a copy made with
 * `{ ...state }` is a plain object without one. Other states (parsed rule keys, tests) have no
 * memo and are simply derived afresh each time.
 */
import type { DialogueState } from './states.js';

export interface StateMemo {
  /** `pythonJson(state)`. */
  text?: string;
  /** A number only this state has, given when the builder shares it (see StateBuilder). */
  id?: number;
  /** The state's content key without its user part (see StateBuilder). */
  contentRest?: string;
  /** Per featurizer (owner): data it derived from the state. */
  derived?: Array<[owner: object, data: unknown]>;
}

/** A dialogue state made by the state builder: a plain-looking object with a hidden memo. */
export class BuiltDialogueState {
  readonly #memo: StateMemo = {};

  static memoOf(state: DialogueState): StateMemo | undefined {
    return #memo in state ? (state as BuiltDialogueState).#memo : undefined;
  }
}

/** The state's memo, or undefined for a state the builder did not make. */
export function stateMemo(state: DialogueState): StateMemo | undefined {
  return state instanceof BuiltDialogueState ? BuiltDialogueState.memoOf(state) : undefined;
}

/** Data `owner` derived from `state`, computed by `derive` once per built state. */
export function derivedFrom<T>(state: DialogueState, owner: object, derive: () => T): T {
  const memo = stateMemo(state);
  if (!memo) return derive();
  const derived = (memo.derived ??= []);
  for (const [known, data] of derived) if (known === owner) return data as T;
  const data = derive();
  derived.push([owner, data]);
  return data;
}

let lastStateId = 0;

/** Gives a shared state its number (see {@link windowKey}). */
export function numberState(memo: StateMemo): void {
  memo.id ??= ++lastStateId;
}

/**
 * A short key for a window of shared states (`id.id.id`), or null when one of them is not
 * shared. Ids are never reused, so two windows with the same key hold the same states.
 */
export function windowKey(states: readonly DialogueState[]): string | null {
  let key = '';
  for (let index = 0; index < states.length; index++) {
    const id = stateMemo(states[index])?.id;
    if (id === undefined) return null;
    key += index === 0 ? `${id}` : `.${id}`;
  }
  return key;
}

/**
 * Results derived from windows of shared states (a policy's scores, a rule match, a digest),
 * remembered by {@link windowKey}: conversations keep reaching the same few windows. Bounded:
 * when full it starts over.
 */
export class WindowMemory<T> {
  readonly #entries = new Map<string, T>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** `derive()` for this window, from memory when the window holds only shared states and was seen. */
  recall(states: readonly DialogueState[], derive: () => T): T {
    const key = windowKey(states);
    if (key === null) return derive();
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = derive();
      if (this.#entries.size >= this.#capacity) this.#entries.clear();
      this.#entries.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

