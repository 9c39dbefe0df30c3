/**
 * Dialogue histories as sparse numeric rows for ML policies: every state of the newest
 * `maxHistory` turns contributes position-tagged features (intent, entities, words of a text
 * message, previous action, slot features, active loop), plus the newest turn's
 * "previous action × intent" pair, which decides most next actions on its own.
 */
import type { SparseRow } from '../../ml/sparse.js';
import type { DialogueState } from './states.js';

/** The named features of one state (value 1 unless a slot feature says otherwise). */
export function stateTokens(state: DialogueState | undefined): Array<[string, number]> {
  // Histories shorter than the window simply have fewer features, as TED pads with zeros.
  if (!state) return [];
  const tokens: Array<[string, number]> = [];
  const user = state.user;
  if (user?.intent) tokens.push([`intent:${user.intent}`, 1]);
  for (const entity of user?.entities ?? []) tokens.push([`entity:${entity}`, 1]);
  if (user?.text) for (const word of words(user.text)) tokens.push([`word:${word}`, 1]);
  const action = state.prev_action;
  if (!action) tokens.push(['start', 1]);
  else if ('action_name' in action) tokens.push([`action:${action.action_name}`, 1]);
  else tokens.push([`bot:${action.action_text}`, 1]);
  for (const [slot, features] of Object.entries(state.slots ?? {})) {
    if (!Array.isArray(features)) continue;
    features.forEach((value, index) => {
      if (value !== 0) tokens.push([`slot:${slot}:${index}`, value]);
    });
  }
  if (state.active_loop) tokens.push([`loop:${state.active_loop.name}`, 1]);
  return tokens;
}

/** Tokens of a history window, newest state at position 0. */
export function historyTokens(states: readonly DialogueState[], maxHistory: number): Array<[string, number]> {
  const tokens: Array<[string, number]> = [];
  for (let position = 0; position < maxHistory; position++) {
    const state = states[states.length - 1 - position];
    for (const [name, value] of stateTokens(state)) tokens.push([`${position}|${name}`, value]);
  }
  const newest = states[states.length - 1];
  if (newest) {
    const action = newest.prev_action;
    const previous = !action ? 'start' : 'action_name' in action ? action.action_name : `bot:${action.action_text}`;
    tokens.push([`pair|${previous}|${newest.user?.intent ?? newest.user?.text ?? ''}`, 1]);
    if (newest.active_loop) tokens.push([`pair|${previous}|loop:${newest.active_loop.name}`, 1]);
  }
  return tokens;
}

/** A growing (training) or fixed (prediction) token → column map. */
export class FeatureVocabulary {
  readonly #columns: Map<string, number>;

  constructor(tokens: readonly string[] = []) {
    this.#columns = new Map(tokens.map((token, index) => [token, index]));
  }

  get size(): number {
    return this.#columns.size;
  }

  tokens(): string[] {
    return [...this.#columns.keys()];
  }

  /** Row of the known tokens; with `grow`, unknown tokens get new columns. */
  row(tokens: ReadonlyArray<readonly [string, number]>, grow = false): SparseRow {
    const features = new Map<number, number>();
    for (const [token, value] of tokens) {
      let column = this.#columns.get(token);
      if (column === undefined) {
        if (!grow) continue;
        column = this.#columns.size;
        this.#columns.set(token, column);
      }
      features.set(column, (features.get(column) ?? 0) + value);
    }
    const indices = Int32Array.from([...features.keys()].sort((a, b) => a - b));
    return { indices, values: Float32Array.from(indices, (index) => features.get(index) ?? 0) };
  }
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}
