/**
 * Child processes of a benchmark: servers under test run in their own process (never on the load
 * generator's event loop), are waited for until they print where they listen, and are stopped by
 * their pid. Every child still alive when the benchmark exits is stopped too.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

const live = new Set();
process.once('exit', () => {
  for (const child of live) stopNow(child);
});

function stopNow(child) {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A free loopback port (asked from the kernel, then released). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Start a process and wait until a line of its output matches `ready`; resolves with the child and
 * the match. Fails (and stops the child) after `timeoutMs` or when it exits first.
 */
/**
 * Cores for the servers under test and for the load generator. On a small machine a server that
 * wakes the load generator with every response otherwise shares its core with it: the scheduler
 * runs the woken client on the server's core, and the server's profile shows that time inside
 * `writev`. With `taskset` and two or more cores, a benchmark that starts servers pins them to
 * core 0 once they are ready and itself (the load generator) to core 1; `PARLEY_BENCH_PIN=0` turns
 * it off. Benchmarks that start no server (training, NLU, cold start, in-process ones) are not
 * pinned, so their processes keep every core (V8's compiler and GC threads use them).
 */
let pinning;

/** The pinning in force in this process, or null (none yet, or not possible here). */
export function currentPinning() {
  return pinning ?? null;
}

function pinLoadGenerator() {
  if (pinning !== undefined) return pinning;
  pinning = null;
  if (process.env.PARLEY_BENCH_PIN === '0' || process.platform !== 'linux' || availableParallelism() < 2) return pinning;
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  if (pinned.status === 0) pinning = { serverCore: 0, loadCore: 1 };
  return pinning;
}

/** Pins every thread of `pid` to the servers' core (a no-op without pinning). */
function pinServer(pid) {
  if (pinning) spawnSync('taskset', ['-a', '-p', '-c', String(pinning.serverCore), String(pid)], { stdio: 'ignore' });
}

export function startProcess(command, args, { ready, timeoutMs = 60_000, env, ipc = false, nodeArgs = [] } = {}) {
  pinLoadGenerator();
  const child = ipc
    ? fork(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: nodeArgs })
    : spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => fail(new Error(`${command} did not become ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      void stopProcess(child);
      reject(error);
    };
    const onData = (chunk) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        child.removeListener('exit', onExit);
        pinServer(child.pid);
        resolveStart({ child, match });
      }
    };
    const onExit = (code, signal) => fail(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${output}`));
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stop a child by its pid (SIGTERM, then SIGKILL after `graceMs`); resolves when it has exited. */
export function stopProcess(child, { graceMs = 5_000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => stopNow(child), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolveStop();
    }
  });
}

/** Run a command to completion; resolves with its wall time, exit code and output. */
export function runToCompletion(command, args, { env, timeoutMs = 30 * 60_000 } = {}) {
  return new Promise((resolveRun, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => stopNow(child), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolveRun({ seconds, code, signal, output });
    });
  });
}

/** Send an IPC request to a forked server and wait for the answer of the same `type`. */
export function ask(child, type, payload = {}) {
  return new Promise((resolveAnswer) => {
    const onMessage = (message) => {
      if (message?.type === type) {
        child.off('message', onMessage);
        resolveAnswer(message);
      }
    };
    child.on('message', onMessage);
    child.send({ type, ...payload });
  });
}

/**
 * CPU time a process has used so far, user and kernel, in µs (Linux: /proc/<pid>/stat, whose
 * clock ticks are 1/100 s on every Linux Node supports); null elsewhere.
 * @returns {{ user: number, system: number } | null}
 */
export function processCpuMicros(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}
