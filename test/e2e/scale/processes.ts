/**
 * Private servers the scale tests start and stop themselves on loopback ports: a real nginx in
 * front of Parley instances, and a throw-away redis-server. The machine's shared services are
 * never touched; every process here is stopped by the pid we started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitForPort } from '../../../bench/lib/nginx.mjs';

// The nginx helpers live in bench/lib so that bench/rest-scale.mjs starts nginx the same way.
export { freePort, nginxBinary, startNginx, stopChild, waitForPort, type RunningNginx } from '../../../bench/lib/nginx.mjs';

export interface PrivateRedis {
  port: number;
  /** Starts redis-server on `port` (again); nothing is saved to disk, so a restart forgets everything. */
  start(): Promise<void>;
  /** SIGKILLs the server we started: clients see the connection drop, as in a crash. */
  kill(): Promise<void>;
  remove(): Promise<void>;
}

/** A throw-away redis-server on a free loopback port, without persistence. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  let child: ChildProcess | undefined;
  const kill = async () => {
    if (child) await stopChild(child, 'SIGKILL');
    child = undefined;
  };
  return {
    port,
    start: async () => {
      const started = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
        { stdio: 'ignore' },
      );
      child = started;
      await waitForPort(port, 10_000, 'redis-server');
    },
    kill,
    remove: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
