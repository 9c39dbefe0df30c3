/**
 * The agent: a loaded model (domain, NLU, policies, model id) wired to stores and the action
 * server, behind the one `MessageHandler` the channels call.
 */
import type { Logger } from '../logger.js';
import type { Domain } from '../shared/domain.js';
import type { MessageHandler, UserMessage } from '../shared/messages.js';
import type { NluInterpreter } from '../shared/nlu.js';
import type { Endpoints } from '../shared/project.js';
import { createMemoryLockStore } from '../stores/memory-lock-store.js';
import { createMemoryTrackerStore } from '../stores/memory-tracker-store.js';
import type { LockStore, TrackerStore } from '../stores/types.js';
import { parseActionEndpoint, type ActionEndpointConfig } from './actions/action-server.js';
import type { NaturalLanguageGenerator } from './nlg.js';
import type { DialoguePolicies } from './policies/types.js';
import { MessageProcessor, type ReminderScheduler } from './processor.js';

export interface AgentOptions {
  domain: Domain;
  interpreter: NluInterpreter;
  /** null for an NLU-only model. */
  policies: DialoguePolicies | null;
  /** The loaded model's id, stamped on every event as `metadata.model_id`. */
  modelId: string;
  /** config.yml `assistant_id`, stamped as `metadata.assistant_id`. @default null */
  assistantId?: string | null;
  /** @default a new in-memory tracker store */
  trackerStore?: TrackerStore;
  /** @default a new in-memory lock store */
  lockStore?: LockStore;
  /** endpoints.yml; `action_endpoint` is read from it. @default {} */
  endpoints?: Endpoints;
  /** An already parsed action endpoint; wins over `endpoints.action_endpoint`. */
  actionEndpoint?: ActionEndpointConfig | null;
  /** @default the domain's responses */
  nlg?: NaturalLanguageGenerator;
  /** @default a logger writing to stdout (LOG_LEVEL) */
  logger?: Logger;
  /** @default env MAX_NUMBER_OF_PREDICTIONS, else 10 */
  maxNumberOfPredictions?: number;
  reminders?: ReminderScheduler;
}

/** A ready-to-talk bot. Channels call `handleMessage`; the HTTP API uses `processor`. */
export class Agent implements MessageHandler {
  readonly domain: Domain;
  readonly modelId: string;
  readonly assistantId: string | null;
  readonly processor: MessageProcessor;
  readonly trackerStore: TrackerStore;
  readonly lockStore: LockStore;
  /** Whether the model can predict actions (false for NLU-only models). */
  readonly hasPolicies: boolean;

  constructor(options: AgentOptions) {
    this.domain = options.domain;
    this.modelId = options.modelId;
    this.assistantId = options.assistantId ?? null;
    this.hasPolicies = options.policies !== null;
    this.trackerStore = options.trackerStore ?? createMemoryTrackerStore();
    this.lockStore = options.lockStore ?? createMemoryLockStore();
    const actionEndpoint =
      options.actionEndpoint !== undefined
        ? options.actionEndpoint
        : parseActionEndpoint(options.endpoints?.action_endpoint ?? null);
    this.processor = new MessageProcessor({
      domain: options.domain,
      interpreter: options.interpreter,
      policies: options.policies,
      trackerStore: this.trackerStore,
      lockStore: this.lockStore,
      actionEndpoint,
      nlg: options.nlg,
      modelId: options.modelId,
      assistantId: this.assistantId,
      logger: options.logger,
      maxNumberOfPredictions: options.maxNumberOfPredictions,
      reminders: options.reminders,
    });
  }

  handleMessage(message: UserMessage): Promise<void> {
    return this.processor.handleMessage(message);
  }

  /** Closes the tracker and lock stores (shared stores are closed for everyone). */
  async close(): Promise<void> {
    await this.trackerStore.close();
    await this.lockStore.close();
  }
}

/**
 * Builds an agent from one options object.
 * @example
 * const agent = createAgent({ domain, interpreter, policies, modelId: model.id });
 * await agent.handleMessage({ text: 'hi', senderId: 'u1', inputChannel: 'rest', output });
 */
export function createAgent(options: AgentOptions): Agent {
  return new Agent(options);
}
