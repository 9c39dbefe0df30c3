/**
 * Dialogue histories as sparse numeric rows for ML policies: every state of the newest
 * `maxHistory` turns contributes position-tagged features (intent, entities, words of a text
 * message, previous action, slot features, active loop), plus the newest turn's
 * "previous action × intent" pair, which decides most next actions on its own.
 */
import type { SparseRow } from '../../ml/sparse.js';
import { derivedFrom } from './state-memo.js';
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
  if (newest) tokens.push(...pairTokens(newest));
  return tokens;
}

/** The newest state's "previous action × intent" (and × active loop) features. */
function pairTokens(newest: DialogueState): Array<[string, number]> {
  const action = newest.prev_action;
  const previous = !action ? 'start' : 'action_name' in action ? action.action_name : `bot:${action.action_text}`;
  const tokens: Array<[string, number]> = [[`pair|${previous}|${newest.user?.intent ?? newest.user?.text ?? ''}`, 1]];
  if (newest.active_loop) tokens.push([`pair|${previous}|loop:${newest.active_loop.name}`, 1]);
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

  /** The column of a known token. */
  columnOf(token: string): number | undefined {
    return this.#columns.get(token);
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

/** One named feature of a state: its value and its column at each history position (-1: unknown). */
interface StateFeature {
  columns: Int32Array;
  value: number;
}

/**
 * `vocabulary.row(historyTokens(states, maxHistory))` for prediction, with each state's features
 * remembered with the state (see state-memo.ts), so older states are not featurised again, and
 * position-tagged columns looked up in a table instead of through new strings. Gives exactly the
 * row the uncached form gives.
 */
export class HistoryFeaturizer {
  readonly #vocabulary: FeatureVocabulary;
  readonly #maxHistory: number;
  /** Feature name → its column at each position. */
  readonly #byName = new Map<string, Int32Array>();
  /** Scratch sums by column, reset after every row. */
  readonly #sums: Float64Array;
  readonly #seen: Uint8Array;

  constructor(vocabulary: FeatureVocabulary, maxHistory: number) {
    this.#vocabulary = vocabulary;
    this.#maxHistory = maxHistory;
    this.#sums = new Float64Array(vocabulary.size);
    this.#seen = new Uint8Array(vocabulary.size);
    vocabulary.tokens().forEach((token, column) => {
      const bar = token.indexOf('|');
      const position = Number(token.slice(0, bar));
      if (bar <= 0 || !Number.isInteger(position) || position < 0 || position >= maxHistory) return;
      const name = token.slice(bar + 1);
      let columns = this.#byName.get(name);
      if (!columns) {
        columns = new Int32Array(maxHistory).fill(-1);
        this.#byName.set(name, columns);
      }
      if (columns[position] === -1) columns[position] = column;
    });
  }

  row(states: readonly DialogueState[]): SparseRow {
    const touched: number[] = [];
    for (let position = 0; position < this.#maxHistory; position++) {
      const state = states[states.length - 1 - position];
      if (!state) continue;
      for (const feature of derivedFrom(state, this, () => this.#features(state))) {
        const column = feature.columns[position];
        if (column >= 0) this.#add(column, feature.value, touched);
      }
    }
    const newest = states[states.length - 1];
    if (newest) {
      for (const [token, value] of pairTokens(newest)) {
        const column = this.#vocabulary.columnOf(token);
        if (column !== undefined) this.#add(column, value, touched);
      }
    }
    const indices = Int32Array.from(touched).sort();
    const values = new Float32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      values[k] = this.#sums[indices[k]];
      this.#sums[indices[k]] = 0;
      this.#seen[indices[k]] = 0;
    }
    return { indices, values };
  }

  #add(column: number, value: number, touched: number[]): void {
    if (this.#seen[column] === 0) {
      this.#seen[column] = 1;
      touched.push(column);
    }
    this.#sums[column] += value;
  }

  /** The state's features the vocabulary knows at some position, in token order. */
  #features(state: DialogueState): StateFeature[] {
    const features: StateFeature[] = [];
    for (const [name, value] of stateTokens(state)) {
      const columns = this.#byName.get(name);
      if (columns) features.push({ columns, value });
    }
    return features;
  }
}
