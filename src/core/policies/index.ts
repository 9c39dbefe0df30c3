/**
 * Dialogue policies: train them from stories and rules, load them from a model, predict the next
 * action of a conversation.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ParleyError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Domain, SourceRef } from '../../shared/domain.js';
import type { ComponentConfig } from '../../shared/project.js';
import type { Rule, Story } from '../../shared/training-data.js';
import { generateTrainingTrackers, type TrainingTrackers } from '../training/tracker-generator.js';
import { PolicyEnsemble } from './ensemble.js';
import { DIALOGUE_MODEL_FORMAT, type DialogueModelData, type PolicyData } from './model-data.js';
import { PolicyOptions, SKIPPED_POLICIES, resolvePolicyConfigs } from './policy-config.js';
import { loadPolicy, policyTrainer } from './registry.js';
import { RULE_SNIPPET_ACTION, StateBuilder, type RuleOnlyData } from './states.js';
import { TrainingSet } from './training-set.js';
import type { DialoguePolicies } from './types.js';

export type { DialogueModelData, PolicyData } from './model-data.js';
export type { ActionPrediction, DialoguePolicies, Policy, PolicyPrediction, PolicyTracker } from './types.js';
export { storyConflicts, type StoryConflict } from './story-conflicts.js';
export { DEFAULT_POLICIES } from './policy-config.js';

export interface TrainPoliciesInput {
  domain: Domain;
  stories: Story[];
  rules: Rule[];
  /** `policies:` of config.yml; null (or empty) = Rasa's default policies. */
  policies: ComponentConfig[] | null;
}

export interface TrainPoliciesOptions {
  /** `fraction` runs from 0 to 1 over the whole dialogue training. */
  onProgress?: (event: { stage: string; fraction: number; message: string }) => void;
  logger?: Logger;
}

/** Share of the progress bar spent building trackers; the policies share the rest. */
const TRACKER_SHARE = 0.1;

/**
 * Trains the configured policies on the stories and rules. Throws `PARLEY_ERR_POLICY_UNSUPPORTED`
 * for policies Parley cannot run and `PARLEY_ERR_INVALID_RULE` for rules RulePolicy rejects.
 */
export async function trainPolicies(input: TrainPoliciesInput, options: TrainPoliciesOptions = {}): Promise<DialogueModelData> {
  const logger = (options.logger ?? silentLogger()).child({ module: 'core.policies' });
  const report = (stage: string, fraction: number, message: string): void =>
    options.onProgress?.({ stage, fraction: Math.min(1, Math.max(0, fraction)), message });

  const configs = resolvePolicyConfigs(input.policies, logger);
  const skipped = configs.filter((config) => SKIPPED_POLICIES.has(config.name)).map((config) => config.name);
  for (const name of new Set(skipped)) {
    logger.info(
      { event: 'core.policies.skipped', policy: name },
      `Parley does not run ${name} yet; the assistant behaves as in Rasa without 'action_unlikely_intent' predictions.`,
    );
  }
  const runnable = configs.filter((config) => !SKIPPED_POLICIES.has(config.name));

  report('trackers', 0, `Building training data from ${input.stories.length} stories and ${input.rules.length} rules`);
  const builder = new StateBuilder(input.domain);
  const trackers = generateTrainingTrackers(input, { logger });
  warnAboutUnknownActions(trackers, input.domain, logger);
  const data = new TrainingSet(trackers, builder);
  report('trackers', TRACKER_SHARE, `${trackers.stories.length} story trackers and ${trackers.rules.length} rule trackers`);

  const policies: PolicyData[] = [];
  let ruleOnlyData: RuleOnlyData | null = null;
  const share = (1 - TRACKER_SHARE) / Math.max(1, runnable.length);
  for (const [index, config] of runnable.entries()) {
    const start = TRACKER_SHARE + index * share;
    report(config.name, start, `Training ${config.name}`);
    await yieldToEventLoop();
    const result = policyTrainer(config.name)(new PolicyOptions(config), data, (fraction, message) =>
      report(config.name, start + share * Math.min(1, fraction), message),
    );
    policies.push(result.data);
    if (result.ruleOnlyData !== undefined && ruleOnlyData === null) ruleOnlyData = result.ruleOnlyData;
    logger.debug({ event: 'core.policies.trained', policy: config.name }, `Trained ${config.name}`);
  }
  report('done', 1, `Trained ${runnable.length} dialogue policies`);
  return { format: DIALOGUE_MODEL_FORMAT, policies, ruleOnlyData, skippedPolicies: skipped };
}

/** Loads trained policies for a domain; throws `PARLEY_ERR_MODEL_INVALID` for unreadable data. */
export function loadPolicies(data: DialogueModelData, domain: Domain): DialoguePolicies {
  if (data?.format !== DIALOGUE_MODEL_FORMAT || !Array.isArray(data.policies)) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `The dialogue part of the model has format ${JSON.stringify(data?.format)}, but this version of Parley reads '${DIALOGUE_MODEL_FORMAT}'. Train the model again.`,
    );
  }
  const builder = new StateBuilder(domain);
  const policies = data.policies.map((policy) => loadPolicy(policy, builder, data.ruleOnlyData ?? null));
  return new PolicyEnsemble(domain, policies, builder);
}

/** Stories and rules may only use actions the domain knows; others can never be predicted. */
function warnAboutUnknownActions(trackers: TrainingTrackers, domain: Domain, logger: Logger): void {
  const known = new Set(domain.actionNames);
  const reported = new Set<string>();
  for (const tracker of [...trackers.stories, ...trackers.rules]) {
    for (const event of tracker.events) {
      if (event.event !== 'action') continue;
      const action = event.name ?? event.action_text;
      if (action === null || action === RULE_SNIPPET_ACTION || known.has(action) || reported.has(action)) continue;
      reported.add(action);
      const source: SourceRef | undefined = tracker.eventSources.get(event);
      const where = source ? ` (${source.file}:${source.line}:${source.column})` : '';
      logger.warn(
        { event: 'core.policies.unknown_action', action, file: source?.file, line: source?.line },
        `The ${tracker.kind} '${tracker.name}'${where} uses ${event.name === null ? 'the bot text' : 'the action'} '${action}', which is not in the domain; the policies can never predict it. Add it to the domain.`,
      );
    }
  }
}
