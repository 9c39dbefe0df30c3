/** Turns a trained model archive into a ready-to-talk Agent. */
import type { Logger } from '../logger.js';
import type { Endpoints } from '../shared/project.js';
import type { LockStore, TrackerStore } from '../stores/types.js';
import { createAgent, type Agent } from '../core/agent.js';
import { loadPolicies } from '../core/policies/index.js';
import { loadNlu } from '../nlu/index.js';
import { loadModel, type TrainedModel } from '../model/model.js';

export interface LoadAgentOptions {
  endpoints?: Endpoints;
  trackerStore?: TrackerStore;
  lockStore?: LockStore;
  logger?: Logger;
}

export interface LoadedAgent {
  agent: Agent;
  model: TrainedModel;
  modelPath: string;
}

export async function loadAgent(modelPath: string, options: LoadAgentOptions = {}): Promise<LoadedAgent> {
  const model = await loadModel(modelPath);
  const interpreter = loadNlu(model.nlu as Parameters<typeof loadNlu>[0], model.domain);
  const policies = model.metadata.parts.core
    ? loadPolicies(model.core as Parameters<typeof loadPolicies>[0], model.domain)
    : null;
  const agent = createAgent({
    domain: model.domain,
    interpreter,
    policies,
    modelId: model.metadata.modelId,
    assistantId: model.metadata.assistantId,
    endpoints: options.endpoints,
    trackerStore: options.trackerStore,
    lockStore: options.lockStore,
    logger: options.logger,
  });
  return { agent, model, modelPath };
}
