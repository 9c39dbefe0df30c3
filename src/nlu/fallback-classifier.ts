/**
 * FallbackClassifier: replaces a low-confidence or ambiguous intent by `nlu_fallback` with the
 * threshold as its confidence, keeping the original ranking after it.
 */
import type { IntentPrediction } from '../shared/nlu.js';
import type { ComponentDefinition } from './component.js';
import { numberOption } from './component.js';
import type { NluMessage } from './message.js';

export const NLU_FALLBACK_INTENT = 'nlu_fallback';

export interface FallbackSettings {
  threshold: number;
  ambiguityThreshold: number;
}

/** Whether the prediction is too unsure: below the threshold or top two closer than allowed. */
export function shouldFallback(intent: IntentPrediction | null, ranking: readonly IntentPrediction[], settings: FallbackSettings): boolean {
  const confidence = intent?.confidence ?? 0;
  if (confidence < settings.threshold) return true;
  if (ranking.length >= 2) {
    return ranking[0].confidence - ranking[1].confidence < settings.ambiguityThreshold;
  }
  return false;
}

export function applyFallback(message: NluMessage, settings: FallbackSettings): void {
  const ranking = message.intentRanking ?? [];
  if (!shouldFallback(message.intent, ranking, settings)) return;
  message.intent = { name: NLU_FALLBACK_INTENT, confidence: settings.threshold };
  message.intentRanking = [{ name: NLU_FALLBACK_INTENT, confidence: settings.threshold }, ...ranking];
}

export const fallbackClassifier: ComponentDefinition<null> = {
  name: 'FallbackClassifier',
  kind: 'post-processor',
  defaults: { threshold: 0.3, ambiguity_threshold: 0.1 },
  train: () => null,
  load(_data, context) {
    const settings = {
      threshold: numberOption(context.options, 'threshold', 0.3),
      ambiguityThreshold: numberOption(context.options, 'ambiguity_threshold', 0.1),
    };
    return { process: (message: NluMessage) => applyFallback(message, settings) };
  },
};
