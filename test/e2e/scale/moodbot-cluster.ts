/**
 * The unmodified moodbot served by several `parley run` processes that share stores named in an
 * endpoints.yml the test writes, plus the conversations the scale tests drive through them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { stringify } from 'yaml';
import { copyFixtureBot, runCli, startCli, type RunningCli } from '../helpers.js';
import { freePort } from './processes.js';

export const IMAGE = 'https://i.imgur.com/nGF1K8f.jpg';
const GREET = 'Hey! How are you?';
const CHEER_UP = ['Here is something to cheer you up:', `image:${IMAGE}`, 'Did that help you?'];
const HAPPY = 'Great, carry on!';
const BYE = 'Bye';
const BOT = 'I am a bot, powered by Rasa.';

/** One user message and the bot messages it must get (`image:<url>` for an image). */
export interface Turn {
  message: string;
  replies: string[];
}

/**
 * Moodbot stories whose later answers depend on earlier turns ("yes" is only "Great, carry on!"
 * after "Did that help you?"), so a turn answered without the conversation's history fails.
 */
export const SCRIPTS: Turn[][] = [
  [
    { message: 'hello', replies: [GREET] },
    { message: 'not good', replies: CHEER_UP },
    { message: 'yes', replies: [HAPPY] },
    { message: 'are you a bot?', replies: [BOT] },
    { message: 'bye', replies: [BYE] },
  ],
  [
    { message: 'hi', replies: [GREET] },
    { message: 'very terrible', replies: CHEER_UP },
    { message: 'no', replies: [BYE] },
  ],
  [
    { message: 'hello there!', replies: [GREET] },
    { message: 'amazing', replies: [HAPPY] },
    { message: 'bye-bye!', replies: [BYE] },
  ],
];

export const SOCKETIO_CREDENTIALS = {
  rest: null,
  socketio: { user_message_evt: 'user_uttered', bot_message_evt: 'bot_uttered', session_persistence: true },
};

export interface MoodbotCluster {
  dir: string;
  ports: number[];
  instances: RunningCli[];
  /** Starts (again) the instance at `index` on its port. */
  start(index: number): Promise<RunningCli>;
  /** Stops every running instance and removes the bot folder. */
  remove(): Promise<void>;
}

/** Copies and trains the moodbot, writes endpoints.yml and credentials.yml, starts `count` instances. */
export async function startMoodbotCluster(options: {
  count: number;
  endpoints: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}): Promise<MoodbotCluster> {
  const bot = copyFixtureBot('moodbot');
  writeFileSync(join(bot.dir, 'endpoints.yml'), stringify(options.endpoints));
  writeFileSync(join(bot.dir, 'scale-credentials.yml'), stringify(options.credentials ?? SOCKETIO_CREDENTIALS));
  const trained = await runCli(['train'], { cwd: bot.dir });
  if (trained.code !== 0) throw new Error(`parley train failed:\n${trained.stdout}${trained.stderr}`);
  const ports = await Promise.all(Array.from({ length: options.count }, () => freePort()));
  const instances: RunningCli[] = [];
  const start = async (index: number): Promise<RunningCli> => {
    const instance = await startCli(['--credentials', 'scale-credentials.yml'], {
      cwd: bot.dir,
      port: ports[index],
      env: options.env,
    });
    instances[index] = instance;
    return instance;
  };
  const cluster: MoodbotCluster = {
    dir: bot.dir,
    ports,
    instances,
    start,
    remove: async () => {
      await Promise.all(instances.map((instance) => instance?.stop()));
      bot.remove();
    },
  };
  try {
    await Promise.all(ports.map((_, index) => start(index)));
  } catch (error) {
    await cluster.remove();
    throw error;
  }
  return cluster;
}

/** A REST bot message as the text the scripts use. */
export function restReplyText(message: Record<string, unknown>): string {
  if (typeof message.image === 'string') return `image:${message.image}`;
  return String(message.text);
}

/** A socket.io `bot_uttered` payload as the text the scripts use. */
export function socketReplyText(message: { text?: string; attachment?: { payload?: { src?: string } } }): string {
  if (message.attachment?.payload?.src) return `image:${message.attachment.payload.src}`;
  return String(message.text);
}

export interface RestTurnResult {
  status: number;
  /** `host:port` of the instance nginx passed the request to. */
  upstream: string | null;
  replies: string[];
  body: string;
}

/** POSTs one message to the REST channel (through nginx) and reports who answered. */
export async function restTurn(url: string, sender: string, message: string): Promise<RestTurnResult> {
  const response = await fetch(`${url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message }),
  });
  const body = await response.text();
  let replies: string[] = [];
  if (response.status === 200) {
    const parsed = JSON.parse(body) as Array<Record<string, unknown>>;
    for (const reply of parsed) {
      if (reply.recipient_id !== sender) throw new Error(`reply for ${sender} names ${String(reply.recipient_id)}`);
    }
    replies = parsed.map(restReplyText);
  }
  return { status: response.status, upstream: response.headers.get('x-parley-upstream'), replies, body };
}

/** A websocket-only socket.io client that joined `sessionId` and records every bot message. */
export interface SessionSocket {
  socket: Socket;
  received: string[];
  /** Resolves once `count` bot messages arrived in total (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<string[]>;
  close(): void;
}

export async function joinSession(url: string, sessionId: string): Promise<SessionSocket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const received: string[] = [];
  const listeners = new Set<() => void>();
  socket.on('bot_uttered', (message) => {
    received.push(socketReplyText(message));
    for (const listener of [...listeners]) listener();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no session_confirm from ${url} for ${sessionId}`)), 20_000);
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('session_confirm', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.emit('session_request', { session_id: sessionId });
  });
  return {
    socket,
    received,
    waitFor: (count, timeoutMs = 30_000) =>
      new Promise<string[]>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve([...received]);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${sessionId} got ${received.length} of ${count} bot messages: ${JSON.stringify(received)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    close: () => socket.close(),
  };
}

/** The user texts and bot texts a conversation stored, in order, from Rasa's `events` rows. */
export function conversationFromRows(rows: Array<Record<string, unknown>>): { user: string[]; bot: string[] } {
  const user: string[] = [];
  const bot: string[] = [];
  for (const row of rows) {
    const event = JSON.parse(String(row.data)) as { event: string; text?: string; data?: { image?: string } };
    if (event.event === 'user') user.push(String(event.text));
    if (event.event === 'bot') {
      if (event.text) bot.push(event.text);
      if (event.data?.image) bot.push(`image:${event.data.image}`);
    }
  }
  return { user, bot };
}
