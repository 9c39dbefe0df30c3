/** Predictions that do not come from the policies, and the scores `/predict` reports. */
import type { Domain } from '../shared/domain.js';
import { indexDomain } from './domain-index.js';
import type { ActionPrediction } from './policies/types.js';

/** Policy name Rasa records for a forced followup action. */
export const FOLLOWUP_POLICY = 'followup_action';

/** A prediction of `actionName` made outside the policies (session starts, followups, `/execute`). */
export function predictionFor(
  domain: Domain,
  actionName: string,
  policyName: string | null = null,
  confidence = 1,
): ActionPrediction {
  return {
    actionName,
    actionIndex: indexDomain(domain).actionIndex.get(actionName) ?? -1,
    confidence,
    policyName,
    events: [],
    hideRuleTurn: false,
    isEndToEndPrediction: false,
  };
}

export interface ActionScore {
  action: string;
  score: number;
}

/**
 * Every domain action with its score, highest first (ties by name). Uses the winning policy's
 * vector when the prediction carries one (`probabilities`), otherwise the chosen action's confidence.
 */
export function actionScores(domain: Domain, prediction: ActionPrediction): ActionScore[] {
  const probabilities = (prediction as ActionPrediction & { probabilities?: ArrayLike<number> }).probabilities;
  const scores = domain.actionNames.map((action, index) => ({
    action,
    score: probabilities ? Number(probabilities[index] ?? 0) : index === prediction.actionIndex ? prediction.confidence : 0,
  }));
  return scores.sort((a, b) => b.score - a.score || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}
