/**
 * The model the server currently answers with: loaded fully before it replaces the old one (so
 * messages in flight finish on the model they started with), unloadable, and counting training
 * jobs for `GET /status`. The stores outlive every model, as in Rasa.
 */
import { basename } from 'node:path';
import { createAgent, type Agent } from '../core/agent.js';
import { createNaturalLanguageGenerator } from '../core/nlg-factory.js';
import type { ReminderScheduler } from '../core/processor.js';
import { loadPolicies } from '../core/policies/index.js';
import { silentLogger, type Logger } from '../logger.js';
import { loadModel } from '../model/model.js';
import { loadNlu } from '../nlu/index.js';
import type { MessageHandler } from '../shared/messages.js';
import type { NluInterpreter } from '../shared/nlu.js';
import type { Endpoints } from '../shared/project.js';
import { createMemoryLockStore } from '../stores/memory-lock-store.js';
import { createMemoryTrackerStore } from '../stores/memory-tracker-store.js';
import type { LockStore, TrackerStore } from '../stores/types.js';

/** A model ready to serve: the agent plus what the HTTP API reports and parses with. */
export interface ServableModel {
  readonly agent: Agent;
  /** The NLU pipeline of the model, for `POST /model/parse`. */
  readonly interpreter: NluInterpreter;
  /** Where the archive was read from. */
  readonly modelPath: string;
  /** The archive's file name (`GET /status` → `model_file`). */
  readonly modelFile: string;
  readonly modelId: string;
}

/** What a loader gets besides the archive path: the stores every model shares. */
export interface ModelLoadContext {
  trackerStore: TrackerStore;
  lockStore: LockStore;
  endpoints: Endpoints;
  logger: Logger;
  /** The server's reminder scheduler, shared by every model it loads. */
  reminders?: ReminderScheduler;
}

export type ModelLoader = (modelPath: string, context: ModelLoadContext) => Promise<ServableModel>;

/** Reads an archive and wires its domain, NLU and policies to the shared stores. */
export async function loadServableModel(modelPath: string, context: ModelLoadContext): Promise<ServableModel> {
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
    endpoints: context.endpoints,
    trackerStore: context.trackerStore,
    lockStore: context.lockStore,
    logger: context.logger,
    nlg: createNaturalLanguageGenerator(context.endpoints, model.domain, context.logger),
    reminders: context.reminders,
  });
  return { agent, interpreter, modelPath, modelFile: basename(modelPath), modelId: model.metadata.modelId };
}

export interface ModelHolderOptions {
  /** Shared by every model loaded into this holder. @default a new in-memory tracker store */
  trackerStore?: TrackerStore;
  /** Shared by every model loaded into this holder. @default a new in-memory lock store */
  lockStore?: LockStore;
  /** endpoints.yml, handed to each model (action server, NLG). @default {} */
  endpoints?: Endpoints;
  logger?: Logger;
  /** @default loadServableModel */
  loader?: ModelLoader;
  /** Handed to every model loaded (reminders outlive model swaps). */
  reminders?: ReminderScheduler;
}

type SwapListener = (handler: MessageHandler | null) => void;

/** Holds the current model (or none) and swaps it atomically. */
export class ModelHolder {
  readonly trackerStore: TrackerStore;
  readonly lockStore: LockStore;
  readonly #context: ModelLoadContext;
  readonly #loader: ModelLoader;
  readonly #listeners = new Set<SwapListener>();
  readonly #logger: Logger;
  #current: ServableModel | null = null;
  #trainingJobs = 0;
  /** Every load, use and unload takes a number; a load that finishes late never undoes a newer change. */
  #requested = 0;
  #applied = 0;

  constructor(options: ModelHolderOptions = {}) {
    this.trackerStore = options.trackerStore ?? createMemoryTrackerStore();
    this.lockStore = options.lockStore ?? createMemoryLockStore();
    this.#logger = (options.logger ?? silentLogger()).child({ module: 'model-holder' });
    this.#context = {
      trackerStore: this.trackerStore,
      lockStore: this.lockStore,
      endpoints: options.endpoints ?? {},
      logger: options.logger ?? silentLogger(),
      reminders: options.reminders,
    };
    this.#loader = options.loader ?? loadServableModel;
  }

  /** The model answering now, or null when none is loaded. */
  current(): ServableModel | null {
    return this.#current;
  }

  /** The agent answering now, or null. */
  agent(): Agent | null {
    return this.#current?.agent ?? null;
  }

  get modelFile(): string | null {
    return this.#current?.modelFile ?? null;
  }

  get modelId(): string | null {
    return this.#current?.modelId ?? null;
  }

  /** Training jobs running now (`GET /status` → `num_active_training_jobs`). */
  get activeTrainingJobs(): number {
    return this.#trainingJobs;
  }

  /**
   * Loads the archive completely, then makes it the current model. If loading fails, the
   * previous model stays in place and the error is thrown. When a newer load, use or unload
   * has taken effect meanwhile, this (older) load is dropped: the newest request wins.
   */
  async load(modelPath: string): Promise<ServableModel> {
    const ticket = ++this.#requested;
    const loaded = await this.#loader(modelPath, this.#context);
    if (ticket < this.#applied) {
      this.#logger.info({ event: 'model.load.superseded', modelFile: loaded.modelFile }, 'a newer model change came first; this model is not used');
      return loaded;
    }
    this.#apply(ticket, loaded);
    this.#logger.info({ event: 'model.loaded', modelFile: loaded.modelFile, modelId: loaded.modelId }, 'model loaded');
    return loaded;
  }

  /** Serves an already built model from now on. */
  use(model: ServableModel): void {
    this.#apply(++this.#requested, model);
  }

  /** Serves no model from now on; the stores stay open. */
  unload(): void {
    const hadModel = this.#current !== null;
    this.#apply(++this.#requested, null);
    if (hadModel) this.#logger.info({ event: 'model.unloaded' }, 'model unloaded');
  }

  /** Counts `job` as an active training job while it runs. */
  async countTraining<T>(job: () => Promise<T>): Promise<T> {
    this.#trainingJobs += 1;
    try {
      return await job();
    } finally {
      this.#trainingJobs -= 1;
    }
  }

  /**
   * Calls `listener` with the new handler on every swap (and once now), e.g.
   * `holder.onSwap((handler) => server.setHandler(handler))`. Returns an unsubscribe function.
   */
  onSwap(listener: SwapListener): () => void {
    this.#listeners.add(listener);
    listener(this.agent());
    return () => this.#listeners.delete(listener);
  }

  /** Closes the shared stores (the models themselves hold nothing else). */
  async close(): Promise<void> {
    this.#current = null;
    await this.trackerStore.close();
    await this.lockStore.close();
  }

  #apply(ticket: number, model: ServableModel | null): void {
    this.#applied = ticket;
    if (this.#current === model) return;
    this.#current = model;
    this.#notify();
  }

  #notify(): void {
    const handler = this.agent();
    for (const listener of this.#listeners) listener(handler);
  }
}
