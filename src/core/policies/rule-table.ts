/**
 * Rule keys and how they match a conversation (RulePolicy's `_get_possible_keys`): rule states
 * are compared newest-first with the conversation's, each rule state must be a subset of the
 * conversation state, and `should_not_be_set` asks for absence.
 */
import { parseStateKey } from './state-key.js';
import { SHOULD_NOT_BE_SET, type DialogueState } from './states.js';

export interface RuleEntry<V extends string = string> {
  key: string;
  states: DialogueState[];
  value: V;
  /** Training order: breaks ties between equally long keys deterministically. */
  order: number;
  /** `states` as flat checks, newest first (what {@link isApplicable} does, without walking objects). */
  compiled: CompiledRuleState[];
}

/** One feature a rule state names: present with this value, or (`absent`) not set. */
interface FeatureCheck {
  type: keyof DialogueState;
  key: string;
  expected: unknown;
  absent: boolean;
}

interface CompiledRuleState {
  /** No previous action: the state is a conversation start. */
  starts: boolean;
  checks: FeatureCheck[];
}

/** A set of rule keys, indexed by the newest state's previous action so lookups stay small. */
export class RuleTable<V extends string = string> {
  readonly #entries = new Map<string, RuleEntry<V>>();
  readonly #byNewestAction = new Map<string, RuleEntry<V>[]>();
  #longest = 0;
  #added = 0;
  #changes = 0;

  constructor(pairs: Iterable<readonly [string, V]> = []) {
    for (const [key, value] of pairs) this.set(key, value);
  }

  /** Grows with every change, so a cache of matches can tell it is stale. */
  get changes(): number {
    return this.#changes;
  }

  set(key: string, value: V): void {
    this.#changes++;
    if (this.#entries.has(key)) this.delete(key);
    const states = parseStateKey(key);
    const compiled = states.map(compileRuleState).reverse();
    const entry: RuleEntry<V> = { key, states, value, order: this.#added++, compiled };
    this.#entries.set(key, entry);
    const bucket = newestActionOf(states);
    const list = this.#byNewestAction.get(bucket) ?? [];
    list.push(entry);
    this.#byNewestAction.set(bucket, list);
    this.#longest = Math.max(this.#longest, states.length);
  }

  get(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#changes++;
    this.#entries.delete(key);
    const bucket = newestActionOf(entry.states);
    const list = this.#byNewestAction.get(bucket) ?? [];
    this.#byNewestAction.set(
      bucket,
      list.filter((candidate) => candidate !== entry),
    );
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  entries(): Array<[string, V]> {
    return [...this.#entries.values()].map((entry) => [entry.key, entry.value]);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The most states any key has: older conversation states can never decide a match. */
  get longest(): number {
    return this.#longest;
  }

  /**
   * Every entry applicable to the conversation whose newest states are `states` (at least
   * `longest` of them, or the whole conversation).
   */
  applicable(states: readonly DialogueState[]): RuleEntry<V>[] {
    const newest = states[states.length - 1];
    const bucket = this.#byNewestAction.get(newestActionOf(newest ? [newest] : [])) ?? [];
    return bucket.filter((entry) => applies(entry.compiled, states));
  }

  /** Rasa picks the longest applicable key (the most specific rule). */
  best(states: readonly DialogueState[]): RuleEntry<V> | undefined {
    let best: RuleEntry<V> | undefined;
    for (const entry of this.applicable(states)) {
      if (!best || entry.key.length > best.key.length || (entry.key.length === best.key.length && entry.order < best.order)) {
        best = entry;
      }
    }
    return best;
  }
}

function newestActionOf(states: readonly DialogueState[]): string {
  const action = states[states.length - 1]?.prev_action;
  if (!action) return '';
  return 'action_name' in action ? `name:${action.action_name}` : `text:${action.action_text}`;
}

/** Rule states against conversation states, newest first, until either runs out. */
export function isApplicable(rule: readonly DialogueState[], conversation: readonly DialogueState[]): boolean {
  const steps = Math.min(rule.length, conversation.length);
  for (let back = 1; back <= steps; back++) {
    const ruleState = rule[rule.length - back];
    const state = conversation[conversation.length - back];
    const ruleStarts = !ruleState.prev_action;
    const conversationStarts = !state.prev_action;
    // A state without previous action is a conversation start; both or neither must be one.
    if (ruleStarts && conversationStarts) continue;
    if (ruleStarts || conversationStarts) return false;
    if (!ruleStateMatches(ruleState, state)) return false;
  }
  return true;
}

function compileRuleState(rule: DialogueState): CompiledRuleState {
  const checks: FeatureCheck[] = [];
  for (const [type, ruleSub] of Object.entries(rule) as Array<[keyof DialogueState, Record<string, unknown>]>) {
    for (const [key, expected] of Object.entries(ruleSub)) {
      if (expected === SHOULD_NOT_BE_SET) checks.push({ type, key, expected, absent: true });
      else if (isPresent(expected)) checks.push({ type, key, expected, absent: false });
    }
  }
  return { starts: !rule.prev_action, checks };
}

/** {@link isApplicable} for a compiled rule (newest state first). */
function applies(rule: readonly CompiledRuleState[], conversation: readonly DialogueState[]): boolean {
  const steps = Math.min(rule.length, conversation.length);
  for (let back = 1; back <= steps; back++) {
    const ruleState = rule[back - 1];
    const state = conversation[conversation.length - back];
    const conversationStarts = !state.prev_action;
    if (ruleState.starts && conversationStarts) continue;
    if (ruleState.starts || conversationStarts) return false;
    for (const check of ruleState.checks) {
      const sub = state[check.type] as Record<string, unknown> | undefined;
      const actual = sub?.[check.key];
      if (check.absent ? isPresent(actual) && actual !== SHOULD_NOT_BE_SET : !sameValue(check.expected, actual)) return false;
    }
  }
  return true;
}

/** Every feature the rule state names must hold in the conversation state. */
export function ruleStateMatches(rule: DialogueState, conversation: DialogueState): boolean {
  for (const [type, ruleSub] of Object.entries(rule) as Array<[keyof DialogueState, Record<string, unknown>]>) {
    const conversationSub = (conversation[type] ?? {}) as Record<string, unknown>;
    for (const [key, expected] of Object.entries(ruleSub)) {
      const actual = conversationSub[key];
      if (expected === SHOULD_NOT_BE_SET) {
        if (isPresent(actual) && actual !== SHOULD_NOT_BE_SET) return false;
      } else if (isPresent(expected) && !sameValue(expected, actual)) {
        return false;
      }
    }
  }
  return true;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

function sameValue(left: unknown, right: unknown): boolean {
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((item, index) => item === right[index]);
  }
  return left === right;
}
