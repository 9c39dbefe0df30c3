/**
 * A stand-in chat server for the widget's browser tests: fastify + Socket.IO on 127.0.0.1 speaking
 * the `socketio` and `rest` channel protocols of shared/spec/channels.md with a scripted bot, and
 * serving the widget through the real web-chat plugin. It replaces the real channels only here.
 */
import { randomBytes } from 'node:crypto';
import fastify, { type FastifyInstance } from 'fastify';
import { Server as SocketIOServer } from 'socket.io';
import { silentLogger } from '../../../src/logger.js';
import { webchatPlugin } from '../../../src/webchat/plugin.js';

export interface ReceivedMessage {
  channel: 'socketio' | 'rest';
  message: string;
  sessionId: string | null;
  metadata: unknown;
  customData: unknown;
}

export interface TestChatServerOptions {
  /** The built widget to serve at /webchat.js. */
  scriptFile: string;
  /** Run the Socket.IO channel. @default true */
  socketio?: boolean;
  /** Accept WebSocket connections (false: polling only, as behind a proxy without WebSocket). @default true */
  websocket?: boolean;
  /** Run the REST channel. @default true */
  rest?: boolean;
  /** Extra HTML pages by path (same origin as the widget's server). */
  pages?: Record<string, string>;
  /** Title for the /chat demo page. @default 'Testbot' */
  title?: string;
}

export interface TestChatServer {
  readonly url: string;
  readonly port: number;
  /** Every user message, in arrival order, across restarts. */
  readonly received: ReceivedMessage[];
  /** Every `session_request` payload, in arrival order. */
  readonly sessionRequests: unknown[];
  /** Every session id confirmed, in order. */
  readonly sessions: string[];
  /** Engine.IO transport each connection started with (`websocket` or `polling`). */
  readonly transports: string[];
  /** Send a bot message to everyone in the session's room (a proactive message). */
  push(sessionId: string, payload: unknown): void;
  /** Let the replies to the message `slow` go out (they wait for this). */
  releaseSlow(): void;
  /** Answer the next `count` REST webhook requests with 500 without handling them. */
  failRest(count: number): void;
  /** Listen again on the same port after `stop`. */
  start(): Promise<void>;
  /** Stop listening; open sockets are dropped as when a server goes down. */
  stop(): Promise<void>;
}

type Reply = Record<string, unknown>;

/** The scripted bot, in Socket.IO shapes (§2.7). */
export function botReplies(message: string): Reply[] {
  switch (message) {
    case '/greet':
      return [
        { text: 'Hello! I am **Testbot**.' },
        {
          text: 'How are you?',
          quick_replies: [
            { content_type: 'text', title: 'Great', payload: '/mood_great' },
            { content_type: 'text', title: 'Sad', payload: '/mood_sad' },
          ],
        },
      ];
    case '/mood_great':
      return [{ text: 'Great, carry on!' }];
    case '/mood_sad':
      return [{ text: 'Here is something to cheer you up:' }, { attachment: { type: 'image', payload: { src: '/static/cat.svg', title: 'A cat' } } }];
    case 'carousel':
      // Rasa's Socket.IO channel sends one event per element, each with a lone element object.
      return ['Latte', 'Espresso', 'Mocha'].map((drink, index) => ({
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: {
              title: drink,
              subtitle: `Coffee number ${index + 1}`,
              image_url: `/static/card-${index}.svg`,
              buttons: [{ type: 'postback', title: `Order ${drink}`, payload: `/order{"drink":"${drink.toLowerCase()}"}` }],
            },
          },
        },
      }));
    case 'markdown':
      return [
        {
          text:
            '**Bold** and _italic_ with a [safe link](https://example.com/docs).\n' +
            '- first item\n- second item\n\n' +
            '<img src=x onerror="window.__xss = 1"> <script>window.__xss = 2</script> ' +
            '[bad link](javascript:window.__xss=3)',
        },
      ];
    case 'video':
      return [{ attachment: { type: 'video', payload: { src: '/static/clip.webm', title: 'A clip' } } }];
    case 'custom':
      return [{ widget: 'map', lat: 52.52, lng: 13.4 }];
    case 'buttons':
      return [
        {
          text: 'Which size?',
          quick_replies: [
            { content_type: 'text', title: 'Small', payload: '/inform{"size":"small"}' },
            { content_type: 'text', title: 'Large', payload: '/inform{"size":"large"}' },
          ],
        },
        { text: 'Take your time, the buttons stay.' },
      ];
    case 'slow':
      return [{ text: 'Sorry for the wait.' }];
    case 'rtl':
      return [{ text: 'مرحبا! كيف يمكنني مساعدتك؟' }];
    default:
      return [{ text: `You said: ${message}` }];
  }
}

/** The same replies as the REST channel serialises them (§3.4). */
function restReplies(message: string, sender: string): Reply[] {
  return botReplies(message).map((reply) => {
    const base: Reply = { recipient_id: sender };
    if (Array.isArray(reply.quick_replies)) {
      return { ...base, text: reply.text, buttons: (reply.quick_replies as Reply[]).map(({ title, payload }) => ({ title, payload })) };
    }
    if ('text' in reply) return { ...base, text: reply.text };
    const attachment = reply.attachment as { type?: string; payload?: { src?: string } } | undefined;
    if (attachment?.type === 'image') return { ...base, image: attachment.payload?.src };
    if (attachment) return { ...base, attachment };
    return { ...base, custom: reply };
  });
}

function svgCard(label: string, colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200"><rect width="320" height="200" fill="${colour}"/><text x="160" y="112" font-family="sans-serif" font-size="32" fill="#fff" text-anchor="middle">${label}</text></svg>`;
}

const STATIC: Record<string, string> = {
  'cat.svg': svgCard('=^.^=', '#7c3aed'),
  'card-0.svg': svgCard('Latte', '#92400e'),
  'card-1.svg': svgCard('Espresso', '#1f2937'),
  'card-2.svg': svgCard('Mocha', '#065f46'),
};

/** Start the server on 127.0.0.1 (port 0 picks a free one). */
export async function startTestChatServer(options: TestChatServerOptions): Promise<TestChatServer> {
  const received: ReceivedMessage[] = [];
  const sessionRequests: unknown[] = [];
  const sessions: string[] = [];
  const transports: string[] = [];
  let port = 0;
  let app: FastifyInstance;
  let io: SocketIOServer | undefined;
  let releaseSlow: () => void = () => undefined;
  let slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
  let restFailures = 0;

  const emitReplies = async (target: (payload: Reply) => void, message: string): Promise<void> => {
    if (message === 'slow') await slowReleased;
    for (const reply of botReplies(message)) {
      // Rasa emits each message as its own event, as soon as it is produced.
      await new Promise((resolve) => setTimeout(resolve, 30));
      target(reply);
    }
  };

  const launch = async (): Promise<void> => {
    app = fastify();
    await app.register(webchatPlugin, { scriptFile: options.scriptFile, title: options.title ?? 'Testbot', logger: silentLogger() });
    app.get('/static/:name', async (request, reply) => {
      const body = STATIC[(request.params as { name: string }).name];
      if (!body) return reply.code(404).send('not found');
      return reply.type('image/svg+xml').send(body);
    });
    for (const [path, html] of Object.entries(options.pages ?? {})) {
      app.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
    }
    if (options.rest !== false) {
      app.get('/webhooks/rest/', async () => ({ status: 'ok' }));
      app.post('/webhooks/rest/webhook', async (request, reply) => {
        if (restFailures > 0) {
          restFailures -= 1;
          return reply.code(500).send({ status: 'failure', message: 'scripted failure' });
        }
        const body = request.body as { sender?: string; message?: string; metadata?: unknown };
        const sender = body.sender ?? 'default';
        const message = (body.message ?? '').trim();
        received.push({ channel: 'rest', message, sessionId: sender, metadata: body.metadata, customData: undefined });
        return restReplies(message, sender);
      });
    }
    if (options.socketio !== false) {
      io = new SocketIOServer(app.server, {
        path: '/socket.io/',
        serveClient: false,
        transports: options.websocket === false ? ['polling'] : ['polling', 'websocket'],
      });
      io.on('connection', (socket) => {
        transports.push(socket.conn.transport.name);
        socket.on('session_request', (payload: { session_id?: string | null } | null) => {
          sessionRequests.push(payload);
          const id = payload?.session_id ? String(payload.session_id) : randomBytes(16).toString('hex');
          void socket.join(id);
          sessions.push(id);
          socket.emit('session_confirm', id);
        });
        socket.on('user_uttered', async (payload: Record<string, unknown>, ack?: () => void) => {
          const sessionId = typeof payload.session_id === 'string' ? payload.session_id : null;
          const message = String(payload.message ?? '').trim();
          received.push({ channel: 'socketio', message, sessionId, metadata: payload.metadata, customData: payload.customData });
          // session_persistence: true — replies go to the session's room; no session id, no reply.
          if (sessionId !== null) await emitReplies((reply) => io?.to(sessionId).emit('bot_uttered', reply), message);
          ack?.();
        });
      });
    }
    await app.listen({ host: '127.0.0.1', port });
    const address = app.server.address();
    if (typeof address === 'object' && address) port = address.port;
  };

  const shutdown = async (): Promise<void> => {
    if (io) {
      // Drop every client as a crashing server would (no goodbye packet), then stop listening.
      io.engine.close();
      io = undefined;
    }
    await app.close();
  };

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    sessionRequests,
    sessions,
    transports,
    releaseSlow() {
      releaseSlow();
      slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
    },
    failRest(count) {
      restFailures = count;
    },
    push(sessionId, payload) {
      io?.to(sessionId).emit('bot_uttered', payload);
    },
    start: launch,
    stop: shutdown,
  };
}
