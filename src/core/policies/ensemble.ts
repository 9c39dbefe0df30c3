/**
 * The policy ensemble (Rasa's `DefaultPolicyPredictionEnsemble`, dialogue-engine §8.1): every
 * policy predicts, a just-rejected action is zeroed everywhere, no-user and end-to-end
 * predictions take precedence, and the best `(confidence, priority)` wins.
 */
import type { Domain } from '../../shared/domain.js';
import { now, type TrackerEvent } from '../../shared/events.js';
import { PredictionContext, argmax, maxScore, type TrainedPolicy } from './policy.js';
import { latestActionName } from './rule-policy.js';
import { ACTION_LISTEN, StateBuilder } from './states.js';
import type { ActionPrediction, DialoguePolicies, PolicyPrediction, PolicyTracker } from './types.js';

/** Trained policies ready to predict: what `loadPolicies` returns. */
export class PolicyEnsemble implements DialoguePolicies {
  readonly domain: Domain;
  readonly policies: readonly TrainedPolicy[];
  readonly #builder: StateBuilder;

  constructor(domain: Domain, policies: readonly TrainedPolicy[], builder = new StateBuilder(domain)) {
    this.domain = domain;
    this.policies = policies;
    this.#builder = builder;
  }

  predict(tracker: PolicyTracker): ActionPrediction {
    const context = new PredictionContext(tracker, this.#builder);
    return combinePredictions(
      this.policies.map((policy) => policy.predictInContext(context)),
      tracker,
      this.domain,
    );
  }
}

/** Combines policy predictions into the action to run next. */
export function combinePredictions(
  predictions: readonly PolicyPrediction[],
  tracker: PolicyTracker,
  domain: Domain,
): ActionPrediction {
  const adjusted = withoutRejectedAction(predictions, tracker, domain);
  const noUser = adjusted.some((candidate) => candidate.isNoUserPrediction);
  const endToEnd = adjusted.some((candidate) => candidate.isEndToEndPrediction);
  const events: TrackerEvent[] = [];
  let winner: PolicyPrediction | undefined;
  let best = { confidence: -1, priority: -Infinity };
  for (const candidate of adjusted) {
    events.push(...candidate.events);
    // Loop happy paths overrule everything; then predictions from the user's text overrule intents.
    if (candidate.isNoUserPrediction !== noUser) continue;
    if (!noUser && candidate.isEndToEndPrediction !== endToEnd) continue;
    const confidence = maxScore(candidate.probabilities);
    if (confidence > best.confidence || (confidence === best.confidence && candidate.priority > best.priority)) {
      best = { confidence, priority: candidate.priority };
      winner = candidate;
    }
  }
  if (winner) events.push(...winner.optionalEvents);
  if (latestActionName(tracker.appliedEvents) === ACTION_LISTEN) {
    events.push({
      event: 'user_featurization',
      timestamp: now(),
      use_text_for_featurization: winner?.isEndToEndPrediction ?? false,
    });
  }
  const scores = winner?.probabilities ?? new Float64Array(domain.actionNames.length);
  const actionIndex = argmax(scores);
  const result: ActionPrediction = {
    actionName: domain.actionNames[actionIndex] ?? ACTION_LISTEN,
    actionIndex,
    confidence: scores[actionIndex] ?? 0,
    policyName: winner?.policyName ?? null,
    events,
    hideRuleTurn: winner?.hideRuleTurn ?? false,
    isEndToEndPrediction: winner?.isEndToEndPrediction ?? false,
  };
  if (winner?.actionMetadata !== undefined) result.actionMetadata = winner.actionMetadata;
  return result;
}

/** If the newest action event is a rejection, nobody may predict that action again right away. */
function withoutRejectedAction(
  predictions: readonly PolicyPrediction[],
  tracker: PolicyTracker,
  domain: Domain,
): PolicyPrediction[] {
  const rejected = lastRejectedAction(tracker.appliedEvents);
  const index = rejected === null ? -1 : domain.actionNames.indexOf(rejected);
  if (index < 0) return [...predictions];
  return predictions.map((candidate) => {
    if (candidate.probabilities[index] === 0) return candidate;
    const probabilities = Float64Array.from(candidate.probabilities);
    probabilities[index] = 0;
    return { ...candidate, probabilities };
  });
}

function lastRejectedAction(events: readonly TrackerEvent[]): string | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.event === 'action_execution_rejected') return event.name;
    if (event.event === 'action') return null;
  }
  return null;
}
