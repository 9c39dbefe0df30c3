/**
 * The contract between the conversation runtime and the dialogue policies.
 * The runtime owns the tracker; policies only see this read-only view of it.
 */
import type { Domain } from '../../shared/domain.js';
import type { TrackerEvent } from '../../shared/events.js';
import type { ParseResult } from '../../shared/nlu.js';

/** The active loop (form) as the tracker holds it. */
export interface ActiveLoopState {
  name: string;
  is_interrupted: boolean;
  rejected: boolean;
  trigger_message: ParseResult | null;
}

/** What a policy may read of a conversation. */
export interface PolicyTracker {
  readonly senderId: string;
  /**
   * The applied events of the current session (Rasa's `applied_events()`): restarts and session
   * starts cut the list, rewinds/undos are resolved, form happy paths are collapsed.
   */
  readonly appliedEvents: readonly TrackerEvent[];
  /**
   * Changes whenever `appliedEvents` is rewritten rather than appended to (restart, session
   * start, rewind, undo, form collapse). With it, dialogue states are built incrementally per
   * tracker; without it they are rebuilt from all applied events on every prediction.
   */
  readonly appliedEventsGeneration?: number;
  readonly slots: Readonly<Record<string, unknown>>;
  readonly latestMessage: ParseResult | null;
  /** Name of the latest executed action (null before any). */
  readonly latestActionName: string | null;
  readonly activeLoop: ActiveLoopState | null;
}

/** One policy's opinion about the next action. */
export interface PolicyPrediction {
  /** One score per `domain.actionNames` entry (not necessarily summing to 1). */
  probabilities: Float64Array;
  /** Class name as Rasa reports it in `action.policy` (e.g. `RulePolicy`). */
  policyName: string;
  priority: number;
  /** Events added whatever policy wins (e.g. `loop_interrupted`). */
  events: TrackerEvent[];
  /** Events added only when this policy wins (e.g. predicted `entities`). */
  optionalEvents: TrackerEvent[];
  isEndToEndPrediction: boolean;
  /** A loop happy-path prediction that did not depend on the user message. */
  isNoUserPrediction: boolean;
  hideRuleTurn: boolean;
  /** Optional metadata logged on the `action` event. */
  actionMetadata?: Record<string, unknown>;
}

export interface Policy {
  readonly name: string;
  readonly priority: number;
  predict(tracker: PolicyTracker): PolicyPrediction;
}

/** The ensemble's choice (Rasa's `PolicyPrediction` after `DefaultPolicyPredictionEnsemble`). */
export interface ActionPrediction {
  actionName: string;
  /** Index into `domain.actionNames`. */
  actionIndex: number;
  confidence: number;
  /** Winning policy name, or null (e.g. for forced followups). */
  policyName: string | null;
  /** Events to log before the `action` event (mandatory of all + optional of the winner + user_featurization). */
  events: TrackerEvent[];
  hideRuleTurn: boolean;
  isEndToEndPrediction: boolean;
  actionMetadata?: Record<string, unknown>;
}

/** A trained set of policies, ready to predict. */
export interface DialoguePolicies {
  readonly domain: Domain;
  readonly policies: readonly Policy[];
  predict(tracker: PolicyTracker): ActionPrediction;
}
