/**
 * Parley as `parley run` starts it (startParley from dist/), for benchmarks that need to ask the
 * server for its memory: prints `listening on <url>`, answers `{type:'memory'}` over IPC.
 * Usage: node --expose-gc bench/servers/parley.mjs --project <trained project> [--port <n>]
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../../dist/logger.js';
import { startParley } from '../../dist/runtime/serve.js';
import { answerMemoryRequests } from './memory-ipc.mjs';

const { values } = parseArgs({ options: { project: { type: 'string' }, port: { type: 'string', default: '0' } } });
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const say = () => undefined;
const running = await startParley({
  root: values.project,
  cors: [],
  enableApi: false,
  host: '127.0.0.1',
  port: Number(values.port),
  trainIfNeeded: false,
  logger,
  output: { info: say, warn: say, error: (message) => console.error(message), progress: say },
});
answerMemoryRequests();
console.log(`listening on ${running.url}`);
const stop = () => running.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
