/** Assembles and starts a Parley server: model → agent, credentials → channels, endpoints → stores. */
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';
import type { CliOutput } from '../cli/output.js';
import { loadCredentials, loadEndpoints } from '../project/index.js';
import { createServer, type ParleyServer } from '../server/app.js';
import { createStoresFromEndpoints } from '../stores/create-stores.js';
import { publishingTrackerStore } from '../stores/publishing-tracker-store.js';
import { createSocketIoAdapter } from '../brokers/socketio-adapter.js';
import { webchatPlugin } from '../webchat/plugin.js';
import { ensureModel } from './ensure-model.js';
import { loadAgent, type LoadedAgent } from './load-agent.js';

export interface StartOptions {
  /** Project folder; default files (credentials.yml, endpoints.yml, models/) are looked up here. */
  root: string;
  model?: string;
  /** Given on the command line: resolved against the working directory. */
  credentialsPath?: string;
  endpointsPath?: string;
  connector?: string;
  cors: string[];
  enableApi: boolean;
  host: string;
  port: number;
  trainIfNeeded: boolean;
  logger: Logger;
  output: CliOutput;
}

export interface RunningParley {
  url: string;
  server: ParleyServer;
  loaded: LoadedAgent;
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

  const endpoints = await loadEndpoints(options.endpointsPath ? resolve(options.endpointsPath) : resolve(root, 'endpoints.yml'));
  const credentials = await loadCredentials(options.credentialsPath ? resolve(options.credentialsPath) : resolve(root, 'credentials.yml'));
  if (options.credentialsPath && !credentials) {
    options.output.warn(`The credentials file '${options.credentialsPath}' does not exist; starting the REST channel only.`);
  }

  const stores = await createStoresFromEndpoints(endpoints, { projectRoot: root, logger: options.logger });
  const trackerStore = stores.broker ? publishingTrackerStore(stores.trackerStore, stores.broker) : stores.trackerStore;
  const loaded = await loadAgent(modelPath, {
    endpoints: endpoints ?? {},
    trackerStore,
    lockStore: stores.lockStore,
    logger: options.logger,
  });
  options.logger.info({ model: modelPath, trackerStore: trackerStore.type, lockStore: stores.lockStore.type }, 'model loaded');
  const socketIo = await createSocketIoAdapter(endpoints?.socketio_adapter, {
    projectRoot: root,
    logger: options.logger.child({ module: 'socketio-adapter' }),
  });
  const server = createServer({
    handler: loaded.agent,
    credentials,
    connector: options.connector,
    cors: options.cors,
    logger: options.logger,
    socketIoAdapter: socketIo?.adapter,
  });
  if (server.channels.some((channel) => channel.name === 'socketio' || channel.name === 'rest')) {
    await server.app.register(webchatPlugin, {
      title: loaded.model.metadata.assistantId ?? 'Parley',
      initialPayload: loaded.model.domain.intents.some((intent) => intent.name === 'greet') ? '/greet' : '',
      logger: options.logger,
    });
  }
  if (options.enableApi) {
    options.output.warn('--enable-api: the HTTP API is not part of this build yet; only / and the channels are served.');
  }
  const url = await server.listen({ port: options.port, host: options.host });
  return {
    url,
    server,
    loaded,
    close: async () => {
      await server.close();
      await socketIo?.close();
      await stores.close();
    },
  };
}
