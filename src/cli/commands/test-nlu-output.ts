/** What `parley test nlu` prints: Rasa's headline scores per part, and the cross-validation table. */
import type { CrossValidationResult } from '../../evaluation/nlu-cross-validation.js';
import { foldRows } from '../../evaluation/nlu-cross-validation.js';
import type { NluEvaluations } from '../../evaluation/nlu-report-files.js';
import type { CliOutput } from '../output.js';

export function printNluEvaluations(evaluations: NluEvaluations, output: CliOutput): void {
  const scores = (what: string, evaluation: { f1_score: number; precision: number; accuracy: number }): void => {
    output.info(`${what}:`);
    output.info(`\tF1-Score:  ${evaluation.f1_score.toFixed(3)}`);
    output.info(`\tPrecision: ${evaluation.precision.toFixed(3)}`);
    output.info(`\tAccuracy:  ${evaluation.accuracy.toFixed(3)}`);
  };
  if (evaluations.intents) scores(`Intent evaluation results (${evaluations.intents.predictions.length} examples)`, evaluations.intents);
  for (const [extractor, evaluation] of Object.entries(evaluations.entities)) {
    if (Object.keys(evaluation.report).length === 0) {
      output.info(`Entity evaluation results for ${extractor}: no entity is annotated in the test data or found by the extractor; nothing to score.`);
    } else {
      scores(`Entity evaluation results for ${extractor}`, evaluation);
    }
  }
  if (evaluations.responses) scores(`Response selection evaluation results (${evaluations.responses.predictions.length} examples)`, evaluations.responses);
  if (!evaluations.intents && Object.keys(evaluations.entities).length === 0 && !evaluations.responses) {
    output.warn('Nothing was scored: intents need at least two intents in the test data, entities an entity extractor, responses a ResponseSelector and two response keys.');
  }
}

/** Rasa's `CV evaluation (n=5)` block: `test F1-score: 0.912 (0.021)` per part, set and metric. */
export function printCrossValidation(result: CrossValidationResult, output: CliOutput): void {
  output.info(`CV evaluation (n=${result.folds})`);
  let part = '';
  for (const row of foldRows(result)) {
    if (row.part !== part) {
      part = row.part;
      output.info(part === 'intents' ? 'Intent evaluation results' : part === 'response selection' ? 'Response selection evaluation results' : `Entity evaluation results: ${part}`);
    }
    output.info(`\t${row.set} ${row.metric}: ${row.mean.toFixed(3)} (${row.std.toFixed(3)})`);
  }
}
