/**
 * The one place that knows every policy: how each configured name is trained, and how each
 * stored model is loaded. Replacing a policy's model means adding an entry here.
 */
import { ParleyError } from '../../errors.js';
import { MemoizationPolicy, trainMemoization } from './memoization-policy.js';
import type { PolicyData } from './model-data.js';
import type { PolicyOptions } from './policy-config.js';
import type { TrainedPolicy } from './policy.js';
import { RulePolicy } from './rule-policy.js';
import { trainRulePolicy } from './rule-training.js';
import type { RuleOnlyData, StateBuilder } from './states.js';
import { TedPolicy, trainTed } from './ted-policy.js';
import type { TrainingSet } from './training-set.js';

export interface PolicyTrainingResult {
  data: PolicyData;
  /** RulePolicy reports which slots and loops only rules use. */
  ruleOnlyData?: RuleOnlyData | null;
}

/** Progress within one policy's training, 0…1. */
export type PolicyProgress = (fraction: number, message: string) => void;

type Trainer = (options: PolicyOptions, data: TrainingSet, progress: PolicyProgress) => PolicyTrainingResult;

const TRAINERS: Readonly<Record<string, Trainer>> = {
  RulePolicy: (options, data) => {
    const { policy, ruleOnlyData } = trainRulePolicy(options, data);
    return { data: policy.toData(), ruleOnlyData };
  },
  MemoizationPolicy: (options, data) => ({ data: trainMemoization('MemoizationPolicy', options, data) }),
  AugmentedMemoizationPolicy: (options, data) => ({ data: trainMemoization('AugmentedMemoizationPolicy', options, data) }),
  TEDPolicy: (options, data, progress) => ({
    data: trainTed(options, data, {
      onIteration: (iteration, max) => progress(iteration / max, `TEDPolicy: iteration ${iteration}`),
    }),
  }),
};

/** The trainer of a configured policy name. */
export function policyTrainer(name: string): Trainer {
  const trainer = TRAINERS[name];
  if (!trainer) throw new ParleyError('PARLEY_ERR_POLICY_UNSUPPORTED', `Parley cannot train the policy '${name}'.`);
  return trainer;
}

/** Rebuilds a trained policy from its stored data. */
export function loadPolicy(data: PolicyData, builder: StateBuilder, ruleOnlyData: RuleOnlyData | null): TrainedPolicy {
  switch (data.type) {
    case 'RulePolicy':
      return RulePolicy.fromData(data, builder);
    case 'MemoizationPolicy':
    case 'AugmentedMemoizationPolicy':
      return new MemoizationPolicy(data, builder, ruleOnlyData);
    case 'TEDPolicy':
      if (data.model !== 'softmax-regression') break;
      return new TedPolicy(data, builder, ruleOnlyData);
    default:
      break;
  }
  throw new ParleyError(
    'PARLEY_ERR_MODEL_INVALID',
    `The dialogue model contains a policy this version of Parley cannot load (${JSON.stringify((data as { type?: unknown }).type)}). Train the model again.`,
  );
}
