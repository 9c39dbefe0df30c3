/** Turns a trained model archive into a ready-to-talk Agent (for one-off uses: shell, tests, evaluation). */
import { silentLogger, type Logger } from '../logger.js';
import type { Agent } from '../core/agent.js';
import type { NluInterpreter } from '../shared/nlu.js';
import type { Endpoints } from '../shared/project.js';
import { createMemoryLockStore } from '../stores/memory-lock-store.js';
import { createMemoryTrackerStore } from '../stores/memory-tracker-store.js';
import type { LockStore, TrackerStore } from '../stores/types.js';
import { loadServableModel } from './model-holder.js';

export interface LoadAgentOptions {
  endpoints?: Endpoints;
  /** @default a new in-memory tracker store */
  trackerStore?: TrackerStore;
  /** @default a new in-memory lock store */
  lockStore?: LockStore;
  logger?: Logger;
}

export interface LoadedAgent {
  agent: Agent;
  interpreter: NluInterpreter;
  modelPath: string;
}

export async function loadAgent(modelPath: string, options: LoadAgentOptions = {}): Promise<LoadedAgent> {
  const servable = await loadServableModel(modelPath, {
    trackerStore: options.trackerStore ?? createMemoryTrackerStore(),
    lockStore: options.lockStore ?? createMemoryLockStore(),
    endpoints: options.endpoints ?? {},
    logger: options.logger ?? silentLogger(),
  });
  return { agent: servable.agent, interpreter: servable.interpreter, modelPath };
}
