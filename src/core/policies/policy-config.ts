/**
 * The `policies:` section of config.yml: Rasa's defaults when it is empty, and clear errors for
 * names Parley cannot run (custom Python classes, policies removed in Rasa 3).
 */
import type { Logger } from '../../logger.js';
import type { ComponentConfig } from '../../shared/project.js';
import { ParleyError } from '../../errors.js';

/** Rasa 3.6's code priorities (the docs say 6 for RulePolicy; the order is the same). */
export const POLICY_PRIORITIES: Readonly<Record<string, number>> = {
  RulePolicy: 4,
  MemoizationPolicy: 3,
  AugmentedMemoizationPolicy: 3,
  UnexpecTEDIntentPolicy: 2,
  TEDPolicy: 1,
};

/** What Rasa 3.6 trains when `policies:` is missing or empty (project-format §2.3). */
export const DEFAULT_POLICIES: readonly ComponentConfig[] = [
  { name: 'MemoizationPolicy' },
  { name: 'RulePolicy' },
  { name: 'UnexpecTEDIntentPolicy', max_history: 5, epochs: 100 },
  { name: 'TEDPolicy', max_history: 5, epochs: 100, constrain_similarities: true },
];

/** Accepted, logged once, not run: the ensemble then behaves like Rasa without `action_unlikely_intent`. */
export const SKIPPED_POLICIES: ReadonlySet<string> = new Set(['UnexpecTEDIntentPolicy']);

const REMOVED_POLICIES: Readonly<Record<string, string>> = {
  MappingPolicy:
    "MappingPolicy was removed in Rasa 3. Map intents to actions with rules instead (e.g. '- rule: ...  steps: [intent: greet, action: utter_greet]') and keep 'RulePolicy' in your policies.",
  FormPolicy:
    "FormPolicy was removed in Rasa 3. Forms are run by 'RulePolicy': list it in your policies and activate the form with a rule.",
  FallbackPolicy:
    "FallbackPolicy was removed in Rasa 3. Use 'RulePolicy' with 'core_fallback_threshold' and 'core_fallback_action_name' for dialogue fallbacks, and the 'FallbackClassifier' NLU component for low NLU confidence.",
  TwoStageFallbackPolicy:
    "TwoStageFallbackPolicy was removed in Rasa 3. Add the 'FallbackClassifier' to your pipeline and a rule 'intent: nlu_fallback → action: action_two_stage_fallback, active_loop: action_two_stage_fallback'.",
  KerasPolicy: "KerasPolicy was removed in Rasa 2. Use 'TEDPolicy' instead.",
  SklearnPolicy: "SklearnPolicy was removed in Rasa 2. Use 'TEDPolicy' instead.",
  EmbeddingPolicy: "EmbeddingPolicy was renamed 'TEDPolicy' in Rasa 2. Use 'TEDPolicy' instead.",
  FormActionPolicy: "FormActionPolicy is not a Rasa 3 policy. Forms are run by 'RulePolicy'.",
};

/** The policy names Parley trains. */
export const SUPPORTED_POLICIES = ['RulePolicy', 'MemoizationPolicy', 'AugmentedMemoizationPolicy', 'TEDPolicy', 'UnexpecTEDIntentPolicy'];

/**
 * The policies to train: the configured ones (checked) or Rasa's defaults for `null`/empty.
 * Throws `PARLEY_ERR_POLICY_UNSUPPORTED` for a name Parley cannot run.
 */
export function resolvePolicyConfigs(policies: readonly ComponentConfig[] | null, logger?: Logger): ComponentConfig[] {
  if (policies === null || policies.length === 0) {
    logger?.info(
      { event: 'core.policies.defaults', policies: DEFAULT_POLICIES.map((policy) => policy.name) },
      `No policies are configured in config.yml; using Rasa's default policies: ${DEFAULT_POLICIES.map((policy) => policy.name).join(', ')}.`,
    );
    return DEFAULT_POLICIES.map((policy) => ({ ...policy }));
  }
  for (const policy of policies) checkPolicyName(policy.name);
  return policies.map((policy) => ({ ...policy }));
}

function checkPolicyName(name: string): void {
  if (SUPPORTED_POLICIES.includes(name)) return;
  const removed = REMOVED_POLICIES[name];
  if (removed) throw new ParleyError('PARLEY_ERR_POLICY_UNSUPPORTED', `The policy '${name}' in config.yml is not available: ${removed}`);
  if (name.includes('.')) {
    throw new ParleyError(
      'PARLEY_ERR_POLICY_UNSUPPORTED',
      `The policy '${name}' in config.yml is a custom Python class, which Parley cannot run. Use one of ${SUPPORTED_POLICIES.join(', ')}.`,
    );
  }
  throw new ParleyError(
    'PARLEY_ERR_POLICY_UNSUPPORTED',
    `The policy '${name}' in config.yml is unknown. Parley supports Rasa 3's ${SUPPORTED_POLICIES.join(', ')}.`,
  );
}

/** Reads policy options with their Rasa defaults and checks their types. */
export class PolicyOptions {
  readonly #config: ComponentConfig;

  constructor(config: ComponentConfig) {
    this.#config = config;
  }

  get name(): string {
    return this.#config.name;
  }

  /** `priority` (every policy accepts it) or the policy's default. */
  priority(): number {
    const fallback = POLICY_PRIORITIES[this.#config.name] ?? 1;
    return this.number('priority', fallback, { integer: true });
  }

  number(key: string, fallback: number, limits: { min?: number; max?: number; integer?: boolean } = {}): number {
    const value = this.#config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || (limits.integer && !Number.isInteger(value))) {
      throw this.#invalid(key, value, limits.integer ? 'a whole number' : 'a number');
    }
    if ((limits.min !== undefined && value < limits.min) || (limits.max !== undefined && value > limits.max)) {
      throw this.#invalid(key, value, `a number between ${limits.min ?? '-∞'} and ${limits.max ?? '∞'}`);
    }
    return value;
  }

  /** `max_history`: a positive whole number, or null for "the whole conversation". */
  maxHistory(fallback: number | null): number | null {
    const value = this.#config.max_history;
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw this.#invalid('max_history', value, 'a whole number of at least 1, or null');
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.#config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw this.#invalid(key, value, 'true or false');
    return value;
  }

  string(key: string, fallback: string): string {
    const value = this.#config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value === '') throw this.#invalid(key, value, 'a non-empty text');
    return value;
  }

  #invalid(key: string, value: unknown, expected: string): ParleyError {
    return new ParleyError(
      'PARLEY_ERR_CONFIG_INVALID',
      `The option '${key}' of the policy '${this.#config.name}' in config.yml must be ${expected}, but is ${JSON.stringify(value)}.`,
    );
  }
}
