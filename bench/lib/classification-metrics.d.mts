/** Types of classification-metrics.mjs (for the tests, which are TypeScript). */
export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
export interface IntentScores {
  accuracy: number;
  correct: number;
  total: number;
  macroF1: number;
  weightedF1: number;
  perLabel: Record<string, LabelScores>;
}
export interface EntitySpan {
  entity: string;
  start: number;
  end: number;
}
export function intentScores(pairs: Array<{ expected: string; predicted: string }>): IntentScores;
export function entityScores(examples: Array<{ gold: EntitySpan[]; found: EntitySpan[] }>): { precision: number; recall: number; f1: number };
