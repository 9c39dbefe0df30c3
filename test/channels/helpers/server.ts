/** Start a real Parley server on 127.0.0.1:0 for socket and callback tests, and close it after. */
import { createServer, type ParleyServer, type ServerOptions } from '../../../src/server/app.js';
import { silentLogger } from '../../../src/logger.js';

export interface RunningServer {
  server: ParleyServer;
  url: string;
}

const running: ParleyServer[] = [];

export async function startServer(options: Partial<ServerOptions> & Pick<ServerOptions, 'credentials'>): Promise<RunningServer> {
  const server = createServer({ logger: silentLogger(), ...options });
  running.push(server);
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, url };
}

/** Close every server started since the last call (use in afterEach). */
export async function closeServers(): Promise<void> {
  const servers = running.splice(0);
  await Promise.all(servers.map((server) => server.close()));
}
