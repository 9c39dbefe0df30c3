/** `parley run`: serve the newest model (training first when needed) with the configured channels. */
import type { Command } from 'commander';
import { ParleyError } from '../../errors.js';
import { perMinuteLimitFrom, trustProxyFrom } from '../../server/rate-limit.js';
import type { CliOutput } from '../output.js';

interface RunFlags {
  project: string;
  model?: string;
  endpoints?: string;
  credentials?: string;
  connector?: string;
  interface: string;
  port: string;
  cors?: string[];
  enableApi?: boolean;
  authToken?: string;
  jwtSecret?: string;
  jwtMethod: string;
  enableMetrics?: boolean;
  rateLimitIp?: string;
  rateLimitSender?: string;
  trustProxy?: string;
  share?: boolean;
  train: boolean;
}

export function registerRun(program: Command, output: CliOutput): void {
  program
    .command('run')
    .description('Serve a trained model over HTTP and socket.io (trains first if the project changed).')
    .argument('[model]', 'model archive or folder of archives (default: models/)')
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-m, --model <path>', 'model archive or folder of archives')
    .option('--endpoints <path>', 'endpoints configuration file (default: endpoints.yml)')
    .option('--credentials <path>', 'channel credentials file (default: credentials.yml if present)')
    .option('--connector <name>', 'start only this channel of the credentials file')
    .option('-i, --interface <address>', 'network interface to listen on', '0.0.0.0')
    .option('-p, --port <port>', 'port for HTTP, webhooks and socket.io', '5005')
    .option('--cors [origins...]', 'allowed CORS origins; "*" allows every origin')
    .option('--enable-api', 'serve the HTTP API in addition to the channels')
    .option('-t, --auth-token <token>', 'require ?token=<token> on HTTP API routes')
    .option('--jwt-secret <secret>', 'require a JWT (Authorization: Bearer) on HTTP API routes, verified with this secret or public key')
    .option('--jwt-method <algorithm>', 'JWT algorithm for --jwt-secret', 'HS256')
    .option('--enable-metrics', 'serve Prometheus metrics on /metrics (behind the API auth when a token or JWT secret is set)')
    .option('--rate-limit-ip <n>', 'HTTP requests per minute one client address may make (default: no limit)')
    .option('--rate-limit-sender <n>', 'messages per minute one sender id may post to the channel webhooks (default: no limit)')
    .option('--trust-proxy <proxies>', 'take the client address from X-Forwarded-For: "true", a hop count, or proxy addresses/CIDRs (comma-separated)')
    .option('--share', 'print an invite link for testers and a review link (generates a review token when --auth-token is not given)')
    .option('--no-train', 'never train; fail when there is no model')
    .action(async (positionalModel: string | undefined, flags: RunFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ParleyError('PARLEY_ERR_CLI_USAGE', `--port must be a whole number between 0 and 65535, not '${flags.port}'.`);
      }
      const rateLimits = {
        perIp: perMinuteLimitFrom('--rate-limit-ip', flags.rateLimitIp),
        perSender: perMinuteLimitFrom('--rate-limit-sender', flags.rateLimitSender),
      };
      // Loaded here, not at the top, so that `parley --version` and the other commands stay quick to start.
      const [{ startParley }, { createLogger }, { humanLogger }] = await Promise.all([
        import('../../runtime/serve.js'),
        import('../../logger.js'),
        import('../human-logger.js'),
      ]);
      const share = flags.share ? await import('../../share/run-share.js') : null;
      const shareSetup = share?.shareSetup(flags.authToken) ?? null;
      // A person at a terminal reads sentences; anything piped (files, log collectors) gets JSON lines.
      const logger = process.stdout.isTTY ? humanLogger(output, process.env.LOG_LEVEL?.toLowerCase() ?? 'info') : createLogger();
      const running = await startParley({
        root: flags.project,
        model: positionalModel ?? flags.model,
        endpointsPath: flags.endpoints,
        credentialsPath: flags.credentials,
        connector: flags.connector,
        cors: normaliseCors(flags.cors),
        enableApi: flags.enableApi ?? false,
        auth: { token: flags.authToken, jwtSecret: flags.jwtSecret, jwtMethod: flags.jwtMethod },
        reviewAuth: shareSetup ? { token: shareSetup.reviewToken, jwtSecret: flags.jwtSecret, jwtMethod: flags.jwtMethod } : undefined,
        enableMetrics: flags.enableMetrics ?? false,
        rateLimits,
        trustProxy: trustProxyFrom(flags.trustProxy),
        host: flags.interface,
        port,
        trainIfNeeded: flags.train,
        logger,
        output,
      });
      output.info(`Parley server is up and running on ${running.url}`);
      if (share && shareSetup) {
        // Printed for the person at the terminal only (never logged): the review token opens every conversation.
        for (const line of share.shareMessages(share.prepareShareLinks(flags.project, running.url, shareSetup), shareSetup)) output.info(line);
      }
      await new Promise<void>((resolveStop) => {
        const stop = (signal: string) => {
          output.info(`Received ${signal}; finishing the messages in progress, then stopping.`);
          running.close().then(resolveStop, (error: unknown) => {
            output.error(String(error));
            resolveStop();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}

/** `--cors` alone means no origin, as in Rasa; `--cors "*"` allows all. */
function normaliseCors(cors: string[] | boolean | undefined): string[] {
  if (!Array.isArray(cors)) return [];
  return cors.flatMap((origin) => origin.split(/\s+/)).filter((origin) => origin.length > 0);
}
