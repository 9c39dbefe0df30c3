/** Starting the two servers every network benchmark compares: Parley (`parley run`) and the bare baseline. */
import { fileURLToPath } from 'node:url';
import { PARLEY_BIN, startProcess } from './processes.mjs';

const BARE_SERVER = fileURLToPath(new URL('../servers/bare.mjs', import.meta.url));
const PARLEY_SERVER = fileURLToPath(new URL('../servers/parley.mjs', import.meta.url));

/** `parley run` on a trained project, on a kernel-chosen loopback port. */
export async function startParleyRun(project, { nodeArgs = [], env } = {}) {
  const { child, match } = await startProcess(
    process.execPath,
    [...nodeArgs, PARLEY_BIN, 'run', '--project', project, '-i', '127.0.0.1', '-p', '0', '--no-train'],
    { ready: /running on (http:\/\/\S+)/, env },
  );
  return { name: 'parley', child, url: match[1] };
}

/** The bare fastify + socket.io baseline. */
export async function startBare({ ipc = false, nodeArgs = [] } = {}) {
  const { child, match } = await startProcess(ipc ? BARE_SERVER : process.execPath, ipc ? [] : [...nodeArgs, BARE_SERVER], {
    ready: /listening on (http:\/\/\S+)/,
    ipc,
    nodeArgs,
  });
  return { name: 'bare', child, url: match[1] };
}

/** Parley started through bench/servers/parley.mjs, which can report its memory over IPC. */
export async function startParleyWithIpc(project, { nodeArgs = [] } = {}) {
  const { child, match } = await startProcess(PARLEY_SERVER, ['--project', project], {
    ready: /listening on (http:\/\/\S+)/,
    ipc: true,
    nodeArgs,
  });
  return { name: 'parley', child, url: match[1] };
}

const PARLEY_HTTP_ONLY_SERVER = fileURLToPath(new URL('../servers/parley-http-only.mjs', import.meta.url));

/** Parley's HTTP layer (the server `parley run` builds) with a constant bot instead of the dialogue engine. */
export async function startParleyHttpOnly({ nodeArgs = [] } = {}) {
  const { child, match } = await startProcess(process.execPath, [...nodeArgs, PARLEY_HTTP_ONLY_SERVER], { ready: /listening on (http:\/\/\S+)/ });
  return { name: 'parley-http-only', child, url: match[1] };
}
