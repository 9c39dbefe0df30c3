/**
 * Private servers the scale tests start and stop themselves on loopback ports: a real nginx in
 * front of Parley instances, and a throw-away redis-server. The machine's shared services are
 * never touched; every process here is stopped by the pid we started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port that was free a moment ago (the caller binds it right away). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves once something accepts TCP connections on the port, or throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Sends `signal` to a child we started and waits for it to exit. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** Debian installs nginx in /usr/sbin, which is not on every PATH. */
export function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  return 'nginx';
}

export interface RunningNginx {
  url: string;
  port: number;
  /** The master's pid. */
  pid: number;
  /** Sends SIGTERM to the master we started and waits for it to exit; removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground (`daemon off`) with its own prefix folder and config: one
 * worker (so round-robin alternates strictly), websocket upgrades passed through, and an
 * `X-Parley-Upstream` response header naming the instance that answered.
 */
export async function startNginx(upstreamPorts: number[]): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  // The workers may run as an unprivileged user; they write temp files here.
  chmodSync(dir, 0o755);
  for (const sub of ['logs', 'temp']) {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
  }
  const port = await freePort();
  const temp = (name: string) => join(dir, 'temp', name);
  const config = `
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream parley {
${upstreamPorts.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout;
      add_header X-Parley-Upstream $upstream_addr always;
    }
  }
}
`;
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, config);
  const child = spawn(nginxBinary(), ['-p', `${dir}/`, '-c', configFile, '-e', join(dir, 'logs', 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const failed = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code} before it listened:\n${output}`))),
  );
  failed.catch(() => undefined);
  try {
    await Promise.race([waitForPort(port, 15_000, 'nginx'), failed]);
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // With `daemon off` the process we spawned is the master (nginx writes its pid file only
    // after it starts listening, so the file may not exist yet).
    pid: child.pid ?? 0,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
