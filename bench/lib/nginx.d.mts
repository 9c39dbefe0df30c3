/** Types of nginx.mjs (for the tests, which are TypeScript). */
import type { ChildProcess } from 'node:child_process';

export interface RunningNginx {
  url: string;
  port: number;
  /** The master's pid. */
  pid: number;
  /** Sends SIGTERM to the master we started and waits for it to exit; removes its folder. */
  stop(): Promise<void>;
}
/** A port that was free a moment ago (the caller binds it right away). */
export function freePort(): Promise<number>;
/** Resolves once something accepts TCP connections on the port, or throws after `timeoutMs`. */
export function waitForPort(port: number, timeoutMs: number, what: string): Promise<void>;
/** Sends `signal` to a child we started and waits for it to exit. */
export function stopChild(child: ChildProcess, signal?: NodeJS.Signals): Promise<void>;
/** Debian installs nginx in /usr/sbin, which is not on every PATH. */
export function nginxBinary(): string;
/**
 * Starts nginx in the foreground (`daemon off`) with its own prefix folder and config: one
 * worker (so round-robin alternates strictly), websocket upgrades passed through, and an
 * `X-Parley-Upstream` response header naming the instance that answered.
 */
export function startNginx(upstreamPorts: number[]): Promise<RunningNginx>;
