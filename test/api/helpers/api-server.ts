/** Test helper: a Parley server with the HTTP API and a real moodbot model (trained once per file). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerHttpApi, type HttpApiOptions } from '../../../src/api/plugin.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import { ModelHolder } from '../../../src/runtime/model-holder.js';
import { createServer, type ParleyServer, type ServerOptions } from '../../../src/server/app.js';
import { trainProject } from '../../../src/train/train.js';

export const MOODBOT = fileURLToPath(new URL('../../../../shared/fixtures/bots/moodbot/', import.meta.url));

let trained: Promise<string> | undefined;

/** The path of a moodbot model archive, trained on first use. */
export function moodbotModel(): Promise<string> {
  trained ??= trainProject({
    root: MOODBOT,
    out: mkdtempSync(join(tmpdir(), 'parley-api-model-')),
    tests: null,
    force: true,
    logger: silentLogger(),
  }).then((result) => result.modelPath);
  return trained;
}

export interface ApiHarness {
  server: ParleyServer;
  holder: ModelHolder;
  modelDirectory: string;
}

export interface HarnessOptions extends Partial<Omit<HttpApiOptions, 'holder'>> {
  /** Start without a loaded model. */
  noModel?: boolean;
  credentials?: ServerOptions['credentials'];
  cors?: ServerOptions['cors'];
  logger?: Logger;
}

const open: ApiHarness[] = [];

export async function startApi(options: HarnessOptions = {}): Promise<ApiHarness> {
  const logger = options.logger ?? silentLogger();
  const holder = new ModelHolder({ logger });
  if (!options.noModel) await holder.load(await moodbotModel());
  const server = createServer({
    credentials: options.credentials ?? [{ name: 'rest', options: null }],
    getHandler: () => holder.agent(),
    cors: options.cors,
    logger,
  });
  const modelDirectory = options.modelDirectory ?? mkdtempSync(join(tmpdir(), 'parley-api-out-'));
  const { noModel: _noModel, credentials: _credentials, cors: _cors, ...apiOptions } = options;
  registerHttpApi(server, { ...apiOptions, holder, logger, modelDirectory });
  await server.app.ready();
  const harness = { server, holder, modelDirectory };
  open.push(harness);
  return harness;
}

/** Close every harness (use in afterEach). */
export async function closeApis(): Promise<void> {
  for (const harness of open.splice(0)) {
    await harness.server.close();
    await harness.holder.close();
  }
}
