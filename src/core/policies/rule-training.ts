/** Trains RulePolicy: checks the rules, memorises them, and finds the rule turns stories never use. */
import { ParleyError } from '../../errors.js';
import type { PolicyOptions } from './policy-config.js';
import { analyzeRules, checkIncompleteRules, checkRuleRestriction } from './rule-checks.js';
import { loopUnhappyLookup, ruleLookup, ruleOnlyData } from './rule-lookups.js';
import { RulePolicy, type RulePolicyOptions } from './rule-policy.js';
import type { RuleOnlyData } from './states.js';
import type { TrainingSet } from './training-set.js';

export interface TrainedRulePolicy {
  policy: RulePolicy;
  /** Null when `check_for_contradictions` is off (Rasa computes it only then). */
  ruleOnlyData: RuleOnlyData | null;
}

/**
 * Trains RulePolicy with its Rasa options. Throws `PARLEY_ERR_INVALID_RULE` (rule problems) or
 * `PARLEY_ERR_DOMAIN_INVALID` (fallback action missing from the domain).
 */
export function trainRulePolicy(options: PolicyOptions, data: TrainingSet): TrainedRulePolicy {
  const domain = data.builder.domain;
  const settings: RulePolicyOptions = {
    priority: options.priority(),
    coreFallbackThreshold: options.number('core_fallback_threshold', 0.3, { min: 0, max: 1 }),
    coreFallbackActionName: options.string('core_fallback_action_name', 'action_default_fallback'),
    enableFallbackPrediction: options.boolean('enable_fallback_prediction', true),
    useNluConfidenceAsScore: options.boolean('use_nlu_confidence_as_score', false),
  };
  const restrictRules = options.boolean('restrict_rules', true);
  const checkForContradictions = options.boolean('check_for_contradictions', true);

  if (!domain.actionNames.includes(settings.coreFallbackActionName)) {
    throw new ParleyError(
      'PARLEY_ERR_DOMAIN_INVALID',
      `The fallback action '${settings.coreFallbackActionName}' which was configured for the RulePolicy must be present in the domain. Add it under 'actions:' in your domain, or change 'core_fallback_action_name' in config.yml.`,
    );
  }
  if (restrictRules) checkRuleRestriction(data.ruleTrackers);
  if (checkForContradictions) checkIncompleteRules(data.ruleTrackers, data.builder);

  const ruleExamples = data.ruleExamples();
  const storyExamples = data.storyExamples();
  const policy = new RulePolicy(
    settings,
    {
      rules: ruleLookup(ruleExamples),
      loopUnhappyRules: loopUnhappyLookup([...ruleExamples, ...storyExamples]),
      rulesNotInStories: [],
    },
    data.builder,
  );
  if (!checkForContradictions) return { policy, ruleOnlyData: null };
  const onlyInRules = ruleOnlyData(ruleExamples, storyExamples);
  policy.rulesNotInStories = new Set(analyzeRules(policy, data.ruleTrackers, data.storyTrackers, data.builder));
  return { policy, ruleOnlyData: onlyInRules };
}
