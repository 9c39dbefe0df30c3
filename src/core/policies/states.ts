/**
 * Dialogue states (dialogue-engine §7): what the policies see of a conversation, one state before
 * each `action` event plus the current one. The same builder serves training trackers and live
 * conversations, so what a policy learned and what it is asked can never drift apart.
 */
import type { Domain, SlotDefinition } from '../../shared/domain.js';
import type { Entity } from '../../shared/nlu.js';
import type { TrackerEvent, UserUtteredEvent } from '../../shared/events.js';
import { storedSlotValue } from '../slot-values.js';
import { slotFeatureDimension, slotFeatures } from './slot-features.js';
import { BuiltDialogueState, numberState, stateMemo } from './state-memo.js';
import type { PolicyTracker } from './types.js';

/** How many distinct states one builder shares before its table starts over. */
export const INTERNED_STATES = 10_000;
/** States whose content key is longer than this (long user texts) are not shared. */
export const MAX_INTERNED_KEY_LENGTH = 1_000;

/** Rule data's "must not be set" marker for slots and loops. */
export const SHOULD_NOT_BE_SET = 'should_not_be_set';
export const ACTION_LISTEN = 'action_listen';
/** The rule snippet pseudo-action: "anything may have happened before". */
export const RULE_SNIPPET_ACTION = '...';
export const ACTION_UNLIKELY_INTENT = 'action_unlikely_intent';

export interface UserSubState {
  intent?: string;
  text?: string;
  /** Sorted entity labels (`entity`, `entity#role`, `entity#group`) the intent uses. */
  entities?: string[];
}

export type PrevActionSubState = { action_name: string } | { action_text: string };

export type SlotSubStateValue = number[] | typeof SHOULD_NOT_BE_SET;

/** One dialogue state; absent keys mean "nothing there" (Rasa drops empty sub-states). */
export interface DialogueState {
  user?: UserSubState;
  prev_action?: PrevActionSubState;
  slots?: Record<string, SlotSubStateValue>;
  active_loop?: { name: string };
}

/** Slots and loops that only rules mention; ML policies ignore them (RulePolicy computes them). */
export interface RuleOnlyData {
  slots: string[];
  loops: string[];
}

export interface StateOptions {
  /** Leave out slots no event has set (rule training: only what the rule itself sets counts). */
  omitUnsetSlots?: boolean;
  /**
   * For policies trained on stories only: skip turns predicted by rules that never occur in
   * stories (`hide_rule_turn`), drop rule-only slots and loops, and `action_unlikely_intent`.
   */
  ignoreRuleOnlyTurns?: boolean;
  ruleOnlyData?: RuleOnlyData | null;
  /**
   * Prediction only: featurise the newest user message (when it directly follows
   * `action_listen`) by its intent or by its text. Absent for training data, where text is
   * dropped wherever an intent is known.
   */
  lastUserInput?: 'intent' | 'text';
  /** Build only the newest `tail` states; `total` still counts them all. */
  tail?: number;
}

export interface StateHistory {
  /** Oldest first; the newest `tail` states when a tail was asked for. */
  states: DialogueState[];
  /** How many states the whole history has. */
  total: number;
}

interface UserSnapshot {
  intent: string | null;
  text: string | null;
  entities: readonly Entity[];
  /** `user_featurization`: true = text, false = intent, null = not decided yet. */
  useText: boolean | null;
  /**
   * Sub-states already built from this snapshot, by mode (null: none); states share them, as
   * states are never changed. A changed snapshot is a new object without them.
   */
  subStates?: Partial<Record<'history' | 'intent' | 'text', UserSubState | null>>;
  /** Content keys of {@link subStates} (how StateBuilder finds shared states), by mode. */
  subStateKeys?: Partial<Record<'history' | 'intent' | 'text', string>>;
}

interface FeaturizedSlot {
  definition: SlotDefinition;
  initial: unknown;
}

/** Turns event lists into dialogue states for one domain. */
export class StateBuilder {
  readonly domain: Domain;
  readonly #slots: FeaturizedSlot[];
  readonly #slotIndex: Map<string, number>;
  readonly #usedEntities: Map<string, ReadonlySet<string>>;
  /** Resumable walks per live applied-events list (see {@link buildFor}). */
  readonly #walks = new WeakMap<readonly TrackerEvent[], Map<string, { generation: number; walk: StateWalk }>>();
  readonly #objectIds = new WeakMap<object, number>();
  /** Per walk key: the longest tail asked for, which new walks keep. */
  readonly #longestTails = new Map<string, number>();
  #lastObjectId = 0;
  /** Shared states by content key (see {@link StateBuilder.#remember}). */
  readonly #interned = new Map<string, DialogueState>();

  constructor(domain: Domain) {
    this.domain = domain;
    this.#slots = domain.slots
      .filter((slot) => slotFeatureDimension(slot) > 0)
      .map((definition) => ({
        definition,
        initial: storedSlotValue(definition, structuredClone(definition.initialValue ?? null)),
      }));
    this.#slotIndex = new Map(this.#slots.map((slot, index) => [slot.definition.name, index]));
    this.#usedEntities = new Map(domain.intents.map((intent) => [intent.name, new Set(intent.usedEntities)]));
  }

  /** The slots that appear in states (they influence the conversation), in domain order. */
  get featurizedSlots(): SlotDefinition[] {
    return this.#slots.map((slot) => slot.definition);
  }

  /**
   * The states of an (applied) event list. `total` may pass a count already known from
   * {@link countStates} with the same `ignoreRuleOnlyTurns` setting.
   */
  build(events: readonly TrackerEvent[], options: StateOptions = {}, total?: number): StateHistory {
    const from = options.tail === undefined ? 0 : Math.max(0, (total ?? this.countStates(events, options)) - options.tail);
    const walk = new StateWalk(this, options, from, Infinity);
    for (const event of events) walk.consume(event);
    return walk.finish(options);
  }

  /**
   * The newest `options.tail` states of a live tracker. The walk over its applied events is kept
   * per tracker and resumed with the events appended since, so a prediction costs O(new events)
   * rather than O(conversation); it starts over when the tracker reports its applied events
   * rewritten. Uses the same walk as {@link build}, so the states are identical.
   */
  buildFor(tracker: PolicyTracker, options: StateOptions & { tail: number }): StateHistory {
    const events = tracker.appliedEvents;
    const generation = tracker.appliedEventsGeneration;
    if (generation === undefined) return this.build(events, options);
    let walks = this.#walks.get(events);
    if (!walks) {
      walks = new Map();
      this.#walks.set(events, walks);
    }
    const key = this.#walkKey(options);
    // One walk serves every tail (policies with the same options share their states): it keeps
    // the longest tail asked for so far with these options.
    const keep = Math.max(this.#longestTails.get(key) ?? 0, options.tail);
    this.#longestTails.set(key, keep);
    let entry = walks.get(key);
    if (!entry || entry.generation !== generation || entry.walk.consumed > events.length || entry.walk.keep < options.tail) {
      entry = { generation, walk: new StateWalk(this, options, 0, keep) };
      walks.set(key, entry);
    }
    const { walk } = entry;
    for (let index = walk.consumed; index < events.length; index++) walk.consume(events[index]);
    return walk.finishTail(options, options.tail);
  }

  /** What a walk depends on (`lastUserInput` and `tail` only touch the result, so they are left out). */
  #walkKey(options: StateOptions): string {
    const ruleOnly = options.ignoreRuleOnlyTurns && options.ruleOnlyData ? this.#objectId(options.ruleOnlyData) : 0;
    return `${options.omitUnsetSlots === true ? 1 : 0}|${options.ignoreRuleOnlyTurns === true ? 1 : 0}|${ruleOnly}`;
  }

  #objectId(value: object): number {
    let id = this.#objectIds.get(value);
    if (id === undefined) {
      id = ++this.#lastObjectId;
      this.#objectIds.set(value, id);
    }
    return id;
  }

  /** How many states `build` would produce; only `ignoreRuleOnlyTurns` changes the count. */
  countStates(events: readonly TrackerEvent[], options: Pick<StateOptions, 'ignoreRuleOnlyTurns'> = {}): number {
    if (options.ignoreRuleOnlyTurns) {
      const walk = new StateWalk(this, options, null, 0);
      for (const event of events) walk.consume(event);
      return walk.finish(options).total;
    }
    let actions = 0;
    for (const event of events) if (event.event === 'action') actions++;
    return actions + 1;
  }

  /** @internal A fresh replay of this domain's featurised slots. */
  newReplay(): StateReplay {
    return new StateReplay(this.#slots, this.#slotIndex);
  }

  /** @internal The state for the replay's current position. */
  stateAt(replay: StateReplay, user: UserSnapshot | null, prevAction: PrevActionSubState | null, options: StateOptions): DialogueState {
    return this.#state(replay, user, prevAction, options);
  }

  #state(
    replay: StateReplay,
    user: UserSnapshot | null,
    prevAction: PrevActionSubState | null,
    options: StateOptions,
  ): DialogueState {
    const userState = user ? this.#userSubState(user, 'history') : undefined;
    const slots = this.#slotSubState(replay, options);
    const ruleOnly = options.ignoreRuleOnlyTurns ? options.ruleOnlyData : null;
    const loop = replay.loop && !(ruleOnly && ruleOnly.loops.includes(replay.loop)) ? replay.loop : null;
    const rest = restKey(prevAction, slots, loop);
    const key = userState ? `${rest}\u0003${this.#userKey(user!, 'history')}` : rest;
    const known = this.#interned.get(key);
    if (known) return known;
    const state = new BuiltDialogueState() as DialogueState;
    if (userState) state.user = userState;
    if (prevAction) state.prev_action = { ...prevAction };
    if (slots) state.slots = slots;
    if (loop) state.active_loop = { name: loop };
    return this.#remember(key, state, rest);
  }

  /**
   * `state` with the newest message featurised by `mode` instead (prediction's `lastUserInput`):
   * the shared state with that content (see {@link #remember}).
   * @internal
   */
  withNewestUser(state: DialogueState, user: UserSnapshot, mode: 'intent' | 'text'): DialogueState {
    const rest = stateMemo(state)?.contentRest ?? restKey(state.prev_action ?? null, state.slots, state.active_loop?.name ?? null);
    const userState = this.#userSubState(user, mode);
    const key = userState ? `${rest}\u0003${this.#userKey(user, mode)}` : rest;
    const known = this.#interned.get(key);
    if (known) return known;
    // Kept states are shared: change a copy.
    const copy = Object.assign(new BuiltDialogueState() as DialogueState, state);
    if (userState) copy.user = userState;
    else delete copy.user;
    return this.#remember(key, copy, rest);
  }

  /**
   * Conversations keep reaching the same few states, so one object stands for each content
   * (states are never changed once built), and with it what was derived from it once: its key
   * text and feature columns (state-memo.ts). That spares serialising and featurising a new copy
   * for every prediction of every conversation, and the garbage it makes. The table is bounded:
   * when full it starts over; states built before stay valid, merely unshared.
   */
  #remember(key: string, state: DialogueState, rest: string): DialogueState {
    const memo = stateMemo(state);
    if (memo) memo.contentRest = rest;
    // Long keys come from long user texts, which rarely repeat: shared, they would only hold
    // their text in memory (a client could fill the table with megabyte messages).
    if (key.length <= MAX_INTERNED_KEY_LENGTH) {
      if (this.#interned.size >= INTERNED_STATES) this.#interned.clear();
      this.#interned.set(key, state);
      // Only shared states get ids: windows holding an unshared one are not remembered by policies.
      if (memo) numberState(memo);
    }
    return state;
  }

  /** How many states are shared now (for tests). */
  get internedStates(): number {
    return this.#interned.size;
  }

  /** The content key of the snapshot's user sub-state in `mode` (texts length-prefixed, so no text can imitate another part). */
  #userKey(user: UserSnapshot, mode: 'history' | 'intent' | 'text'): string {
    const keys = (user.subStateKeys ??= {});
    let key = keys[mode];
    if (key === undefined) {
      const sub = this.#userSubState(user, mode);
      key = sub
        ? `${sub.intent === undefined ? '' : `i${sub.intent.length}:${sub.intent}`}|${sub.entities === undefined ? '' : `e${sub.entities.length}:${sub.entities.map((label) => `${label.length}:${label}`).join('')}`}|${sub.text === undefined ? '' : `t${sub.text.length}:${sub.text}`}`
        : '';
      keys[mode] = key;
    }
    return key;
  }

  /**
   * Rasa's `UserUttered.as_sub_state()` followed by its featurizers' clean-up: a message is
   * featurised by its text (nothing else) or by intent and entities. `history`: text is dropped
   * wherever an intent is known; `intent` / `text`: the newest message, by intent or by text.
   */
  #userSubState(user: UserSnapshot, mode: 'history' | 'intent' | 'text'): UserSubState | undefined {
    const known = (user.subStates ??= {});
    let sub = known[mode];
    if (sub === undefined) {
      sub = this.#buildUserSubState(user, mode) ?? null;
      known[mode] = sub;
    }
    return sub ?? undefined;
  }

  #buildUserSubState(user: UserSnapshot, mode: 'history' | 'intent' | 'text'): UserSubState | undefined {
    const useText = mode === 'text' ? true : user.useText;
    const byIntent = user.intent && useText !== true;
    if (user.entities.length === 0) {
      // Most messages: no entities, so no labels to collect.
      if (byIntent) return { intent: user.intent! };
      return user.text && useText !== false && mode !== 'intent' ? { text: user.text } : undefined;
    }
    const sub: UserSubState = {};
    if (user.text && useText !== false) sub.text = user.text;
    if (byIntent) sub.intent = user.intent!;
    if (useText !== true && user.entities.length > 0) {
      const labels = new Set<string>();
      for (const entity of user.entities) {
        if (typeof entity.entity !== 'string') continue;
        labels.add(entity.entity);
        if (entity.role !== undefined && entity.role !== null) labels.add(`${entity.entity}#${entity.role}`);
        if (entity.group !== undefined && entity.group !== null) labels.add(`${entity.entity}#${entity.group}`);
      }
      const used = user.intent === null ? undefined : this.#usedEntities.get(user.intent);
      const featurized = [...labels].filter((label) => used === undefined || used.has(label)).sort();
      if (featurized.length > 0) sub.entities = featurized;
    }
    if (mode === 'intent' || sub.intent !== undefined) delete sub.text;
    return Object.keys(sub).length > 0 ? sub : undefined;
  }

  #slotSubState(replay: StateReplay, options: StateOptions): Record<string, SlotSubStateValue> | undefined {
    const ruleOnly = options.ignoreRuleOnlyTurns ? options.ruleOnlyData : null;
    let result: Record<string, SlotSubStateValue> | undefined;
    this.#slots.forEach((slot, index) => {
      const name = slot.definition.name;
      if (options.omitUnsetSlots && !replay.slotHasBeenSet[index]) return;
      if (ruleOnly && ruleOnly.slots.includes(name)) return;
      const value = replay.slotValues[index];
      if (value === SHOULD_NOT_BE_SET) {
        result ??= {};
        result[name] = SHOULD_NOT_BE_SET;
        return;
      }
      const features = slotFeatures(slot.definition, value);
      if (features.some((feature) => feature !== 0)) {
        result ??= {};
        result[name] = features;
      }
    });
    return result;
  }
}

/** The content key of a state's parts other than the user's (texts and names length-prefixed). */
function restKey(prevAction: PrevActionSubState | null, slots: Record<string, SlotSubStateValue> | undefined, loop: string | null): string {
  let key = '';
  if (prevAction) key += 'action_name' in prevAction ? `a${prevAction.action_name.length}:${prevAction.action_name}` : `x${prevAction.action_text.length}:${prevAction.action_text}`;
  if (slots) {
    key += 's';
    for (const name in slots) {
      const value = slots[name];
      key += `${name.length}:${name}=${value === SHOULD_NOT_BE_SET ? '!' : value.join(',')};`;
    }
  }
  if (loop) key += `l${loop.length}:${loop}`;
  return key;
}

/** The previous action's name (null for none or an end-to-end bot text). */
export function prevActionName(action: PrevActionSubState | null | undefined): string | null {
  if (!action) return null;
  return 'action_name' in action ? action.action_name : null;
}

/** The name of the state's active loop, ignoring the rule marker `should_not_be_set`. */
export function activeLoopOfState(state: DialogueState | undefined): string | null {
  const name = state?.active_loop?.name;
  return name && name !== SHOULD_NOT_BE_SET ? name : null;
}

/** Where a walk stands between states; copied to compute the current (unfinished) state. */
interface WalkPosition {
  count: number;
  turnWasHidden: boolean;
  lastMlAction: PrevActionSubState | null;
  carriedUser: UserSnapshot | null;
}

interface WalkedState {
  state: DialogueState;
  user: UserSnapshot | null;
}

/**
 * One pass over applied events producing a state before each `action` event; the current
 * state is added by {@link finish} without ending the walk, so more events can follow.
 */
class StateWalk {
  /** Events consumed so far. */
  consumed = 0;
  readonly #builder: StateBuilder;
  readonly #options: StateOptions;
  readonly #replay: StateReplay;
  readonly #position: WalkPosition = { count: 0, turnWasHidden: false, lastMlAction: null, carriedUser: null };
  /** States numbered `from` and later are materialised (none for null); the newest `keep` are kept. */
  readonly #from: number | null;
  readonly keep: number;
  readonly #recent: WalkedState[] = [];
  /** {@link finish} results by `lastUserInput`, valid while no event is consumed. */
  readonly #finished = new Map<string, StateHistory>();
  #finishedAt = -1;

  constructor(builder: StateBuilder, options: StateOptions, from: number | null, keep: number) {
    this.#builder = builder;
    this.#options = options;
    this.#replay = builder.newReplay();
    this.#from = from;
    this.keep = keep;
  }

  consume(event: TrackerEvent): void {
    if (event.event === 'action') {
      const walked = this.#visit(this.#position, event.hide_rule_turn === true);
      if (walked) {
        this.#recent.push(walked);
        if (this.#recent.length > this.keep) this.#recent.shift();
      }
    }
    this.#replay.apply(event);
    this.consumed++;
  }

  /**
   * The newest `tail` states of {@link finish}, which is computed once per position of the walk
   * and `lastUserInput` (states are shared, never changed).
   */
  finishTail(options: StateOptions, tail: number): StateHistory {
    if (this.#finishedAt !== this.consumed) {
      this.#finished.clear();
      this.#finishedAt = this.consumed;
    }
    const mode = options.lastUserInput ?? '';
    let full = this.#finished.get(mode);
    if (!full) {
      full = this.finish(options);
      this.#finished.set(mode, full);
    }
    const states = tail <= 0 ? [] : full.states.slice(-tail);
    return { states, total: full.total };
  }

  /** The states so far plus the current one; `lastUserInput` comes from `options`. */
  finish(options: StateOptions): StateHistory {
    const position = { ...this.#position };
    const current = this.#visit(position, false);
    const walked = current ? [...this.#recent, current] : [...this.#recent];
    if (walked.length > this.keep) walked.shift();
    const states = walked.map((entry) => entry.state);
    const newest = walked[walked.length - 1];
    if (options.lastUserInput && newest && newest.user && prevActionName(newest.state.prev_action) === ACTION_LISTEN) {
      states[states.length - 1] = this.#builder.withNewestUser(newest.state, newest.user, options.lastUserInput);
    }
    return { states, total: position.count };
  }

  #visit(position: WalkPosition, hideRuleTurn: boolean): WalkedState | null {
    const replay = this.#replay;
    let user = replay.user;
    let prevAction = replay.latestAction;
    if (this.#options.ignoreRuleOnlyTurns === true) {
      if (!position.turnWasHidden) position.lastMlAction = replay.latestAction;
      // Followups and the loop's own happy path keep whatever the previous turn decided.
      if (replay.followup === null && replay.latestActionName() !== replay.activeLoopName()) {
        position.turnWasHidden = hideRuleTurn;
      }
      if (position.turnWasHidden) return null;
      if (prevActionName(replay.latestAction) === ACTION_UNLIKELY_INTENT) return null;
      // After a hidden rule turn the state shows the last user input and action ML policies saw.
      if (position.count > 0 && prevActionName(replay.latestAction) !== ACTION_LISTEN) user = position.carriedUser;
      position.carriedUser = user;
      if (position.lastMlAction) prevAction = position.lastMlAction;
    }
    const index = position.count++;
    if (this.#from === null || index < this.#from) return null;
    return { state: this.#builder.stateAt(replay, user, prevAction, this.#options), user };
  }
}

/**
 * The part of a tracker's state that dialogue states depend on, advanced event by event
 * (mirrors how Rasa's events change a tracker, restricted to featurised fields).
 */
class StateReplay {
  readonly slotValues: unknown[];
  readonly slotHasBeenSet: boolean[];
  user: UserSnapshot | null = null;
  latestAction: PrevActionSubState | null = null;
  loop: string | null = null;
  followup: string | null = ACTION_LISTEN;
  readonly #slots: FeaturizedSlot[];
  readonly #slotIndex: ReadonlyMap<string, number>;

  constructor(slots: FeaturizedSlot[], slotIndex: ReadonlyMap<string, number>) {
    this.#slots = slots;
    this.#slotIndex = slotIndex;
    this.slotValues = slots.map((slot) => slot.initial);
    this.slotHasBeenSet = slots.map(() => false);
  }

  /** Rasa's `latest_action_name`: the action's name, or its text for end-to-end bot actions. */
  latestActionName(): string | null {
    if (!this.latestAction) return null;
    return 'action_name' in this.latestAction ? this.latestAction.action_name : this.latestAction.action_text;
  }

  activeLoopName(): string | null {
    return this.loop && this.loop !== SHOULD_NOT_BE_SET ? this.loop : null;
  }

  apply(event: TrackerEvent): void {
    switch (event.event) {
      case 'user':
        this.user = snapshotOf(event);
        this.followup = null;
        return;
      case 'user_featurization':
        if (this.user && this.latestActionName() === ACTION_LISTEN) {
          this.user = { ...this.user, useText: event.use_text_for_featurization, subStates: undefined, subStateKeys: undefined };
        }
        return;
      case 'entities':
        if (this.user && this.latestActionName() === ACTION_LISTEN) {
          const added = event.entities.filter(
            (entity) => !this.user?.entities.some((present) => sameEntity(present, entity)),
          );
          if (added.length > 0) this.user = { ...this.user, entities: [...this.user.entities, ...added], subStates: undefined, subStateKeys: undefined };
        }
        return;
      case 'action':
        if (event.name !== null) this.latestAction = { action_name: event.name };
        else if (event.action_text) this.latestAction = { action_text: event.action_text };
        else this.latestAction = null;
        this.followup = null;
        return;
      case 'slot': {
        const index = this.#slotIndex.get(event.name);
        if (index === undefined) return;
        this.slotValues[index] = storedSlotValue(this.#slots[index].definition, event.value);
        this.slotHasBeenSet[index] = true;
        return;
      }
      case 'reset_slots':
        this.#resetSlots();
        return;
      case 'active_loop':
        this.loop = event.name;
        return;
      case 'followup':
        this.followup = event.name;
        return;
      case 'restart':
        this.#reset();
        this.followup = 'action_session_start';
        return;
      case 'session_started':
        this.#reset();
        return;
      default:
        return;
    }
  }

  #resetSlots(): void {
    this.#slots.forEach((slot, index) => {
      this.slotValues[index] = slot.initial;
      this.slotHasBeenSet[index] = false;
    });
  }

  #reset(): void {
    this.#resetSlots();
    this.user = null;
    this.latestAction = null;
    this.loop = null;
    this.followup = ACTION_LISTEN;
  }
}

function snapshotOf(event: UserUtteredEvent): UserSnapshot | null {
  const intent = event.parse_data?.intent?.name ?? null;
  const text = event.text ?? null;
  const entities = event.parse_data?.entities ?? [];
  // Rasa's `UserUttered.is_empty()`: nothing said, nothing understood.
  if (!text && !intent && entities.length === 0) return null;
  return { intent, text, entities, useText: null };
}

function sameEntity(left: Entity, right: Entity): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
