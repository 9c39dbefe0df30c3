/** Assembles and starts a Parley server: model → agent, credentials → channels, endpoints → stores. */
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import type { CliOutput } from '../cli/output.js';
import type { ApiAuthOptions } from '../api/plugin.js';
import { createSocketIoAdapter } from '../brokers/socketio-adapter.js';
import { createReminderScheduler } from '../core/reminders/reminder-scheduler.js';
import { loadCredentials, loadEndpoints } from '../project/index.js';
import { createServer, type ParleyServer, type ServerOptions } from '../server/app.js';
import type { RateLimitOptions } from '../server/rate-limit.js';
import { createStoresFromEndpoints } from '../stores/create-stores.js';
import { publishingTrackerStore } from '../stores/publishing-tracker-store.js';
import { webchatPlugin } from '../webchat/plugin.js';
import { ensureModel } from './ensure-model.js';
import { ModelHolder } from './model-holder.js';
import { startMetrics, type RunningMetrics } from './serve-metrics.js';

export interface StartOptions {
  /** Project folder; default files (credentials.yml, endpoints.yml, models/) are looked up here. */
  root: string;
  model?: string;
  /** Given on the command line: resolved against the working directory. */
  credentialsPath?: string;
  endpointsPath?: string;
  connector?: string;
  cors: string[];
  /** Serve Rasa's HTTP API (`--enable-api`), secured by `auth` when given. */
  enableApi: boolean;
  auth?: ApiAuthOptions;
  /** Auth of `/review/api` (`parley run --share` adds the review token it generates). @default auth */
  reviewAuth?: ApiAuthOptions;
  /** Serve `/metrics` (`--enable-metrics`), behind `auth` when given. @default false */
  enableMetrics?: boolean;
  /** `--rate-limit-ip`, `--rate-limit-sender`. @default {} (no limits) */
  rateLimits?: RateLimitOptions;
  /** `--trust-proxy`: believe `X-Forwarded-For` from these proxies. @default false */
  trustProxy?: ServerOptions['trustProxy'];
  host: string;
  port: number;
  trainIfNeeded: boolean;
  logger: Logger;
  output: CliOutput;
}

export interface RunningParley {
  url: string;
  server: ParleyServer;
  holder: ModelHolder;
  close(): Promise<void>;
}

export async function startParley(options: StartOptions): Promise<RunningParley> {
  const root = resolve(options.root);
  const modelPath = await ensureModel({
    root,
    model: options.model,
    trainIfNeeded: options.trainIfNeeded,
    logger: options.logger,
    say: (message) => options.output.info(message),
    onProgress: (event) => options.output.progress(event),
  });

  const endpointsFile = options.endpointsPath ? resolve(options.endpointsPath) : resolve(root, 'endpoints.yml');
  const endpoints = await loadEndpoints(endpointsFile);
  const credentials = await loadCredentials(options.credentialsPath ? resolve(options.credentialsPath) : resolve(root, 'credentials.yml'));
  if (options.credentialsPath && !credentials) {
    options.output.warn(`The credentials file '${options.credentialsPath}' does not exist; starting the REST channel only.`);
  }

  const stores = await createStoresFromEndpoints(endpoints, { projectRoot: root, logger: options.logger, endpointsFile });
  const observed: RunningMetrics | null = options.enableMetrics ? startMetrics(endpoints, stores) : null;
  const countedStore = observed ? observed.observeTrackerStore(stores.trackerStore) : stores.trackerStore;
  const trackerStore = stores.broker ? publishingTrackerStore(countedStore, stores.broker) : countedStore;
  // Reminders outlive model swaps: they fire into whichever model answers when they are due,
  // through the channel that was active when they were set.
  let server: ParleyServer | undefined;
  const reminders = createReminderScheduler({
    target: () => holder.agent()?.processor ?? null,
    outputChannel: (name) => server?.outputChannel(name) ?? null,
    trackerStore,
    logger: options.logger.child({ module: 'reminders' }),
  });
  const holder = new ModelHolder({
    trackerStore,
    lockStore: stores.lockStore,
    endpoints: endpoints ?? {},
    logger: options.logger,
    reminders,
  });
  const { agent } = await holder.load(modelPath);
  options.logger.info({ model: modelPath, trackerStore: stores.trackerStore.type, lockStore: stores.lockStore.type }, 'model loaded');

  const socketIo = await createSocketIoAdapter(endpoints?.socketio_adapter, {
    projectRoot: root,
    logger: options.logger.child({ module: 'socketio-adapter' }),
    endpointsFile,
  });
  server = createServer({
    handler: agent,
    credentials,
    connector: options.connector,
    cors: options.cors,
    logger: options.logger,
    socketIoAdapter: socketIo?.adapter,
    projectRoot: root,
    metrics: observed?.metrics ?? null,
    rateLimits: options.rateLimits,
    trustProxy: options.trustProxy,
  });
  if (observed) await observed.serve(server, options.auth);
  if (options.enableApi) {
    // The HTTP API (and what only it uses: zod schemas, the training route…) loads only with --enable-api.
    const { registerHttpApi } = await import('../api/plugin.js');
    registerHttpApi(server, { holder, auth: options.auth, logger: options.logger, modelDirectory: resolve(root, 'models') });
  } else {
    holder.onSwap((handler) => server.setHandler(handler));
  }
  if (server.channels.some((channel) => channel.name === 'socketio' || channel.name === 'rest')) {
    await server.app.register(webchatPlugin, {
      title: agent.assistantId ?? 'Parley',
      initialPayload: agent.domain.intents.some((intent) => intent.name === 'greet') ? '/greet' : '',
      logger: options.logger,
    });
  }
  const { registerReview } = await import('../review/serve-review.js');
  await registerReview(server, {
    root,
    holder,
    trackerStore,
    auth: options.reviewAuth ?? options.auth,
    initialPayload: agent.domain.intents.some((intent) => intent.name === 'greet') ? '/greet' : '',
    logger: options.logger,
  });
  const url = await server.listen({ port: options.port, host: options.host });
  const restored = await reminders.restore();
  if (restored > 0) options.logger.info({ reminders: restored }, 'pending reminders restored');
  const running = server;
  return {
    url,
    server: running,
    holder,
    close: async () => {
      await reminders.close();
      await running.close();
      observed?.stop();
      await socketIo?.close();
      await stores.close();
    },
  };
}
