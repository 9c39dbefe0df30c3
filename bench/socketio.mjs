/**
 * socket.io messages/s and round trip: Parley's socketio channel (moodbot, `parley run`) vs a bare
 * socket.io echo. Each client sends `user_uttered` and waits for the acknowledgement, which both
 * servers give when the turn is over (Parley after its `bot_uttered` messages). Throughput: many
 * clients in closed loops for a fixed time; round trip: one client, one message at a time. The two
 * servers are measured in alternating short slices. The channel's per-connection rate limit
 * (credentials.yml `max_messages_per_minute`, 60 by default) is turned off for the benchmark: the
 * bare echo has none, and with it on every client would be refused after its first 60 messages,
 * so the figures would measure refusals. Refused messages are counted and reported.
 *
 * A third target, Parley's server with a constant bot (servers/parley-http-only.mjs), splits the gap
 * into the channel and server layer and the dialogue turn.
 *
 * Usage: node bench/socketio.mjs [--smoke] [--runs n] [--out dir]
 */
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { benchArgs } from './lib/args.mjs';
import { tempDir, trainedMoodbot } from './lib/projects.mjs';
import { stopProcess } from './lib/processes.mjs';
import { writeResult } from './lib/results.mjs';
import { median, pairedRatio, quantile, spread } from './lib/stats.mjs';
import { startBare, startParleyHttpOnly, startParleyRun } from './lib/targets.mjs';

const args = benchArgs();
const settings = args.smoke
  ? { clients: 2, runs: args.runs ?? 1, seconds: 0.3, roundTrips: 5 }
  : { clients: 64, runs: args.runs ?? 5, seconds: 3, roundTrips: 300 };

let sessionCounter = 0;

/** Connect `count` clients (websocket transport), each with its own confirmed session. */
async function connectClients(url, count) {
  const clients = [];
  for (let index = 0; index < count; index += 1) {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sessionCounter += 1;
    const sessionId = `sio-${sessionCounter}`;
    await new Promise((resolveConfirm, reject) => {
      socket.once('connect_error', reject);
      socket.once('session_confirm', () => resolveConfirm());
      socket.on('connect', () => socket.emit('session_request', { session_id: sessionId }));
    });
    let botMessages = 0;
    let refused = 0;
    socket.on('bot_uttered', () => (botMessages += 1));
    socket.on('parley_error', () => (refused += 1));
    clients.push({ socket, sessionId, botMessages: () => botMessages, refused: () => refused });
  }
  return clients;
}

function closeClients(clients) {
  for (const client of clients) client.socket.close();
}

/** One message, resolved with its round trip in ms when the server acknowledges the turn. */
function send(client) {
  const started = process.hrtime.bigint();
  return new Promise((resolveSend) => {
    client.socket.emit('user_uttered', { message: 'hi', session_id: client.sessionId }, () =>
      resolveSend(Number(process.hrtime.bigint() - started) / 1e6),
    );
  });
}

/** Closed loops on every client for `seconds`; messages/s and the bot messages they produced. */
async function throughput(url) {
  const clients = await connectClients(url, settings.clients);
  const deadline = Date.now() + settings.seconds * 1000;
  let acknowledged = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < deadline) {
        await send(client);
        acknowledged += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const botMessages = clients.reduce((sum, client) => sum + client.botMessages(), 0);
  const refused = clients.reduce((sum, client) => sum + client.refused(), 0);
  closeClients(clients);
  return { messagesPerSecond: acknowledged / seconds, botMessagesPerMessage: botMessages / acknowledged, refused };
}

/** One client, sequential messages: round-trip percentiles. */
async function roundTrip(url) {
  const [client] = await connectClients(url, 1);
  const times = [];
  for (let index = 0; index < settings.roundTrips; index += 1) times.push(await send(client));
  closeClients([client]);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** The trained moodbot with the socketio channel's per-connection rate limit off (see above). */
function unlimitedCopy(trained) {
  const root = join(tempDir('parley-bench-socketio-'), 'moodbot');
  cpSync(trained, root, { recursive: true });
  appendFileSync(join(root, 'credentials.yml'), '  max_messages_per_minute: 0\n');
  return root;
}

const project = unlimitedCopy(await trainedMoodbot());
const [parley, bare, httpOnly] = await Promise.all([startParleyRun(project), startBare(), startParleyHttpOnly()]);
const targets = { bare, parley, httpOnly };
try {
  // Warm every server (JIT, first conversation) before anything is timed.
  for (const target of Object.values(targets)) await roundTrip(target.url);
  const names = Object.keys(targets);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < settings.runs; run += 1) {
    // The order rotates so that no target always follows the same one.
    for (const name of names.map((_, index) => names[(index + run) % names.length])) {
      const rate = await throughput(targets[name].url);
      const trip = await roundTrip(targets[name].url);
      runs[name].push({ ...rate, ...trip });
    }
  }
  const pick = (name, field) => runs[name].map((run) => run[field]);
  const summary = (name) => ({
    messagesPerSecond: spread(pick(name, 'messagesPerSecond')),
    roundTripP50: spread(pick(name, 'p50')),
    roundTripP99: spread(pick(name, 'p99')),
    botMessagesPerMessage: median(pick(name, 'botMessagesPerMessage')),
    refusedMessages: pick(name, 'refused').reduce((sum, count) => sum + count, 0),
  });
  const ratio = {
    messagesPerSecond: pairedRatio(pick('parley', 'messagesPerSecond'), pick('bare', 'messagesPerSecond')),
    roundTripP50: pairedRatio(pick('parley', 'p50'), pick('bare', 'p50')),
    roundTripP99: pairedRatio(pick('parley', 'p99'), pick('bare', 'p99')),
  };
  const httpOnlyRatio = {
    messagesPerSecond: pairedRatio(pick('httpOnly', 'messagesPerSecond'), pick('bare', 'messagesPerSecond')),
    roundTripP50: pairedRatio(pick('httpOnly', 'p50'), pick('bare', 'p50')),
  };
  console.log(`socketio: parley ${median(pick('parley', 'messagesPerSecond')).toFixed(0)} msg/s, bare ${median(pick('bare', 'messagesPerSecond')).toFixed(0)} msg/s`);
  writeResult(args.out, 'socketio', {
    setup: {
      target: "parley run, moodbot's socketio channel (in-memory tracker store)",
      baseline: 'bare socket.io echo (one bot_uttered, then the ack)',
      loadGenerator: 'socket.io-client 4, websocket transport (separate process from both servers)',
      clients: settings.clients,
      rateLimit: 'socketio max_messages_per_minute: 0 (off), as the bare echo has none',
      secondsPerSlice: settings.seconds,
      roundTripsPerRun: settings.roundTrips,
      runs: settings.runs,
    },
    parley: summary('parley'),
    bare: summary('bare'),
    ratio,
    // Parley's server and socketio channel answering with a constant bot: the layer without the turn.
    httpOnly: { target: 'Parley server + socketio channel with a constant bot (bench/servers/parley-http-only.mjs)', ...summary('httpOnly'), ratio: httpOnlyRatio },
    targets: {
      messagesPerSecond: { goal: '>= 0.60 of bare', value: ratio.messagesPerSecond.median, met: ratio.messagesPerSecond.median >= 0.6 },
    },
  });
} finally {
  for (const target of Object.values(targets)) await stopProcess(target.child);
}
